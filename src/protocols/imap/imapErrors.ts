// Turns whatever imapflow or Node threw into a MailError that says what could not be done and what to do.
import type { ImapFlowError } from 'imapflow';
import { MailError } from '../../mail/mailError';
import type { ServerSettings } from '../../mail/types';

const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL',
  'CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'NoConnection', 'EConnectionClosed', 'ClosedAfterConnectText',
  'ClosedAfterConnectTLS', 'StateLogout',
]);

export function toMailError(error: unknown, action: string, server: ServerSettings): MailError {
  if (error instanceof MailError) return error.withContext(action);
  const err = (error ?? {}) as ImapFlowError & { code?: string };
  const where = `${server.host}:${server.port}`;
  const said = serverText(err);

  if (err.authenticationFailed || err.serverResponseCode === 'AUTHENTICATIONFAILED') {
    return new MailError('auth', `${action}: ${where} rejected the user name or password for "${server.user}"${said ? ` (${said})` : ''}. Check them and try again.`, { cause: error });
  }
  if (err.tlsFailed || err.code === 'UPGRADE_TIMEOUT' || err.code === 'STARTTLS_INJECTION' || /^ERR_SSL|^ERR_TLS/.test(err.code ?? '') || err.code === 'EPROTO') {
    const detail = /STARTTLS/i.test(err.message ?? '') && /support/i.test(err.message ?? '')
      ? `${where} does not offer STARTTLS, and the account requires it; the connection was not continued in clear text. Use TLS (usually port 993) if the server offers it`
      : `the TLS connection to ${where} failed (${err.message || err.code})`;
    return new MailError('tls', `${action}: ${detail}.`, { cause: error });
  }
  if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') {
    return new MailError('network', `${action}: the host name ${server.host} could not be resolved. Check the server name and your network.`, { cause: error });
  }
  if (err.code === 'ECONNREFUSED') {
    return new MailError('network', `${action}: nothing accepts connections on ${where} (connection refused). Check the server name, port and security setting.`, { cause: error });
  }
  if (err.code && NETWORK_CODES.has(err.code)) {
    return new MailError('network', `${action}: the connection to ${where} failed or was closed (${err.code}${err.message ? `: ${err.message}` : ''}). Check your network and try again.`, { cause: error });
  }
  if (err.mailboxMissing || err.serverResponseCode === 'NONEXISTENT' || err.code === 'NotFound') {
    return new MailError('notFound', `${action}: it does not exist on ${server.host}${said ? ` (${said})` : ''}. Refresh the folder list.`, { cause: error });
  }
  if (err.code === 'MissingServerExtension') {
    return new MailError('unsupported', `${action}: ${server.host} lacks a needed IMAP extension (${err.message}).`, { cause: error });
  }
  return new MailError('protocol', `${action}: ${said || err.message || String(error)}`, { cause: error });
}

function serverText(err: ImapFlowError): string {
  if (err.responseText) return err.responseText;
  return typeof err.response === 'string' ? err.response : '';
}
