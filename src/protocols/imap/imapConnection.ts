// protocols/imap: imapflow behind our rules. Never imports 'vscode'. One ImapFlow per connection attempt,
// because a closed ImapFlow cannot be reused; TLS trust is decided by protocols/tls before any byte of IMAP.
import type { ImapFlow, ImapFlowOptions, ImapTransport, Logger as ImapflowLogger } from 'imapflow';
import { connect as netConnect } from 'node:net';
import type { Logger } from '../../mail/logger';
import type { ServerSettings } from '../../mail/types';
import { connectTrusted, type TrustPolicy } from '../tls/certificateTrust';
import { toMailError } from './imapErrors';

export interface ImapTimeouts {
  /** TCP connect plus TLS handshake. */
  connectMs: number;
  greetingMs: number;
  /** Inactivity on an open connection. */
  socketMs: number;
}

export const DEFAULT_IMAP_TIMEOUTS: ImapTimeouts = { connectMs: 15_000, greetingMs: 15_000, socketMs: 5 * 60_000 };

export interface ImapConnectOptions {
  server: ServerSettings;
  /** The password, or (OAuth2) an access token, which imapflow sends with OAUTHBEARER or XOAUTH2. */
  password?: string;
  accessToken?: string;
  log: Logger;
  timeouts?: Partial<ImapTimeouts>;
  /** The watcher connection idles; the working connection runs commands and does not. */
  idle?: boolean;
}

/** A connected, authenticated client, plus the last refusal imapflow logged (its API returns `false` on NO). */
export interface ImapSession {
  client: ImapFlow;
  lastRefusal(): string | undefined;
}

export async function openImapSession(options: ImapConnectOptions): Promise<ImapSession> {
  const { server } = options;
  const timeouts = { ...DEFAULT_IMAP_TIMEOUTS, ...options.timeouts };
  const adapter = imapflowLogger(options.log);
  // imapflow takes about 55 ms to load: loaded with the first connection, not at activation (bench: activation).
  const { ImapFlow } = await import('imapflow');
  const client = new ImapFlow(clientOptions(options, timeouts, adapter.logger));
  // imapflow emits 'error' for failures outside a command; unhandled, Node would end the extension host.
  client.on('error', (error: Error) => options.log.warn(`connection error: ${error.message}`));
  try {
    await client.connect();
  } catch (error) {
    client.close();
    throw toMailError(error, `cannot connect to ${server.host}:${server.port} as "${server.user}"`, server);
  }
  return { client, lastRefusal: adapter.lastRefusal };
}

function clientOptions(options: ImapConnectOptions, timeouts: ImapTimeouts, logger: ImapflowLogger): ImapFlowOptions {
  const { server } = options;
  const policy: TrustPolicy = { host: server.host, pinnedSha256: server.pinnedCertificateSha256 };
  return {
    host: server.host,
    port: server.port,
    secure: server.security === 'tls',
    // true: STARTTLS or fail, never a silent fallback to clear text; false: the account asked for no TLS.
    doSTARTTLS: server.security === 'tls' ? undefined : server.security === 'starttls',
    auth: options.accessToken
      ? { user: server.user, accessToken: options.accessToken }
      : { user: server.user, pass: options.password ?? '' },
    logger,
    transport: trustedTransport(policy),
    clientInfo: { name: 'Letterbox' },
    // RFC 7162: a cached folder resynchronises in its SELECT where the server can (see imapResync.ts).
    qresync: true,
    disableAutoIdle: !options.idle,
    // The watcher connection does nothing but idle, so it may start IDLE almost at once. It restarts IDLE every
    // few minutes (RFC 2177 asks for less than 29), which also finds a connection that died silently (a laptop
    // that slept, a NAT that forgot it): the restart fails and the connection closes, so it can be rebuilt.
    autoIdleDelay: options.idle ? 250 : undefined,
    maxIdleTime: options.idle ? 4 * 60_000 : undefined,
    connectionTimeout: timeouts.connectMs,
    greetingTimeout: timeouts.greetingMs,
    socketTimeout: timeouts.socketMs,
  };
}

/** Node's net/tls, with every TLS handshake (implicit or STARTTLS) passed through the one trust decision. */
function trustedTransport(policy: TrustPolicy): ImapTransport {
  return {
    connect(options, onConnect) {
      if (!options.secure) return netConnect({ host: options.host, port: options.port }, onConnect);
      return connectTrusted({ host: options.host, port: options.port }, policy, onConnect);
    },
    upgrade(socket, options, onSecure) {
      return connectTrusted({ host: options.host, socket }, policy, onSecure);
    },
  };
}

interface ImapflowLogRecord {
  msg?: string;
  src?: string;
  err?: { message?: string; responseText?: string };
  [key: string]: unknown;
}

/**
 * imapflow logs objects; the output channel wants lines. Protocol traffic goes to trace, imapflow's own
 * debug/info to debug, so the default log level stays readable. Secrets are redacted by the tagged logger.
 */
function imapflowLogger(log: Logger): {
  logger: ImapflowLogger & { isLevelEnabled(level: string): boolean };
  lastRefusal: () => string | undefined;
} {
  let refusal: string | undefined;
  const line = (record: ImapflowLogRecord) => {
    const error = record.err ? `: ${record.err.responseText || record.err.message}` : '';
    return `${record.src ? `${record.src} ` : ''}${record.msg ?? ''}${error}`.trim();
  };
  const remember = (record: ImapflowLogRecord) => {
    if (record.err) refusal = record.err.responseText || record.err.message;
  };
  return {
    lastRefusal: () => refusal,
    logger: {
      // imapflow asks before it serialises a command or response for the log (its isLogLevelEnabled); without this
      // it re-compiles every FETCH response of a 10,000-message listing only for the line to be dropped.
      isLevelEnabled: (level: string) => (level === 'trace' || level === 'debug' ? log.tracing?.() !== false : true),
      trace: (record: ImapflowLogRecord) => log.trace(line(record)),
      debug: (record: ImapflowLogRecord) => log.trace(line(record)),
      info: (record: ImapflowLogRecord) => log.debug(line(record)),
      warn: (record: ImapflowLogRecord) => {
        remember(record);
        log.warn(line(record));
      },
      error: (record: ImapflowLogRecord) => {
        remember(record);
        log.error(line(record));
      },
    },
  };
}
