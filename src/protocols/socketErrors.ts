// Socket-level failures (DNS, refused, reset, timeouts, TLS alerts) described the same way for every protocol.
import { MailError } from '../mail/mailError';

const DROPPED = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'ECONNABORTED',
]);

/** A MailError for a Node socket error, or undefined when the error is not a socket-level one. */
export function socketFailure(
  error: { code?: string; message?: string },
  action: string,
  host: string,
  port: number,
): MailError | undefined {
  const where = `${host}:${port}`;
  const code = error.code ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new MailError(
      'network',
      `${action}: the host name ${host} could not be resolved. Check the server name and your network.`,
      { cause: error },
    );
  }
  if (code === 'ECONNREFUSED') {
    return new MailError(
      'network',
      `${action}: nothing accepts connections on ${where} (connection refused). Check the server name, port and security setting.`,
      { cause: error },
    );
  }
  if (DROPPED.has(code)) {
    return new MailError(
      'network',
      `${action}: the connection to ${where} failed or was closed (${code}). Check your network and try again.`,
      { cause: error },
    );
  }
  if (/^ERR_SSL|^ERR_TLS/.test(code) || code === 'EPROTO') {
    return new MailError('tls', `${action}: the TLS connection to ${where} failed (${error.message || code}).`, {
      cause: error,
    });
  }
  return undefined;
}
