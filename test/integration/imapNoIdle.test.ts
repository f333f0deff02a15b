// A server without IDLE (RFC 2177): the watched folder is polled with NOOP on the account's interval instead, so new
// mail still shows up by itself.
import { after, before, test } from 'node:test';
import { ImapBackend } from '../../src/protocols/imap/imapBackend';
import { appendMessages } from '../mail/mailbox';
import { buildMessage } from '../mail/messageBuilder';
import { DovecotServer } from '../servers/dovecot';
import { dovecotSettings } from '../servers/serverSettings';
import { waitFor } from '../support/waitFor';
import { collectingLogger } from './imapHelpers';

let server: DovecotServer;
before(async () => {
  server = await DovecotServer.start({
    imapCapabilities:
      'IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE NAMESPACE CHILDREN LIST-EXTENDED SPECIAL-USE LIST-STATUS CONDSTORE UIDPLUS MOVE LITERAL+',
  });
});
after(() => server?.stop());

test('without IDLE, a watched folder is polled on the set interval and reports new mail', async () => {
  const user = server.addUser('noidle');
  const backend = new ImapBackend({
    account: 'noidle',
    server: dovecotSettings(server, user, 'imap'),
    password: async () => user.password,
    log: collectingLogger(),
    pollMs: () => 1_000,
  });
  const changes: string[] = [];
  const watch = await backend.watch('INBOX', (change) => changes.push(change.kind));
  try {
    await new Promise((resolve) => setTimeout(resolve, 300));
    await appendMessages(server, user, 'INBOX', [{ raw: buildMessage({ subject: 'polled in' }) }]);
    // imapflow's own fallback polls every 2 minutes: within 10 s only the set interval can have seen it.
    await waitFor(() => changes.includes('arrived'), 'the poll to see the new message', 10_000);
  } finally {
    watch.dispose();
    await backend.close();
  }
});
