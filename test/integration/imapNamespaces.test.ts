// The "INBOX." layout of Courier, older Cyrus and many hosts, played by Dovecot (namespace prefix INBOX., separator
// "."): personal folders show at the top level beside Inbox, in the usual order and with their plain names, while
// moves and deletes use the real paths.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AccountConfig } from '../../src/accounts/accountConfig';
import { AccountSessions } from '../../src/accounts/accountSessions';
import { mailBackendFactory } from '../../src/accounts/backendFactory';
import type { FolderNode, MessageNode } from '../../src/mailbox/mailNodes';
import { MailTreeModel } from '../../src/mailbox/mailTreeModel';
import { DovecotServer, type TestUser } from '../servers/dovecot';
import { dovecotSettings } from '../servers/serverSettings';
import { appendMessages, messagesIn, withMailbox } from '../mail/mailbox';
import { buildMessage } from '../mail/messageBuilder';
import { collectingLogger, imapBackend } from './imapHelpers';

let server: DovecotServer;
const storage = mkdtempSync(join(tmpdir(), 'letterbox-namespaces-'));
const sessionsToClose: AccountSessions[] = [];
before(async () => {
  server = await DovecotServer.start({ inboxPrefix: true });
});
after(async () => {
  await Promise.all(sessionsToClose.map((sessions) => sessions.dispose()));
  await server?.stop();
  rmSync(storage, { recursive: true, force: true });
});

async function userWithMail(): Promise<TestUser> {
  const user = server.addUser('ns');
  await withMailbox(server, user, (client) => client.mailboxCreate('INBOX.Clients'));
  await appendMessages(server, user, 'INBOX', [
    { raw: buildMessage({ subject: 'keep' }) },
    { raw: buildMessage({ subject: 'to trash' }) },
    { raw: buildMessage({ subject: 'to archive' }) },
  ]);
  return user;
}

function model(user: TestUser): MailTreeModel {
  const log = collectingLogger();
  const account: AccountConfig = {
    id: `ns-${user.user}`,
    label: 'Prefixed',
    email: '',
    protocol: 'imap',
    ...dovecotSettings(server, user, 'imap'),
  };
  const sessions = new AccountSessions({
    passwords: { lookup: async () => ({ state: 'ok', password: user.password }) },
    log,
    createBackend: mailBackendFactory({ log, storageRoot: storage }),
  });
  sessionsToClose.push(sessions);
  sessions.update([account]);
  return new MailTreeModel(sessions);
}

describe('IMAP with the INBOX. namespace prefix', () => {
  test('the server really uses the prefix (the test would prove nothing otherwise)', async () => {
    const user = await userWithMail();
    const paths = await withMailbox(server, user, async (client) => (await client.list()).map((entry) => entry.path));
    assert.ok(paths.includes('INBOX.Trash') && paths.includes('INBOX.Clients'), paths.join(', '));
    assert.equal(await withMailbox(server, user, async (client) => client.namespace?.prefix), 'INBOX.');
  });

  test('folders show at the top level in the usual order, with plain names and their real paths', async () => {
    const user = await userWithMail();
    const tree = model(user);
    const top = (await tree.children(tree.roots()[0])) as FolderNode[];
    assert.deepEqual(
      top.map((node) => node.folder.name),
      ['Inbox', 'Drafts', 'Sent', 'Archive', 'Junk', 'Trash', 'Clients'],
    );
    assert.deepEqual(
      top.map((node) => node.folder.path),
      ['INBOX', 'INBOX.Drafts', 'INBOX.Sent', 'INBOX.Archive', 'INBOX.Junk', 'INBOX.Trash', 'INBOX.Clients'],
    );
    const inboxChildren = await tree.children(top[0]);
    assert.ok(
      inboxChildren.every((node) => node.kind === 'message'),
      'collapsing Inbox hides no folder',
    );
    const targets = await tree.moveTargets(`ns-${user.user}`);
    assert.deepEqual(
      targets.map((folder) => folder.name),
      ['Inbox', 'Drafts', 'Sent', 'Archive', 'Junk', 'Trash', 'Clients'],
      'the Move picker uses the same names',
    );
  });

  test('delete goes to INBOX.Trash and move to INBOX.Archive, on the server', async () => {
    const user = await userWithMail();
    const tree = model(user);
    const [inbox] = (await tree.children(tree.roots()[0])) as FolderNode[];
    const messages = (await tree.children(inbox)) as MessageNode[];
    await tree.delete(messages.filter((node) => node.summary.subject === 'to trash'));
    await tree.move(
      messages.filter((node) => node.summary.subject === 'to archive'),
      'INBOX.Archive',
    );
    assert.deepEqual(
      (await messagesIn(server, user, 'INBOX.Trash')).map((m) => m.subject),
      ['to trash'],
    );
    assert.deepEqual(
      (await messagesIn(server, user, 'INBOX.Archive')).map((m) => m.subject),
      ['to archive'],
    );
    assert.deepEqual(
      (await messagesIn(server, user, 'INBOX')).map((m) => m.subject),
      ['keep'],
    );
  });

  test('errors name folders as the tree does, with the real path beside the name', async () => {
    const user = await userWithMail();
    const backend = imapBackend(server, user);
    try {
      await backend.listFolders();
      const [message] = (await backend.listMessages('INBOX', { limit: 1 })).messages;
      // Deleted on the server after the list was read (Dovecot would recreate its auto folders, not this one).
      await withMailbox(server, user, (client) => client.mailboxDelete('INBOX.Clients'));
      await assert.rejects(backend.move([message.ref], 'INBOX.Clients'), /to Clients \(INBOX\.Clients\)/);
    } finally {
      await backend.close();
    }
  });
});
