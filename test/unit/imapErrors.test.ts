import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MailError } from '../../src/mail/mailError';
import { toMailError } from '../../src/protocols/imap/imapErrors';

const server = { host: 'imap.example.org', port: 993, security: 'tls' as const, user: 'alice' };
const fail = (props: Record<string, unknown>, message = 'failed') => Object.assign(new Error(message), props);

test('each failure gets the kind the UI needs and a message saying what to do', () => {
  const cases: Array<[Record<string, unknown>, string, RegExp]> = [
    [
      { authenticationFailed: true, responseText: 'Authentication failed.' },
      'auth',
      /rejected the user name or password for "alice" \(Authentication failed\.\)/,
    ],
    [{ code: 'ECONNREFUSED' }, 'network', /nothing accepts connections on imap\.example\.org:993/],
    [{ code: 'ENOTFOUND' }, 'network', /host name imap\.example\.org could not be resolved/],
    [{ code: 'CONNECT_TIMEOUT' }, 'network', /failed or was closed \(CONNECT_TIMEOUT/],
    [{ tlsFailed: true, message: 'Server does not support STARTTLS' }, 'tls', /does not offer STARTTLS/],
    [{ code: 'ERR_SSL_WRONG_VERSION_NUMBER' }, 'tls', /TLS connection to imap\.example\.org:993 failed/],
    [
      { mailboxMissing: true, responseText: "Mailbox doesn't exist: Foo" },
      'notFound',
      /does not exist on imap\.example\.org/,
    ],
    [{ responseStatus: 'NO', responseText: 'Over quota' }, 'protocol', /Over quota/],
  ];
  for (const [props, kind, message] of cases) {
    const error = toMailError(fail(props, String(props.message ?? 'failed')), 'cannot do it', server);
    assert.equal(error.kind, kind, JSON.stringify(props));
    assert.match(error.message, /^cannot do it: /);
    assert.match(error.message, message);
  }
});

test('a MailError keeps its kind and certificate details, gaining the action as context', () => {
  const certificate = { host: 'h', sha256: 'AA', reason: 'it is self-signed' };
  const original = new MailError('tls', 'The certificate of h is not trusted', { certificate });
  const wrapped = toMailError(original, 'cannot connect to h:993', server);
  assert.equal(wrapped.kind, 'tls');
  assert.equal(wrapped.certificate, certificate);
  assert.equal(wrapped.message, 'cannot connect to h:993: The certificate of h is not trusted');
});

test('a bug of ours inside an IMAP operation is an internal error, never "the server refused"', () => {
  const summary = undefined as unknown as { envelope: { subject: string } };
  const bug = (() => {
    try {
      return summary.envelope.subject;
    } catch (error) {
      return error;
    }
  })();
  const error = toMailError(bug, 'cannot list messages in INBOX', server);
  assert.equal(error.kind, 'internal');
  assert.match(
    error.message,
    /^Letterbox failed while trying to list messages in INBOX \(Cannot read properties of undefined/,
  );
  assert.match(error.message, /bug in Letterbox, not a problem with your server/);
  // A server's refusal stays the server's.
  assert.equal(
    toMailError(fail({ responseStatus: 'NO', responseText: 'Over quota' }), 'cannot copy', server).kind,
    'protocol',
  );
});
