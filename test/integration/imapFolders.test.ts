// Folder listing against a real Dovecot: hierarchy, special use, counts, modified UTF-7 names.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DovecotServer } from '../servers/dovecot';
import { appendMessages, withMailbox } from '../mail/mailbox';
import { buildMessage } from '../mail/messageBuilder';
import { imapBackend } from './imapHelpers';
import { mailRejection } from '../support/mailAssertions';

let server: DovecotServer;
before(async () => {
  server = await DovecotServer.start();
});
after(() => server?.stop());

describe('IMAP folders', () => {
  test('lists Inbox first, special-use folders with their role, and nested folders with their parent', async () => {
    const user = server.addUser();
    await withMailbox(server, user, async (client) => {
      await client.mailboxCreate('Projects');
      await client.mailboxCreate('Projects/Letterbox');
    });
    const backend = imapBackend(server, user);
    try {
      const folders = await backend.listFolders();
      assert.equal(folders[0].path, 'INBOX');
      assert.equal(folders[0].specialUse, 'inbox');
      assert.equal(folders[0].name, 'Inbox');
      const byPath = new Map(folders.map((folder) => [folder.path, folder]));
      for (const [path, use] of [
        ['Sent', 'sent'],
        ['Drafts', 'drafts'],
        ['Trash', 'trash'],
        ['Junk', 'junk'],
        ['Archive', 'archive'],
      ]) {
        assert.equal(byPath.get(path)?.specialUse, use, `${path} should be ${use}`);
      }
      const child = byPath.get('Projects/Letterbox');
      assert.ok(child, 'nested folder listed');
      assert.equal(child.name, 'Letterbox');
      assert.equal(child.parentPath, 'Projects');
      assert.equal(child.delimiter, '/');
      assert.equal(byPath.get('Projects')?.parentPath, undefined);
    } finally {
      await backend.close();
    }
  });

  test('reports total and unread counts per folder', async () => {
    const user = server.addUser();
    await appendMessages(server, user, 'INBOX', [
      { raw: buildMessage({ subject: 'one' }) },
      { raw: buildMessage({ subject: 'two' }), flags: ['\\Seen'] },
      { raw: buildMessage({ subject: 'three' }) },
    ]);
    await appendMessages(server, user, 'Archive', [{ raw: buildMessage({ subject: 'old' }), flags: ['\\Seen'] }]);
    const backend = imapBackend(server, user);
    try {
      const folders = await backend.listFolders();
      const inbox = folders.find((folder) => folder.path === 'INBOX');
      const archive = folders.find((folder) => folder.path === 'Archive');
      assert.deepEqual([inbox?.total, inbox?.unread], [3, 2]);
      assert.deepEqual([archive?.total, archive?.unread], [1, 0]);
    } finally {
      await backend.close();
    }
  });

  test('non-ASCII folder names arrive as Unicode and can be opened (modified UTF-7 on the wire)', async () => {
    const user = server.addUser();
    await withMailbox(server, user, async (client) => {
      await client.mailboxCreate('Entwürfe');
      await client.mailboxCreate('Entwürfe/Ärger & Co');
      await client.mailboxCreate('日本語');
    });
    await appendMessages(server, user, 'Entwürfe/Ärger & Co', [{ raw: buildMessage({ subject: 'umlaut folder' }) }]);
    const backend = imapBackend(server, user);
    try {
      const folders = await backend.listFolders();
      const paths = folders.map((folder) => folder.path);
      assert.ok(paths.includes('Entwürfe'), paths.join(', '));
      assert.ok(paths.includes('日本語'), paths.join(', '));
      const nested = folders.find((folder) => folder.path === 'Entwürfe/Ärger & Co');
      assert.equal(nested?.name, 'Ärger & Co');
      assert.equal(nested?.total, 1);
      const page = await backend.listMessages('Entwürfe/Ärger & Co', { limit: 10 });
      assert.equal(page.messages[0].subject, 'umlaut folder');
    } finally {
      await backend.close();
    }
    // The server stores it in modified UTF-7 (RFC 3501 5.1.3), proving the translation happened on the wire.
    await withMailbox(server, user, async (client) => {
      const raw = (await client.list()).map((entry) => entry.pathAsListed);
      assert.ok(raw.includes('Entw&APw-rfe'), raw.join(', '));
    });
  });

  test('listing a folder that does not exist fails with kind notFound', async () => {
    const user = server.addUser();
    const backend = imapBackend(server, user);
    try {
      const error = await mailRejection(backend.listMessages('No/Such/Folder', { limit: 10 }));
      assert.equal(error.kind, 'notFound');
      assert.match(error.message, /No\/Such\/Folder/);
    } finally {
      await backend.close();
    }
  });
});
