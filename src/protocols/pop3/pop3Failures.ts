// What a failed POP3 exchange means for the user: a server's -ERR during login is a rejected password unless its
// response code (RFC 2449, RFC 3206) says the mailbox is in use or the server has a problem; a socket failure is
// the network's. Each error names the action that failed.
import { MailError } from '../../mail/mailError';
import type { ServerSettings } from '../../mail/types';
import { socketFailure } from '../socketErrors';
import { Pop3ServerError } from './pop3ReplyReader';

/** -ERR during login is an authentication failure unless a response code (RFC 2449/3206) says otherwise. */
export function describeFailure(
  server: ServerSettings,
  where: string,
  error: unknown,
  action: string,
  serverErrorKind: 'auth' | 'protocol',
): MailError {
  if (error instanceof MailError) return error.message.startsWith(action) ? error : error.withContext(action);
  if (error instanceof Pop3ServerError) {
    if (error.responseCode === 'IN-USE') {
      return new MailError(
        'protocol',
        `${action}: the mailbox is in use by another POP3 session (${error.text}); try again in a minute`,
        { cause: error },
      );
    }
    if (error.responseCode === 'SYS/TEMP' || error.responseCode === 'SYS/PERM' || serverErrorKind === 'protocol') {
      return new MailError('protocol', `${action}: ${error.text}`, { cause: error });
    }
    return new MailError(
      'auth',
      `${action}: ${where} rejected the user name or password for "${server.user}" (${error.text}). Check them and try again.`,
      { cause: error },
    );
  }
  const code = error as { code?: string; message?: string };
  return (
    socketFailure(code, action, server.host, server.port) ??
    new MailError('network', `${action}: ${code.message ?? String(error)}`, { cause: error })
  );
}
