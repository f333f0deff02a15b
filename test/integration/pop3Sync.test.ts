// POP3 against a real Dovecot: download into the local store, read state that survives a restart, and every
// server-copy policy, checked on the server through a separate IMAP connection.
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { POP3_INBOX, POP3_TRASH } from '../../src/sync/pop3Backend';
import { DovecotServer } from '../servers/dovecot';
import { appendMessages, messagesIn } from '../mail/mailbox';
import { buildMessage } from '../mail/messageBuilder';
import { pop3Fixture, removeStores } from './pop3Helpers';

let server: DovecotServer;
before(async () => {
  server = await DovecotServer.start();
});
after(async () => {
  await server?.stop();
  removeStores();
});

async function seed(user: ReturnType<DovecotServer['addUser']>, subjects: string[]): Promise<void> {
  await appendMessages(
    server,
    user,
    'INBOX',
    subjects.map((subject, i) => ({
      raw: buildMessage({ subject, date: new Date(Date.UTC(2026, 10, 1, 8 + i)) }),
    })),
  );
}

const serverSubjects = async (user: ReturnType<DovecotServer['addUser']>) =>
  (await messagesIn(server, user, 'INBOX')).map((m) => m.subject);

describe('POP3 sync', () => {
  for (const security of ['tls', 'starttls'] as const) {
    test(`downloads every message into the local Inbox, newest first (${security})`, async () => {
      const user = server.addUser();
      await seed(user, ['first', 'second', 'third']);
      const port = security === 'tls' ? server.ports.pop3s : server.ports.pop3;
      const { backend, storeRoot } = pop3Fixture(server, user, { server: { port, security } });
      const progress: string[] = [];
      const report = await backend.sync((p) => progress.push(`${p.phase} ${p.done}/${p.total}`));
      assert.deepEqual(report, { downloaded: 3, deletedFromServer: 0, onServer: 3, skipped: [] });
      assert.ok(progress.includes('downloading 3/3'), progress.join(', '));
      const page = await backend.listMessages(POP3_INBOX, { limit: 10 });
      assert.deepEqual(
        page.messages.map((m) => m.subject),
        ['third', 'second', 'first'],
      );
      assert.ok(page.messages.every((m) => !m.flags.seen));
      const folders = await backend.listFolders();
      assert.deepEqual(
        folders.map((f) => [f.path, f.total, f.unread]),
        [
          [POP3_INBOX, 3, 3],
          [POP3_TRASH, 0, 0],
        ],
      );
      // A Maildir any reader can open: unread mail waits in new/.
      assert.equal(readdirSync(join(storeRoot, 'Maildir', 'new')).length, 3);
      await backend.close();
    });
  }

  test('a second sync downloads nothing again, and the server keeps its mail by default', async () => {
    const user = server.addUser();
    await seed(user, ['a', 'b']);
    const { backend } = pop3Fixture(server, user);
    await backend.sync();
    await seed(user, ['c']);
    assert.deepEqual(await backend.sync(), { downloaded: 1, deletedFromServer: 0, onServer: 3, skipped: [] });
    assert.deepEqual(await backend.sync(), { downloaded: 0, deletedFromServer: 0, onServer: 3, skipped: [] });
    assert.equal((await backend.listMessages(POP3_INBOX, { limit: 10 })).total, 3);
    assert.deepEqual(await serverSubjects(user), ['a', 'b', 'c']);
  });

  test('read and flagged state is local and survives a restart', async () => {
    const user = server.addUser();
    await seed(user, ['read me', 'leave me']);
    const fixture = pop3Fixture(server, user);
    await fixture.backend.sync();
    const [, readMe] = (await fixture.backend.listMessages(POP3_INBOX, { limit: 10 })).messages;
    const message = await fixture.backend.fetchMessage(readMe.ref);
    assert.equal(message.subject, 'read me');
    await fixture.backend.setFlags([readMe.ref], { seen: true, flagged: true });
    await fixture.backend.close();
    const restarted = fixture.reopen();
    const after = (await restarted.listMessages(POP3_INBOX, { limit: 10 })).messages;
    assert.deepEqual(
      after.map((m) => [m.subject, m.flags.seen, m.flags.flagged]),
      [
        ['leave me', false, false],
        ['read me', true, true],
      ],
    );
    assert.ok(readdirSync(join(fixture.storeRoot, 'Maildir', 'cur')).some((name) => name.endsWith(':2,FS')));
    assert.deepEqual(
      await serverSubjects(user),
      ['read me', 'leave me'],
      'POP3 has no flags: the server copy is untouched',
    );
  });

  test('with leave-on-server off, mail is deleted from the server once stored', async () => {
    const user = server.addUser();
    await seed(user, ['x', 'y']);
    const { backend } = pop3Fixture(server, user, { policy: { leaveOnServer: false } });
    assert.deepEqual(await backend.sync(), { downloaded: 2, deletedFromServer: 2, onServer: 0, skipped: [] });
    assert.deepEqual(await serverSubjects(user), []);
    assert.equal((await backend.listMessages(POP3_INBOX, { limit: 10 })).total, 2);
  });

  test('delete-when-deleted-locally removes the server copy at the next sync, and only that one', async () => {
    const user = server.addUser();
    await seed(user, ['keep', 'drop']);
    const { backend } = pop3Fixture(server, user, { policy: { deleteWhenDeletedLocally: true } });
    await backend.sync();
    const drop = (await backend.listMessages(POP3_INBOX, { limit: 10 })).messages.find((m) => m.subject === 'drop');
    assert.ok(drop);
    await backend.delete([drop.ref]);
    assert.deepEqual(
      (await backend.listMessages(POP3_TRASH, { limit: 10 })).messages.map((m) => m.subject),
      ['drop'],
    );
    assert.deepEqual(await serverSubjects(user), ['keep', 'drop'], 'nothing changes on the server before the sync');
    assert.deepEqual(await backend.sync(), { downloaded: 0, deletedFromServer: 1, onServer: 1, skipped: [] });
    assert.deepEqual(await serverSubjects(user), ['keep']);
  });

  test('without that policy, a message purged here stays on the server and is not downloaded again', async () => {
    const user = server.addUser();
    await seed(user, ['keep', 'purge']);
    const { backend } = pop3Fixture(server, user);
    await backend.sync();
    const purge = (await backend.listMessages(POP3_INBOX, { limit: 10 })).messages.find((m) => m.subject === 'purge');
    assert.ok(purge);
    await backend.delete([purge.ref]);
    const inTrash = (await backend.listMessages(POP3_TRASH, { limit: 10 })).messages[0];
    await backend.delete([inTrash.ref]);
    assert.equal((await backend.listMessages(POP3_TRASH, { limit: 10 })).total, 0);
    assert.deepEqual(await backend.sync(), { downloaded: 0, deletedFromServer: 0, onServer: 2, skipped: [] });
    assert.deepEqual(
      (await backend.listMessages(POP3_INBOX, { limit: 10 })).messages.map((m) => m.subject),
      ['keep'],
    );
    assert.deepEqual(await serverSubjects(user), ['keep', 'purge']);
  });

  test('delete-after-N-days removes server copies once they are old enough', async () => {
    const user = server.addUser();
    await seed(user, ['old']);
    let now = new Date();
    const { backend } = pop3Fixture(server, user, { policy: { deleteAfterDays: 7 }, now: () => now });
    assert.deepEqual(await backend.sync(), { downloaded: 1, deletedFromServer: 0, onServer: 1, skipped: [] });
    now = new Date(now.getTime() + 6 * 86_400_000);
    assert.equal((await backend.sync()).deletedFromServer, 0);
    now = new Date(now.getTime() + 2 * 86_400_000);
    assert.equal((await backend.sync()).deletedFromServer, 1);
    assert.deepEqual(await serverSubjects(user), []);
    assert.equal((await backend.listMessages(POP3_INBOX, { limit: 10 })).total, 1, 'the local copy stays');
  });

  test('non-ASCII mail and a 10 MB message arrive byte for byte', async () => {
    const user = server.addUser();
    const big = Buffer.alloc(10 * 1024 * 1024, 'A');
    await appendMessages(server, user, 'INBOX', [
      {
        raw: buildMessage({
          from: 'Søren Ølstykke <soren@example.dk>',
          subject: 'Ünïcödé ✓ 日本',
          text: 'Grüße\n.leading dot line\n..two dots',
        }),
      },
      {
        raw: buildMessage({
          subject: 'large',
          attachments: [{ filename: 'big.bin', contentType: 'application/octet-stream', content: big }],
        }),
      },
      // 8bit text, so Dovecot must dot-stuff the lines that start with "." and we must unstuff them.
      {
        raw: 'Subject: dots\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n.\r\n..\r\n.x\r\nend\r\n',
      },
    ]);
    const { backend } = pop3Fixture(server, user);
    await backend.sync();
    const listed = (await backend.listMessages(POP3_INBOX, { limit: 10 })).messages;
    const unicode = listed.find((m) => m.subject.startsWith('Ü'))!;
    const large = listed.find((m) => m.subject === 'large')!;
    const dots = listed.find((m) => m.subject === 'dots')!;
    assert.equal(
      Buffer.from(await backend.fetchSource(dots.ref))
        .toString()
        .split('\n\n')[1],
      '.\n..\n.x\nend\n',
    );
    assert.equal(unicode.subject, 'Ünïcödé ✓ 日本');
    assert.deepEqual(unicode.from, [{ name: 'Søren Ølstykke', address: 'soren@example.dk' }]);
    const parsed = await backend.fetchMessage(unicode.ref);
    assert.equal(parsed.text?.trim(), 'Grüße\n.leading dot line\n..two dots');
    const bigMessage = await backend.fetchMessage(large.ref);
    assert.equal(large.hasAttachments, true);
    assert.ok(Buffer.from(bigMessage.attachments[0].content).equals(big), 'the 10 MB attachment survived intact');
  });

  test('a damaged index is rebuilt from the Maildir and nothing is downloaded twice', async () => {
    const user = server.addUser();
    await seed(user, ['one', 'two']);
    const fixture = pop3Fixture(server, user);
    await fixture.backend.sync();
    await fixture.backend.close();
    writeFileSync(join(fixture.storeRoot, 'index.json'), '{"version":1,"entries":[{"uid":');
    const log = {
      lines: [] as string[],
      trace() {},
      debug() {},
      info() {},
      warn(m: string) {
        this.lines.push(m);
      },
      error() {},
    };
    const rebuilt = fixture.reopen({ log });
    assert.deepEqual(await rebuilt.sync(), { downloaded: 0, deletedFromServer: 0, onServer: 2, skipped: [] });
    assert.deepEqual(
      (await rebuilt.listMessages(POP3_INBOX, { limit: 10 })).messages.map((m) => m.subject),
      ['two', 'one'],
    );
    assert.ok(
      log.lines.some((line) => /index was damaged/.test(line)),
      log.lines.join('\n'),
    );
    assert.ok(
      readdirSync(fixture.storeRoot).some((name) => name.startsWith('index.json.damaged-')),
      'the damaged file is kept for inspection',
    );
  });
});
