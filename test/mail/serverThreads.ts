// The server's own threading, as an oracle: Dovecot's UID THREAD REFERENCES (RFC 5256) over a plain connection on
// loopback, parsed into parent links and threads of UIDs. Nothing of Letterbox is used here.
import { connect } from 'node:net';
import type { DovecotServer, TestUser } from '../servers/dovecot';

export interface ServerThreads {
  /** Each thread's UIDs, ascending; threads sorted by their first UID. */
  threads: number[][];
  /** A message's parent UID (absent at the top of a thread, or under a missing message). */
  parents: Map<number, number>;
}

export async function serverThreads(server: DovecotServer, user: TestUser, folder: string): Promise<ServerThreads> {
  const answer = await converse(server, [
    `a LOGIN "${user.user}" "${user.password}"`,
    `b EXAMINE "${folder}"`,
    'c UID THREAD REFERENCES UTF-8 ALL',
    'd LOGOUT',
  ]);
  const line = answer.split(/\r?\n/).find((candidate) => candidate.startsWith('* THREAD'));
  if (!line) throw new Error(`no THREAD answer in:\n${answer}`);
  return parseThreads(line.slice('* THREAD'.length));
}

/** Sends each command after the previous one's tagged answer; resolves with everything the server said. */
function converse(server: DovecotServer, commands: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.ports.imap, server.host);
    let received = '';
    let next = 0;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server did not finish answering:\n${received}`));
    }, 15_000);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
      const waitingFor = next === 0 ? /^\* OK/m : new RegExp(`^${String.fromCharCode(96 + next)} (OK|NO|BAD)`, 'm');
      if (!waitingFor.test(received)) return;
      if (next === commands.length) {
        clearTimeout(timer);
        socket.end();
        resolve(received);
        return;
      }
      socket.write(`${commands[next++]}\r\n`);
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** "(1 2 (3)(4 5))(6)": each list a thread, each number the child of the one before, each sublist a branch. */
export function parseThreads(text: string): ServerThreads {
  const tokens = text.match(/\(|\)|\d+/g) ?? [];
  let at = 0;
  const parents = new Map<number, number>();
  const threads: number[][] = [];
  const list = (parent: number | undefined, members: number[]): void => {
    // At the opening parenthesis.
    at++;
    let last = parent;
    while (at < tokens.length && tokens[at] !== ')') {
      if (tokens[at] === '(') list(last, members);
      else {
        const uid = Number(tokens[at++]);
        if (last !== undefined) parents.set(uid, last);
        members.push(uid);
        last = uid;
      }
    }
    at++;
  };
  while (at < tokens.length) {
    if (tokens[at] !== '(') throw new Error(`unexpected ${tokens[at]} in THREAD answer`);
    const members: number[] = [];
    list(undefined, members);
    threads.push(members.sort((a, b) => a - b));
  }
  return { threads: threads.sort((a, b) => a[0] - b[0]), parents };
}
