// Running the user's own git: hooks off (core.hooksPath points nowhere, so nothing from a mail or a repository
// executes), no pager, no editor, no prompt, a time limit; "git was not found" when it is missing. VS Code-free.
import { spawn } from 'node:child_process';

export class GitError extends Error {
  constructor(
    message: string,
    readonly output = '',
  ) {
    super(message);
    this.name = 'GitError';
  }
}

/** Hooks off, no pager: git does only what it is told. */
const SAFE = ['-c', 'core.hooksPath=/dev/null', '-c', 'core.pager=cat'];
const TIMEOUT_MS = 120_000;

/** Git's answer beyond this is refused (a huge diff or file is not shown, not read into memory whole). */
export const MAX_OUTPUT = 16 * 1024 * 1024;

/** Runs git in `cwd` and resolves to what it printed; rejects with a GitError carrying git's own message. */
export function runGit(
  git: string,
  cwd: string,
  args: string[],
  options: { env?: Record<string, string>; input?: Buffer } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(git, [...SAFE, ...args], {
      cwd,
      timeout: TIMEOUT_MS,
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_EDITOR: 'true', GIT_PAGER: 'cat', ...options.env },
    });
    const out: Buffer[] = [];
    let size = 0;
    let err = '';
    let tooBig = false;
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_OUTPUT) {
        tooBig = true;
        child.kill();
      } else out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => (err = (err + chunk.toString('utf8')).slice(-64 * 1024)));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new GitError(`git was not found (${git}): install git, or put it on the PATH`)
          : new GitError(`git ${args[0]} could not run: ${error.message}`),
      ),
    );
    child.on('close', (code) => {
      const stdout = Buffer.concat(out).toString('utf8');
      if (tooBig) reject(new GitError(`git ${args[0]} printed more than ${MAX_OUTPUT / 1024 / 1024} MB`));
      else if (code === 0) resolve(stdout);
      else reject(new GitError(`git ${args[0]} failed`, `${err}${stdout}`));
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input);
  });
}

/**
 * Mail as stored by a server ends its lines with CRLF; git am's mailsplit drops the CRs before mailinfo sees the
 * message (unless --keep-cr), and so does this.
 */
export function withoutCarriageReturns(raw: Buffer): Buffer {
  return Buffer.from(raw.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
}
