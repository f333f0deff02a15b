// One method per POP3 command. Commands may be pipelined (RFC 2449 PIPELINING): each call writes at once and its
// reply is matched in order, so callers that do not await between calls get pipelining for free.
import { connect as netConnect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from '../../mail/logger';
import { MailError } from '../../mail/mailError';
import type { ServerSettings } from '../../mail/types';
import { connectTrusted, type TrustPolicy } from '../tls/certificateTrust';
import { describeFailure } from './pop3Failures';
import { Pop3ReplyReader, Pop3ServerError, type ExpectedReply, type Pop3Reply } from './pop3ReplyReader';
import { DEFAULT_POP3_TIMEOUTS, MAX_LISTING_BYTES, duration, retrLimit, type Pop3Timeouts } from './pop3Limits';
import { chooseMechanism, type SaslMechanism } from './pop3Sasl';

export interface Pop3ConnectOptions {
  server: ServerSettings;
  /** The password, or (OAuth2) an access token, sent with OAUTHBEARER or XOAUTH2. */
  password?: string;
  accessToken?: string;
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

interface CommandOptions {
  multiline?: boolean;
  sink?: (chunk: Buffer) => void;
  maxBytes?: number;
  /** Overall deadline for this reply; the default is Pop3Timeouts.commandMs. */
  deadlineMs?: number;
  /** What the log shows instead of the line (for credentials). */
  logAs?: string;
  continuation?: boolean;
}

export class Pop3Client {
  private socket: Duplex;
  private readonly reader: Pop3ReplyReader;
  private silence: NodeJS.Timeout | undefined;
  private deadline: NodeJS.Timeout | undefined;
  /** What each awaited reply answers, in order, so a timeout can name the command that went unanswered. */
  private readonly awaiting: Array<{ what: string; deadlineMs: number }> = [];
  private closedError: MailError | undefined;
  private capabilities = new Map<string, string[]>();
  private readonly where: string;

  private constructor(
    socket: Duplex,
    private readonly options: Pop3ConnectOptions,
    private readonly timeouts: Pop3Timeouts,
  ) {
    this.where = `${options.server.host}:${options.server.port}`;
    this.reader = new Pop3ReplyReader((error, source) =>
      this.fail(
        source === 'server'
          ? new MailError(
              'protocol',
              `${this.where} broke the POP3 protocol in its reply to ${this.awaiting[0]?.what ?? 'a command'}: ${error.message}; the connection was closed`,
            )
          : new MailError('storage', `a message from ${this.where} could not be stored: ${error.message}`, {
              cause: error,
            }),
      ),
    );
    this.socket = socket;
    this.attach(socket);
  }

  /** Connects, reads the greeting, negotiates TLS as the account requires, and logs in. */
  static async connect(options: Pop3ConnectOptions): Promise<Pop3Client> {
    const timeouts = { ...DEFAULT_POP3_TIMEOUTS, ...options.timeouts };
    const { server } = options;
    const action = `cannot connect to ${server.host}:${server.port} as "${server.user}"`;
    const socket =
      server.security === 'tls'
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
      throw describeFailure(server, client.where, error, action, 'auth');
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
      const reply = await this.command('CAPA', { multiline: true, maxBytes: 64 * 1024 });
      this.capabilities = new Map(
        (reply.body ?? Buffer.alloc(0))
          .toString('utf8')
          .split('\n')
          .filter(Boolean)
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
    return this.scanListing(await this.command('LIST', { multiline: true, maxBytes: MAX_LISTING_BYTES })).map(
      ([number, size]) => ({ number, size: Number(size) }),
    );
  }

  /** RFC 1939 UIDL. Rejects with kind 'unsupported' when the server has no unique ids. */
  async uidl(): Promise<UniqueId[]> {
    try {
      return this.scanListing(await this.command('UIDL', { multiline: true, maxBytes: MAX_LISTING_BYTES })).map(
        ([number, uid]) => ({ number, uid }),
      );
    } catch (error) {
      if (error instanceof Pop3ServerError) {
        throw new MailError('unsupported', `${this.where} does not support UIDL (${error.text || 'no reason given'})`, {
          cause: error,
        });
      }
      throw error;
    }
  }

  /** The header block (and `lines` lines of body), at most `maxBytes` long. */
  async top(number: number, lines: number, maxBytes = 1024 * 1024): Promise<Buffer> {
    return (await this.command(`TOP ${number} ${lines}`, { multiline: true, maxBytes })).body ?? Buffer.alloc(0);
  }

  /**
   * Streams message `number` to `sink`, dot-unstuffed with LF line ends, without holding it in memory. With the
   * size LIST reported, the reply is capped (retrLimit) and its deadline scaled to it. A server's refusal rejects
   * with Pop3ServerError and the session goes on; anything else ends the session.
   */
  async retr(number: number, sink: (chunk: Buffer) => void, listedSize?: number): Promise<void> {
    const deadlineMs =
      listedSize === undefined
        ? undefined
        : this.timeouts.commandMs + (listedSize / this.timeouts.minBytesPerSecond) * 1000;
    await this.command(`RETR ${number}`, {
      multiline: true,
      sink,
      maxBytes: listedSize === undefined ? undefined : retrLimit(listedSize),
      deadlineMs,
    });
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
    this.stopTimers();
    this.closedError ??= new MailError('network', `the connection to ${this.where} was closed`);
    this.reader.failAll(this.closedError);
    this.socket.destroy();
  }

  private async greeting(): Promise<void> {
    await this.await({ multiline: false }, 'the greeting', this.timeouts.connectMs);
  }

  /** RFC 2595 4: upgrade, and re-learn capabilities, since what was said in clear text may have been forged. */
  private async stls(): Promise<void> {
    if (!this.capabilities.has('STLS')) {
      throw new MailError(
        'tls',
        `${this.where} does not offer STLS, and the account requires it; the connection was not continued in clear text. Use TLS (usually port 995) if the server offers it`,
      );
    }
    try {
      await this.command('STLS');
    } catch (error) {
      if (!(error instanceof Pop3ServerError)) throw error;
      throw new MailError(
        'tls',
        `${this.where} refused STLS (${error.text}); the connection was not continued in clear text`,
      );
    }
    if (this.reader.unread > 0) {
      throw new MailError(
        'tls',
        `${this.where} sent data after agreeing to STLS and before the TLS handshake; possible injection attack`,
      );
    }
    const plain = this.socket;
    this.detach(plain);
    await new Promise<void>((resolve, reject) => {
      const secure = connectTrusted(
        { host: this.options.server.host, socket: plain },
        trustOf(this.options.server),
        () => resolve(),
      );
      this.socket = secure;
      this.attach(secure);
      secure.once('error', reject);
      clearTimeout(this.deadline);
      this.deadline = setTimeout(
        () => this.timedOut(`did not finish the TLS handshake within ${duration(this.timeouts.connectMs)}`),
        this.timeouts.connectMs,
      );
    });
    this.stopTimers();
    await this.capa();
  }

  private async login(): Promise<void> {
    const { user, host } = this.options.server;
    const offered = new Set((this.capabilities.get('SASL') ?? []).map((mechanism) => mechanism.toUpperCase()));
    const mechanism = chooseMechanism(offered, this.options.server, this.options);
    if (mechanism === 'noOAuth')
      throw new MailError(
        'unsupported',
        `${host} does not offer OAuth2 sign-in (SASL OAUTHBEARER or XOAUTH2) for POP3`,
      );
    if (mechanism !== 'userPass') return this.authenticate(mechanism);
    await this.command(`USER ${user}`);
    await this.command(`PASS ${this.options.password ?? ''}`, { logAs: 'PASS <redacted>' });
  }

  /** RFC 5034 AUTH with an initial response; a challenge in return means the mechanism failed. */
  private async authenticate(mechanism: SaslMechanism): Promise<void> {
    const reply = await this.command(`AUTH ${mechanism.name} ${mechanism.initialResponse()}`, {
      logAs: `AUTH ${mechanism.name} <redacted>`,
      continuation: true,
    });
    if (reply.continuation) {
      // "*" cancels the exchange (RFC 5034 4); the server then answers -ERR, which becomes the auth failure.
      await this.command('*');
    }
  }

  private command(line: string, options: CommandOptions = {}): Promise<Pop3Reply> {
    if (this.closedError) return Promise.reject(this.closedError);
    const what = options.logAs ?? line;
    this.options.log.trace(`C: ${what}`);
    const reply = this.await(
      {
        multiline: options.multiline ?? false,
        sink: options.sink,
        continuation: options.continuation,
        maxBytes: options.maxBytes,
      },
      what,
      options.deadlineMs ?? this.timeouts.commandMs,
    );
    this.socket.write(`${line}\r\n`);
    return reply;
  }

  private await(
    expected: Omit<ExpectedReply, 'resolve' | 'reject'>,
    what: string,
    deadlineMs: number,
  ): Promise<Pop3Reply> {
    return new Promise<Pop3Reply>((resolve, reject) => {
      this.awaiting.push({ what, deadlineMs });
      if (this.awaiting.length === 1) this.startHead();
      this.reader.expect({
        ...expected,
        resolve: (reply) => {
          this.options.log.trace(`S: ${reply.continuation ? '+' : '+OK'} ${reply.text}`);
          this.afterReply();
          resolve(reply);
        },
        reject: (error) => {
          if (error instanceof Pop3ServerError) this.options.log.debug(`S: -ERR ${error.text}`);
          this.afterReply();
          reject(error);
        },
      });
    });
  }

  private afterReply(): void {
    this.awaiting.shift();
    this.stopTimers();
    if (this.awaiting.length) this.startHead();
  }

  /** The reply next in line gets both clocks: silence (restarted by every byte) and its overall deadline. */
  private startHead(): void {
    const head = this.awaiting[0];
    this.armSilence();
    clearTimeout(this.deadline);
    this.deadline = setTimeout(
      () => this.timedOut(`did not finish its reply to ${head.what} within ${duration(head.deadlineMs)}`),
      head.deadlineMs,
    );
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
    if (this.awaiting.length) this.armSilence();
    this.reader.push(chunk);
  };

  private readonly onError = (error: Error) => {
    this.fail(
      error instanceof MailError
        ? error
        : describeFailure(this.options.server, this.where, error, `the connection to ${this.where} failed`, 'protocol'),
    );
  };

  private readonly onClose = () => {
    this.fail(new MailError('network', `${this.where} closed the connection`));
  };

  private armSilence(): void {
    clearTimeout(this.silence);
    const what = this.awaiting[0]?.what ?? 'a reply';
    const ms = what === 'the greeting' ? this.timeouts.connectMs : this.timeouts.replyMs;
    this.silence = setTimeout(() => this.timedOut(`did not answer ${what} within ${duration(ms)}`), ms);
  }

  private timedOut(what: string): void {
    this.fail(new MailError('network', `${this.where} ${what}; the connection was closed`));
    this.socket.destroy();
  }

  private stopTimers(): void {
    clearTimeout(this.silence);
    clearTimeout(this.deadline);
    this.silence = undefined;
    this.deadline = undefined;
  }

  private fail(error: MailError): void {
    this.closedError ??= error;
    this.stopTimers();
    this.reader.failAll(this.closedError);
    this.socket.destroy();
  }

  private scanListing(reply: Pop3Reply): Array<[number, string]> {
    return (reply.body ?? Buffer.alloc(0))
      .toString('utf8')
      .split('\n')
      .filter((line) => line.trim())
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
