// Search against a real Dovecot: IMAP on the server (UID SEARCH), POP3 over the local store, the same questions
// for both: by sender, subject, a word of the body (also base64-encoded), a non-ASCII word, several words, none.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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
    {
      raw: buildMessage({
        subject: 'Quarterly numbers',
        from: 'Finance <finance@example.com>',
        text: 'The budget is attached.',
      }),
    },
    {
      raw: buildMessage({
        subject: 'Lunch?',
        from: 'Zoë Ölund <zoe@example.org>',
        text: 'Shall we try the Smørrebrød place on Friday?',
      }),
    },
    {
      raw: buildMessage({
        subject: 'Build failed',
        from: 'CI <ci@example.net>',
        html: '<p>The <b>pipeline</b> for letterbox failed at step lint.</p>',
      }),
    },
    {
      raw: buildMessage({
        subject: 'Report',
        from: 'Finance <finance@example.com>',
        text: 'Encoded body mentions zeppelin.',
        extraHeaders: {},
      }),
      date: new Date('2026-11-03T10:00:00Z'),
    },
  ]);
  await appendMessages(server, user, 'Archive', [
    { raw: buildMessage({ subject: 'Old pipeline notes', from: 'Bob <bob@example.org>', text: 'archived' }) },
  ]);
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

describe('POP3 search text: made when searched, bounded, let go', () => {
  test("a check builds no search index; the first search does, and keeps only the newest messages' text within its bound", async () => {
    const user = server.addUser('bound');
    // Oldest first; each text is about 80 characters once decoded and lower-cased.
    await appendMessages(
      server,
      user,
      'INBOX',
      Array.from({ length: 6 }, (_, i) => ({
        raw: buildMessage({ subject: `note ${i + 1}`, text: `word${i + 1} ${'filler '.repeat(10)}` }),
        date: new Date(Date.UTC(2026, 10, 1 + i)),
      })),
    );
    const { backend, storeRoot } = pop3Fixture(server, user, { searchTexts: { totalLimit: 200, idleMs: 100 } });
    await backend.sync();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    assert.equal(existsSync(join(storeRoot, 'search-text.json')), false, 'a user who never searches pays nothing');

    const newest = await backend.search({ words: ['word6'], limit: 50 });
    assert.deepEqual(
      newest.messages.map((message) => message.subject),
      ['note 6'],
    );
    const oldest = await backend.search({ words: ['word1'], limit: 50 });
    assert.deepEqual(oldest.messages, [], 'past the bound, the text is not searched');
    assert.match(oldest.note ?? '', /the text of the 4 oldest messages was not searched/);
    assert.deepEqual(
      (await backend.search({ words: ['note', '1'], limit: 50 })).messages.map((message) => message.subject),
      ['note 1'],
      'but sender and subject are',
    );
    const onDisk = JSON.parse(readFileSync(join(storeRoot, 'search-text.json'), 'utf8')) as {
      texts: Record<string, string>;
    };
    assert.equal(Object.keys(onDisk.texts).length, 2, 'the file holds only what is within the bound');
    assert.ok(Object.values(onDisk.texts).join('').length <= 200);
    await backend.close();
  });
});
