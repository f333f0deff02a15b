// A scripted POP3 server for what Dovecot will not do: replies split at every byte, -ERR where it should not be,
// replies that never end, no UIDL. Only for those cases; everything else is tested against Dovecot.
import { createServer, type Server, type Socket } from 'node:net';
import { listenOnLoopback } from '../servers/ports';

export interface FakeMailbox {
  messages: string[];
  uidl?: boolean;
  pipelining?: boolean;
  stls?: boolean;
  /** Write every reply one byte at a time. */
  trickle?: boolean;
  /** Holds the reply to the first RETR back this long, so a pipelining client has sent the next ones by then. */
  delayFirstRetrMs?: number;
  /** Overrides for single commands: return the raw reply text (CRLF included), or 'hang' to never answer. */
  override?: (command: string) => string | 'hang' | undefined;
  /** The UIDL of each message (default uid-1, uid-2, ...): a broken server repeats some. */
  uidls?: string[];
  /** Remove the messages deleted in a session once its QUIT completed, as a real server does. */
  expungeOnQuit?: boolean;
  /** Takes over a command entirely and writes to the socket itself; return true when it did. */
  raw?: (command: string, socket: Socket) => boolean;
}

export class FakePop3Server {
  readonly received: string[] = [];
  /** "recv <command>" and "sent <command>" in the order they happened. */
  readonly events: string[] = [];
  readonly deleted = new Set<number>();
  /** The content of every message removed by a completed QUIT (with expungeOnQuit). */
  readonly expunged: string[] = [];
  quitCompleted = false;
  private readonly sockets = new Set<Socket>();

  private readonly server: Server;
  port = 0;

  private constructor(readonly mailbox: FakeMailbox) {
    this.server = createServer((socket) => this.serve(socket, mailbox));
  }

  static async start(mailbox: FakeMailbox): Promise<FakePop3Server> {
    const fake = new FakePop3Server(mailbox);
    fake.port = await listenOnLoopback(fake.server);
    return fake;
  }

  private serve(socket: Socket, mailbox: FakeMailbox): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    const pending = new Set<number>();
    let output = Promise.resolve();
    let firstRetr = true;
    const send = (text: string, command = '') => {
      const delay = command.startsWith('RETR') && firstRetr ? (mailbox.delayFirstRetrMs ?? 0) : 0;
      if (command.startsWith('RETR')) firstRetr = false;
      output = output
        .then(() => (delay ? new Promise((resolve) => setTimeout(resolve, delay)) : undefined))
        .then(() => write(socket, Buffer.from(text, 'latin1'), mailbox.trickle ?? false))
        .then(() => void (command && this.events.push(`sent ${command}`)));
    };
    send('+OK fake POP3 ready\r\n');
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      let end: number;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        this.received.push(line);
        this.events.push(`recv ${line}`);
        if (mailbox.raw?.(line, socket)) continue;
        const reply = mailbox.override?.(line) ?? this.answer(line, mailbox, pending);
        if (reply === 'hang') continue;
        send(reply, line);
        if (/^QUIT/i.test(line)) {
          for (const number of pending) this.deleted.add(number);
          if (mailbox.expungeOnQuit) {
            for (const number of [...pending].sort((a, b) => b - a)) {
              this.expunged.push(...mailbox.messages.splice(number - 1, 1));
              mailbox.uidls?.splice(number - 1, 1);
            }
          }
          this.quitCompleted = true;
          output = output.then(() => void socket.end());
        }
      }
    });
  }

  private answer(line: string, mailbox: FakeMailbox, pending: Set<number>): string {
    const [command, arg] = line.split(' ');
    const n = Number(arg);
    const exists = (number: number) => number >= 1 && number <= mailbox.messages.length && !pending.has(number);
    switch (command.toUpperCase()) {
      case 'CAPA':
        return `+OK\r\nUSER\r\nTOP\r\n${mailbox.uidl === false ? '' : 'UIDL\r\n'}${mailbox.pipelining ? 'PIPELINING\r\n' : ''}${mailbox.stls ? 'STLS\r\n' : ''}.\r\n`;
      case 'USER':
        return '+OK\r\n';
      case 'PASS':
        return arg === 'secret' ? '+OK logged in\r\n' : '-ERR [AUTH] invalid password\r\n';
      case 'STAT':
        return `+OK ${mailbox.messages.length} 0\r\n`;
      case 'LIST':
        return `+OK\r\n${mailbox.messages.map((m, i) => `${i + 1} ${m.length}\r\n`).join('')}.\r\n`;
      case 'UIDL':
        if (mailbox.uidl === false) return '-ERR command not supported\r\n';
        return `+OK\r\n${mailbox.messages.map((_, i) => `${i + 1} ${mailbox.uidls?.[i] ?? `uid-${i + 1}`}\r\n`).join('')}.\r\n`;
      case 'TOP':
      case 'RETR': {
        if (!exists(n)) return '-ERR no such message\r\n';
        const message = mailbox.messages[n - 1];
        const body = command.toUpperCase() === 'TOP' ? message.split('\r\n\r\n')[0] + '\r\n\r\n' : message;
        return `+OK\r\n${dotStuff(body)}.\r\n`;
      }
      case 'DELE':
        if (!exists(n)) return '-ERR no such message\r\n';
        pending.add(n);
        return '+OK marked\r\n';
      case 'NOOP':
        return '+OK\r\n';
      case 'RSET':
        pending.clear();
        return '+OK\r\n';
      case 'QUIT':
        return '+OK bye\r\n';
      default:
        return '-ERR unknown command\r\n';
    }
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Scripted servers for one test file: `start` one per case, `stopAll` in the file's after hook. */
export function fakePop3Servers(): { start(mailbox: FakeMailbox): Promise<FakePop3Server>; stopAll(): Promise<void> } {
  const started: FakePop3Server[] = [];
  return {
    async start(mailbox) {
      const server = await FakePop3Server.start(mailbox);
      started.push(server);
      return server;
    },
    stopAll: async () => void (await Promise.all(started.splice(0).map((server) => server.stop()))),
  };
}

export function dotStuff(message: string): string {
  const withEnding = message.endsWith('\r\n') ? message : `${message}\r\n`;
  return withEnding
    .split('\r\n')
    .map((line) => (line.startsWith('.') ? `.${line}` : line))
    .join('\r\n');
}

async function write(socket: Socket, data: Buffer, trickle: boolean): Promise<void> {
  if (!trickle) {
    socket.write(data);
    return;
  }
  for (let i = 0; i < data.length; i++) {
    if (socket.destroyed) return;
    socket.write(data.subarray(i, i + 1));
    await new Promise((resolve) => setImmediate(resolve));
  }
}
