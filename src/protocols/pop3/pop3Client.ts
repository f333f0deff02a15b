// One method per POP3 command. Commands may be pipelined (RFC 2449 PIPELINING): each call writes at once and its
// reply is matched in order, so callers that do not await between calls get pipelining for free.
import { connect as netConnect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from '../../mail/logger';
import { MailError } from '../../mail/mailError';
import type { ServerSettings } from '../../mail/types';
import { socketFailure } from '../socketErrors';
import { connectTrusted, type TrustPolicy } from '../tls/certificateTrust';
import { Pop3ReplyReader, Pop3ServerError, type Pop3Reply } from './pop3ReplyReader';
import { plainMechanism, type SaslMechanism } from './pop3Sasl';

export interface Pop3Timeouts {
  /** TCP connect, TLS handshake and greeting. */
  connectMs: number;
  /** Silence while a reply is awaited; any received byte restarts it, so a long RETR that flows never times out. */
  replyMs: number;
}

export const DEFAULT_POP3_TIMEOUTS: Pop3Timeouts = { connectMs: 15_000, replyMs: 60_000 };

export interface Pop3ConnectOptions {
  server: ServerSettings;
  password: string;
  log: Logger;
  timeouts?: Partial<Pop3Timeouts>;
}

export interface ListedMessage {
  number: number;
  size: number;
}

export interface UniqueId {
  number: number;
  uid: string;
}

export class Pop3Client {
  private socket: Duplex;
  private readonly reader: Pop3ReplyReader;
  private timer: NodeJS.Timeout | undefined;
  /** What each awaited reply answers, in order, so a timeout can name the command that went unanswered. */
  private readonly awaiting: string[] = [];
  private closedError: MailError | undefined;
  private capabilities = new Map<string, string[]>();
  private readonly where: string;

  private constructor(socket: Duplex, private readonly options: Pop3ConnectOptions, private readonly timeouts: Pop3Timeouts) {
    this.where = `${options.server.host}:${options.server.port}`;
    this.reader = new Pop3ReplyReader((error, source) => this.fail(source === 'server'
      ? new MailError('protocol', `${this.where} broke the POP3 protocol: ${error.message}`)
      : new MailError('protocol', `a message from ${this.where} could not be stored: ${error.message}`, { cause: error })));
    this.socket = socket;
    this.attach(socket);
  }

  /** Connects, reads the greeting, negotiates TLS as the account requires, and logs in. */
  static async connect(options: Pop3ConnectOptions): Promise<Pop3Client> {
    const timeouts = { ...DEFAULT_POP3_TIMEOUTS, ...options.timeouts };
    const { server } = options;
    const action = `cannot connect to ${server.host}:${server.port} as "${server.user}"`;
    const socket = server.security === 'tls'
      ? connectTrusted({ host: server.host, port: server.port }, trustOf(server), () => undefined)
      : netConnect({ host: server.host, port: server.port });
    const client = new Pop3Client(socket, options, timeouts);
    try {
      await client.greeting();
      await client.capa();
      if (server.security === 'starttls') await client.stls();
      await client.login();
      return client;
    } catch (error) {
      client.destroy();
      throw client.describe(error, action, 'auth');
    }
  }

  get supportsPipelining(): boolean {
    return this.capabilities.has('PIPELINING');
  }

  /** Whether CAPA listed UIDL. Servers without CAPA may still answer UIDL; uidl() tells for sure. */
  hasCapability(name: string): boolean {
    return this.capabilities.has(name.toUpperCase());
  }

  /** RFC 2449 CAPA. A server without CAPA answers -ERR; it then has only what RFC 1939 promises. */
  async capa(): Promise<Map<string, string[]>> {
    try {
      const reply = await this.command('CAPA', true);
      this.capabilities = new Map(
        (reply.body ?? Buffer.alloc(0)).toString('utf8').split('\n').filter(Boolean)
          .map((line) => line.trim().split(/\s+/))
          .map(([name, ...args]) => [name.toUpperCase(), args] as [string, string[]]),
      );
    } catch (error) {
      if (!(error instanceof Pop3ServerError)) throw error;
      this.capabilities = new Map();
    }
    return this.capabilities;
  }

  async stat(): Promise<{ count: number; size: number }> {
    const [count, size] = (await this.command('STAT')).text.split(/\s+/).map(Number);
    return { count, size };
  }

  async list(): Promise<ListedMessage[]> {
    return this.scanListing(await this.command('LIST', true)).map(([number, size]) => ({ number, size: Number(size) }));
  }

  /** RFC 1939 UIDL. Rejects with kind 'unsupported' when the server has no unique ids. */
  async uidl(): Promise<UniqueId[]> {
    try {
      return this.scanListing(await this.command('UIDL', true)).map(([number, uid]) => ({ number, uid }));
    } catch (error) {
      if (error instanceof Pop3ServerError) {
        throw new MailError('unsupported', `${this.where} does not support UIDL (${error.text || 'no reason given'})`, { cause: error });
      }
      throw error;
    }
  }

  async top(number: number, lines: number): Promise<Buffer> {
    return (await this.command(`TOP ${number} ${lines}`, true)).body ?? Buffer.alloc(0);
  }

  /** Streams message `number` to `sink`, dot-unstuffed with LF line ends, without holding it in memory. */
  async retr(number: number, sink: (chunk: Buffer) => void): Promise<void> {
    await this.command(`RETR ${number}`, true, sink);
  }

  /** Marks for deletion; the server deletes only when QUIT succeeds (RFC 1939 6, UPDATE state). */
  async dele(number: number): Promise<void> {
    await this.command(`DELE ${number}`);
  }

  async rset(): Promise<void> {
    await this.command('RSET');
  }

  async noop(): Promise<void> {
    await this.command('NOOP');
  }

  /** Ends the session; only a +OK here means the DELEs took effect. */
  async quit(): Promise<void> {
    try {
      await this.command('QUIT');
    } finally {
      this.destroy();
    }
  }

  destroy(): void {
    this.stopTimer();
    this.closedError ??= new MailError('network', `the connection to ${this.where} was closed`);
    this.reader.failAll(this.closedError);
    this.socket.destroy();
  }

  private async greeting(): Promise<void> {
    await this.await({ multiline: false }, this.timeouts.connectMs);
  }

  /** RFC 2595 4: upgrade, and re-learn capabilities, since what was said in clear text may have been forged. */
  private async stls(): Promise<void> {
    if (!this.capabilities.has('STLS')) {
      throw new MailError('tls', `${this.where} does not offer STLS, and the account requires it; the connection was not continued in clear text. Use TLS (usually port 995) if the server offers it`);
    }
    try {
      await this.command('STLS');
    } catch (error) {
      if (!(error instanceof Pop3ServerError)) throw error;
      throw new MailError('tls', `${this.where} refused STLS (${error.text}); the connection was not continued in clear text`);
    }
    if (this.reader.unread > 0) {
      throw new MailError('tls', `${this.where} sent data after agreeing to STLS and before the TLS handshake; possible injection attack`);
    }
    const plain = this.socket;
    this.detach(plain);
    await new Promise<void>((resolve, reject) => {
      const secure = connectTrusted({ host: this.options.server.host, socket: plain }, trustOf(this.options.server), () => resolve());
      this.socket = secure;
      this.attach(secure);
      secure.once('error', reject);
      this.armTimer(this.timeouts.connectMs, 'the TLS handshake');
    });
    this.stopTimer();
    await this.capa();
  }

  private async login(): Promise<void> {
    const { user } = this.options.server;
    const sasl = this.capabilities.get('SASL') ?? [];
    if (sasl.some((mechanism) => mechanism.toUpperCase() === 'PLAIN')) {
      await this.authenticate(plainMechanism(user, this.options.password));
      return;
    }
    await this.command(`USER ${user}`);
    await this.command(`PASS ${this.options.password}`, false, undefined, 'PASS <redacted>');
  }

  /** RFC 5034 AUTH with an initial response; a challenge in return means the mechanism failed. */
  private async authenticate(mechanism: SaslMechanism): Promise<void> {
    const reply = await this.command(`AUTH ${mechanism.name} ${mechanism.initialResponse()}`, false, undefined, `AUTH ${mechanism.name} <redacted>`, true);
    if (reply.continuation) {
      // "*" cancels the exchange (RFC 5034 4); the server then answers -ERR, which becomes the auth failure.
      await this.command('*');
    }
  }

  private command(line: string, multiline = false, sink?: (chunk: Buffer) => void, logAs = line, continuation = false): Promise<Pop3Reply> {
    if (this.closedError) return Promise.reject(this.closedError);
    this.options.log.trace(`C: ${logAs}`);
    const reply = this.await({ multiline, sink, continuation }, this.timeouts.replyMs, logAs);
    this.socket.write(`${line}\r\n`);
    return reply;
  }

  private await(expected: { multiline: boolean; sink?: (chunk: Buffer) => void; continuation?: boolean }, timeoutMs: number, what = 'the greeting'): Promise<Pop3Reply> {
    return new Promise<Pop3Reply>((resolve, reject) => {
      if (this.reader.waiting === 0) this.armTimer(timeoutMs, what);
      this.awaiting.push(what);
      this.reader.expect({
        ...expected,
        resolve: (reply) => {
          this.options.log.trace(`S: ${reply.continuation ? '+' : '+OK'} ${reply.text}`);
          this.afterReply(timeoutMs);
          resolve(reply);
        },
        reject: (error) => {
          if (error instanceof Pop3ServerError) this.options.log.debug(`S: -ERR ${error.text}`);
          this.afterReply(timeoutMs);
          reject(error);
        },
      });
    });
  }

  private afterReply(timeoutMs: number): void {
    this.awaiting.shift();
    if (this.reader.waiting === 0) this.stopTimer();
    else this.armTimer(timeoutMs, this.awaiting[0] ?? 'a reply');
  }

  private attach(socket: Duplex): void {
    socket.on('data', this.onData);
    socket.on('error', this.onError);
    socket.on('close', this.onClose);
    (socket as Socket).setNoDelay?.(true);
  }

  private detach(socket: Duplex): void {
    socket.off('data', this.onData);
    socket.off('error', this.onError);
    socket.off('close', this.onClose);
  }

  private readonly onData = (chunk: Buffer) => {
    if (this.reader.waiting) this.armTimer(this.timeouts.replyMs, this.awaiting[0] ?? 'a reply');
    this.reader.push(chunk);
  };

  private readonly onError = (error: Error) => {
    this.fail(error instanceof MailError ? error : this.describe(error, `the connection to ${this.where} failed`, 'protocol'));
  };

  private readonly onClose = () => {
    this.fail(new MailError('network', `${this.where} closed the connection`));
  };

  private armTimer(ms: number, what: string): void {
    this.stopTimer();
    this.timer = setTimeout(() => {
      const wait = ms < 1_000 ? `${ms} ms` : `${Math.round(ms / 1_000)} s`;
      this.fail(new MailError('network', `${this.where} did not answer ${what} within ${wait}; the connection was closed`));
      this.socket.destroy();
    }, ms);
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private fail(error: MailError): void {
    this.closedError ??= error;
    this.stopTimer();
    this.reader.failAll(this.closedError);
    this.socket.destroy();
  }

  /** -ERR during login is an authentication failure unless a response code (RFC 2449/3206) says otherwise. */
  private describe(error: unknown, action: string, serverErrorKind: 'auth' | 'protocol'): MailError {
    if (error instanceof MailError) return error.message.startsWith(action) ? error : error.withContext(action);
    if (error instanceof Pop3ServerError) {
      const { server } = this.options;
      if (error.responseCode === 'IN-USE') {
        return new MailError('protocol', `${action}: the mailbox is in use by another POP3 session (${error.text}); try again in a minute`, { cause: error });
      }
      if (error.responseCode === 'SYS/TEMP' || error.responseCode === 'SYS/PERM' || serverErrorKind === 'protocol') {
        return new MailError('protocol', `${action}: ${error.text}`, { cause: error });
      }
      return new MailError('auth', `${action}: ${this.where} rejected the user name or password for "${server.user}" (${error.text}). Check them and try again.`, { cause: error });
    }
    const code = error as { code?: string; message?: string };
    return socketFailure(code, action, this.options.server.host, this.options.server.port)
      ?? new MailError('network', `${action}: ${code.message ?? String(error)}`, { cause: error });
  }

  private scanListing(reply: Pop3Reply): Array<[number, string]> {
    return (reply.body ?? Buffer.alloc(0)).toString('utf8').split('\n').filter((line) => line.trim())
      .map((line) => {
        const [number, value] = line.trim().split(/\s+/);
        if (!/^\d+$/.test(number) || value === undefined) {
          throw new MailError('protocol', `${this.where} sent a malformed listing line "${line.slice(0, 60)}"`);
        }
        return [Number(number), value];
      });
  }
}

function trustOf(server: ServerSettings): TrustPolicy {
  return { host: server.host, pinnedSha256: server.pinnedCertificateSha256 };
}
