// Search against a real Dovecot: IMAP on the server (UID SEARCH), POP3 over the local store, the same questions
// for both: by sender, subject, a word of the body (also base64-encoded), a non-ASCII word, several words, none.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { MailBackend } from '../../src/mail/mailBackend';
import { DovecotServer, type TestUser } from '../servers/dovecot';
import { appendMessages } from '../mail/mailbox';
import { buildMessage } from '../mail/messageBuilder';
import { imapBackend } from './imapHelpers';
import { pop3Fixture, removeStores } from './pop3Helpers';

let server: DovecotServer;
before(async () => {
  server = await DovecotServer.start();
});
after(async () => {
  await server?.stop();
  removeStores();
});

async function seeded(): Promise<TestUser> {
  const user = server.addUser('search');
  await appendMessages(server, user, 'INBOX', [
    { raw: buildMessage({ subject: 'Quarterly numbers', from: 'Finance <finance@example.com>', text: 'The budget is attached.' }) },
    { raw: buildMessage({ subject: 'Lunch?', from: 'Zoë Ölund <zoe@example.org>', text: 'Shall we try the Smørrebrød place on Friday?' }) },
    { raw: buildMessage({ subject: 'Build failed', from: 'CI <ci@example.net>', html: '<p>The <b>pipeline</b> for letterbox failed at step lint.</p>' }) },
    { raw: buildMessage({ subject: 'Report', from: 'Finance <finance@example.com>', text: 'Encoded body mentions zeppelin.', extraHeaders: {} }), date: new Date('2026-11-03T10:00:00Z') },
  ]);
  await appendMessages(server, user, 'Archive', [{ raw: buildMessage({ subject: 'Old pipeline notes', from: 'Bob <bob@example.org>', text: 'archived' }) }]);
  return user;
}

const subjects = async (backend: MailBackend, words: string[], folder?: string) =>
  (await backend.search({ words, folder, limit: 50 })).messages.map((message) => message.subject).sort();

for (const protocol of ['imap', 'pop3'] as const) {
  describe(`search (${protocol})`, () => {
    let backend: MailBackend;
    before(async () => {
      const user = await seeded();
      if (protocol === 'imap') backend = imapBackend(server, user);
      else {
        const pop3 = pop3Fixture(server, user).backend;
        await pop3.sync();
        backend = pop3;
      }
    });
    after(() => backend.close());
    const inbox = protocol === 'imap' ? 'INBOX' : 'INBOX';

    test('by sender, subject and a word of the body', async () => {
      assert.deepEqual(await subjects(backend, ['finance@example.com'], inbox), ['Quarterly numbers', 'Report']);
      assert.deepEqual(await subjects(backend, ['lunch'], inbox), ['Lunch?']);
      assert.deepEqual(await subjects(backend, ['budget'], inbox), ['Quarterly numbers']);
      assert.deepEqual(await subjects(backend, ['pipeline'], inbox), ['Build failed'], 'a word of an HTML-only body');
    });

    test('a non-ASCII word, in the sender and in the body', async () => {
      assert.deepEqual(await subjects(backend, ['Ölund'], inbox), ['Lunch?']);
      assert.deepEqual(await subjects(backend, ['smørrebrød'], inbox), ['Lunch?']);
    });

    test('several words must all match; no match is an empty result', async () => {
      assert.deepEqual(await subjects(backend, ['finance', 'budget'], inbox), ['Quarterly numbers']);
      assert.deepEqual(await subjects(backend, ['finance', 'lunch'], inbox), []);
      const none = await backend.search({ words: ['xylophone'], folder: inbox, limit: 50 });
      assert.deepEqual([none.messages, none.total], [[], 0]);
    });

    if (protocol === 'imap') {
      test('without a folder, every folder of the account is searched, newest first', async () => {
        assert.deepEqual(await subjects(backend, ['pipeline']), ['Build failed', 'Old pipeline notes']);
        const found = await backend.search({ words: ['pipeline'], limit: 50 });
        assert.deepEqual(found.messages.map((message) => message.ref.folder).sort(), ['Archive', 'INBOX']);
      });
    }
  });
}
