// Turns whatever imapflow or Node threw into a MailError that says what could not be done and what to do.
import type { ImapFlowError } from 'imapflow';
import { MailError, internalError, isProgrammingError } from '../../mail/mailError';
import type { ServerSettings } from '../../mail/types';
import { socketFailure } from '../socketErrors';

// imapflow's own codes for a connection that failed, timed out or went away.
const CONNECTION_CODES = new Set([
  'CONNECT_TIMEOUT',
  'GREETING_TIMEOUT',
  'NoConnection',
  'EConnectionClosed',
  'ClosedAfterConnectText',
  'ClosedAfterConnectTLS',
  'StateLogout',
]);

export function toMailError(error: unknown, action: string, server: ServerSettings): MailError {
  if (error instanceof MailError) return error.withContext(action);
  // Our own code threw inside an IMAP operation (a bug): never reported as the server's refusal.
  if (isProgrammingError(error)) return internalError(error, `trying to ${action.replace(/^cannot /, '')}`);
  const err = (error ?? {}) as ImapFlowError & { code?: string };
  const where = `${server.host}:${server.port}`;
  const said = serverText(err);

  if (err.authenticationFailed || err.serverResponseCode === 'AUTHENTICATIONFAILED') {
    return new MailError(
      'auth',
      `${action}: ${where} rejected the user name or password for "${server.user}"${said ? ` (${said})` : ''}. Check them and try again.`,
      { cause: error },
    );
  }
  const socket = socketFailure(err, action, server.host, server.port);
  if (socket) return socket;
  if (err.tlsFailed || err.code === 'UPGRADE_TIMEOUT' || err.code === 'STARTTLS_INJECTION') {
    const detail =
      /STARTTLS/i.test(err.message ?? '') && /support/i.test(err.message ?? '')
        ? `${where} does not offer STARTTLS, and the account requires it; the connection was not continued in clear text. Use TLS (usually port 993) if the server offers it`
        : `the TLS connection to ${where} failed (${err.message || err.code})`;
    return new MailError('tls', `${action}: ${detail}.`, { cause: error });
  }
  if (err.code && CONNECTION_CODES.has(err.code)) {
    return new MailError(
      'network',
      `${action}: the connection to ${where} failed or was closed (${err.code}${err.message ? `: ${err.message}` : ''}). Check your network and try again.`,
      { cause: error },
    );
  }
  if (err.mailboxMissing || err.serverResponseCode === 'NONEXISTENT' || err.code === 'NotFound') {
    return new MailError(
      'notFound',
      `${action}: it does not exist on ${server.host}${said ? ` (${said})` : ''}. Refresh the folder list.`,
      { cause: error },
    );
  }
  if (err.code === 'MissingServerExtension') {
    return new MailError('unsupported', `${action}: ${server.host} lacks a needed IMAP extension (${err.message}).`, {
      cause: error,
    });
  }
  return new MailError('protocol', `${action}: ${said || err.message || String(error)}`, { cause: error });
}

function serverText(err: ImapFlowError): string {
  if (err.responseText) return err.responseText;
  return typeof err.response === 'string' ? err.response : '';
}
