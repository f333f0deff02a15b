// Each patch of a series as files before and after it, for VS Code's diff editor: read from the repository at the
// series' base, with the earlier patches of the series applied first, all in a temporary index (git read-tree,
// git mailinfo to decode the mail as git am would, git apply --cached): git's own semantics, and nothing written to
// the work tree, the repository's index or its refs. VS Code-free.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitError, runGit, withoutCarriageReturns } from './git';

export type FileStatus = 'added' | 'deleted' | 'modified' | 'renamed' | 'binary';

export interface PatchFile {
  /** The path after the patch (before it, for a deleted file). */
  path: string;
  /** The path before, where it differs (a rename). */
  oldPath?: string;
  status: FileStatus;
  /** Absent where the file does not exist on that side, or is binary. */
  before?: string;
  after?: string;
}

export interface PatchSnapshot {
  files: PatchFile[];
  /** The commit message as git am would make it. */
  message: string;
}

/** A path a patch may name: inside the repository, not into .git (git apply refuses others too). */
export function safePath(path: string): boolean {
  return (
    path.length > 0 &&
    !path.startsWith('/') &&
    !/^[a-z]:/i.test(path) &&
    !path.split('/').some((part) => part === '..' || part === '' || part.toLowerCase() === '.git')
  );
}

/** The files a unified diff from git names ("diff --git a/x b/y" and the lines after it). */
export function filesOfDiff(diff: string): Array<Pick<PatchFile, 'path' | 'oldPath' | 'status'>> {
  const files: Array<Pick<PatchFile, 'path' | 'oldPath' | 'status'>> = [];
  const blocks = diff.split(/^(?=diff --git )/m).filter((block) => block.startsWith('diff --git '));
  for (const block of blocks) {
    const header = block.slice(0, block.search(/^@@/m) >= 0 ? block.search(/^@@/m) : undefined);
    const names = /^diff --git a\/(.+?) b\/(.+)$/m.exec(header);
    if (!names) continue;
    const from = /^rename from (.+)$/m.exec(header)?.[1] ?? names[1]!;
    const to = /^rename to (.+)$/m.exec(header)?.[1] ?? names[2]!;
    const status: FileStatus = /^(Binary files|GIT binary patch)/m.test(block)
      ? 'binary'
      : /^new file mode/m.test(header)
        ? 'added'
        : /^deleted file mode/m.test(header)
          ? 'deleted'
          : from !== to
            ? 'renamed'
            : 'modified';
    files.push({ path: to, ...(from !== to ? { oldPath: from } : {}), status });
  }
  return files;
}

/**
 * Every patch of the series, in order, as files before and after it, up to patch `upTo` (0-based; all when
 * absent): one pass over the series. Rejects with git's message when a patch does not apply at the base (then the
 * diff cannot be shown as it would be applied).
 */
export async function seriesSnapshots(request: {
  repo: string;
  base: string;
  patches: Buffer[];
  upTo?: number;
  git?: string;
}): Promise<PatchSnapshot[]> {
  const work = await mkdtemp(join(tmpdir(), 'letterbox-diff-'));
  const env = { GIT_INDEX_FILE: join(work, 'index') };
  const git = (args: string[]) => runGit(request.git ?? 'git', request.repo, args, { env });
  const last = Math.min(request.upTo ?? request.patches.length - 1, request.patches.length - 1);
  const snapshots: PatchSnapshot[] = [];
  try {
    await git(['read-tree', request.base]);
    for (let n = 0; n <= last; n++) {
      const decoded = await decode(request.git ?? 'git', request.repo, work, request.patches[n]!, n);
      const files = filesOfDiff(decoded.diff);
      const unsafe = files.find((file) => !safePath(file.path) || (file.oldPath && !safePath(file.oldPath)));
      if (unsafe)
        throw new GitError(`patch ${n + 1} names a path outside the repository (${unsafe.oldPath ?? unsafe.path})`);
      const before = await Promise.all(files.map((file) => side(git, file.oldPath ?? file.path, file.status)));
      await git(['apply', '--cached', '--whitespace=nowarn', decoded.patchFile]).catch((error: unknown) => {
        throw new GitError(
          `patch ${n + 1} does not apply at ${request.base.slice(0, 12)}: ${error instanceof GitError ? error.output.trim() : String(error)}`,
        );
      });
      const after = await Promise.all(files.map((file) => side(git, file.path, file.status)));
      snapshots.push({
        message: decoded.message,
        files: files.map((file, i) => ({
          ...file,
          ...(file.status !== 'added' && before[i] !== undefined ? { before: before[i] } : {}),
          ...(file.status !== 'deleted' && after[i] !== undefined ? { after: after[i] } : {}),
        })),
      });
    }
    return snapshots;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** A file's text in the temporary index, or undefined when it is not there or is binary. */
async function side(
  git: (args: string[]) => Promise<string>,
  path: string,
  status: FileStatus,
): Promise<string | undefined> {
  if (status === 'binary') return undefined;
  return git(['show', `:${path}`]).catch(() => undefined);
}

/** The mail decoded as git am decodes it (transfer encodings, charsets): its commit message and its diff. */
async function decode(
  git: string,
  repo: string,
  work: string,
  raw: Buffer,
  n: number,
): Promise<{ message: string; diff: string; patchFile: string }> {
  const messageFile = join(work, `msg-${n}`);
  const patchFile = join(work, `patch-${n}`);
  const info = await runGit(git, repo, ['mailinfo', '--encoding=UTF-8', messageFile, patchFile], {
    input: withoutCarriageReturns(raw),
  });
  const subject = /^Subject: (.*)$/m.exec(info)?.[1] ?? '';
  const body = await readFile(messageFile, 'utf8');
  return { message: `${subject}\n\n${body}`.trim(), diff: await readFile(patchFile, 'utf8'), patchFile };
}
