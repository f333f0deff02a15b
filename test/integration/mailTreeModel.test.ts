// The Mail tree's logic against a real Dovecot, without VS Code: what children each node has, labels, counts,
// paging, and that every action reaches the server before the tree shows it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AccountConfig } from '../../src/accounts/accountConfig';
import { AccountSessions } from '../../src/accounts/accountSessions';
import type { FolderChange } from '../../src/mail/mailBackend';
import { mailBackendFactory } from '../../src/accounts/backendFactory';
import type { FolderNode, MailNode, MessageNode, LoadMoreNode, NoticeNode } from '../../src/mailbox/mailNodes';
import { MailTreeModel } from '../../src/mailbox/mailTreeModel';
import { present } from '../../src/views/mailTreePresentation';
import { DovecotServer, type TestUser } from '../servers/dovecot';
import { dovecotSettings } from '../servers/serverSettings';
import { appendMessages, messagesIn, withMailbox } from '../mail/mailbox';
import { buildMessage } from '../mail/messageBuilder';
import { collectingLogger } from './imapHelpers';
import { waitFor } from '../support/waitFor';

let server: DovecotServer;
const storage = mkdtempSync(join(tmpdir(), 'letterbox-tree-'));
const sessionsToClose: AccountSessions[] = [];
before(async () => {
  server = await DovecotServer.start();
});
after(async () => {
  await Promise.all(sessionsToClose.map((sessions) => sessions.dispose()));
  await server?.stop();
  rmSync(storage, { recursive: true, force: true });
});

function account(user: TestUser, protocol: 'imap' | 'pop3', overrides: Partial<AccountConfig> = {}): AccountConfig {
  return {
    id: `${protocol}-${user.user}`,
    label: `${user.user}@example.test`,
    email: `${user.user}@example.test`,
    protocol,
    ...dovecotSettings(server, user, protocol),
    pop3: protocol === 'pop3' ? { leaveOnServer: true, deleteWhenDeletedLocally: false } : undefined,
    ...overrides,
  };
}

function modelFor(accounts: AccountConfig[], passwords: Record<string, string>) {
  const changes: Array<MailNode | undefined> = [];
  const mailChanged: Array<(id: string, change: FolderChange) => void> = [];
  const sessions = new AccountSessions({
    passwords: {
      lookup: async (account) =>
        passwords[account.id] === undefined ? { state: 'missing' } : { state: 'ok', password: passwords[account.id] },
    },
    log: collectingLogger(),
    createBackend: mailBackendFactory({ log: collectingLogger(), storageRoot: storage }),
  });
  sessions.onDidChangeMail(({ account, change }) => mailChanged.forEach((listener) => listener(account, change)));
  sessionsToClose.push(sessions);
  sessions.update(accounts);
  const model = new MailTreeModel(sessions);
  mailChanged.push((id, change) => model.folderChanged(id, change));
  model.onDidChange((node) => changes.push(node));
  const look = (node: MailNode) =>
    present(node, {
      account: (id) => sessions.account(id),
      status: (id) => sessions.status(id),
      now: new Date('2026-11-28T12:00:00Z'),
      locale: 'en-US',
    });
  return { sessions, model, changes, look };
}

const labelsOf = (nodes: MailNode[], look: (node: MailNode) => { label: string }) =>
  nodes.map((node) => look(node).label);

describe('Mail tree model', () => {
  test('an IMAP account shows its folder hierarchy with Inbox first and unread counts', async () => {
    const user = server.addUser();
    await withMailbox(server, user, async (client) => {
      await client.mailboxCreate('Projects');
      await client.mailboxCreate('Projects/Letterbox');
    });
    await appendMessages(server, user, 'INBOX', [
      { raw: buildMessage({ subject: 'unread one' }) },
      { raw: buildMessage({ subject: 'read one' }), flags: ['\\Seen'] },
    ]);
    const config = account(user, 'imap');
    const { model, look, sessions } = modelFor([config], { [config.id]: user.password });
    const [root] = model.roots();
    assert.equal(look(root).label, config.label);
    const folders = (await model.children(root)) as FolderNode[];
    assert.deepEqual(labelsOf(folders, look), ['Inbox', 'Drafts', 'Sent', 'Archive', 'Junk', 'Trash', 'Projects']);
    assert.equal(look(folders[0]).description, '1');
    assert.equal(look(folders[0]).icon, 'inbox');
    assert.equal(look(folders[5]).icon, 'trash');
    assert.equal(sessions.status(config.id).state, 'online');
    assert.match(look(root).description ?? '', /IMAP · online/);
    const projects = folders.find((folder) => folder.folder.path === 'Projects')!;
    const inProjects = await model.children(projects);
    assert.deepEqual(labelsOf(inProjects, look).slice(0, 1), ['Letterbox']);
    assert.equal(model.unreadInInboxes(), 1);
  });

  test('messages come newest first, 50 at a time, with a Load more item that reaches the oldest', async () => {
    const user = server.addUser();
    await appendMessages(
      server,
      user,
      'INBOX',
      Array.from({ length: 120 }, (_, i) => ({
        raw: buildMessage({
          subject: `message ${i + 1}`,
          from: `Sender ${i + 1} <s${i + 1}@example.org>`,
          date: new Date(Date.UTC(2026, 10, 28, 0, i)),
        }),
      })),
    );
    const config = account(user, 'imap');
    const { model, look } = modelFor([config], { [config.id]: user.password });
    const [inbox] = (await model.children(model.roots()[0])) as FolderNode[];
    let children = await model.children(inbox);
    assert.equal(children.length, 51);
    assert.equal(look(children[0]).label, 'message 120');
    assert.match(look(children[0]).description ?? '', /^Sender 120 · /);
    assert.equal(look(children[0]).contextValue, 'message;unread;unflagged');
    assert.match(look(children[0]).tooltip ?? '', /From: Sender 120 <s120@example.org>/);
    const more = children[50] as LoadMoreNode;
    assert.equal(more.kind, 'loadMore');
    assert.equal(look(more).description, '70 older');
    await model.loadMore(more);
    children = await model.children(inbox);
    assert.equal(children.length, 101);
    await model.loadMore(children[100] as LoadMoreNode);
    children = await model.children(inbox);
    assert.equal(children.length, 120);
    assert.equal(look(children[119]).label, 'message 1');
    assert.ok(children.every((node) => node.kind === 'message'));
  });

  test('marking read, flagging, deleting and moving reach the server, then the tree', async () => {
    const user = server.addUser();
    await appendMessages(
      server,
      user,
      'INBOX',
      ['a', 'b', 'c', 'd'].map((subject) => ({ raw: buildMessage({ subject }) })),
    );
    const config = account(user, 'imap');
    const { model, look, changes } = modelFor([config], { [config.id]: user.password });
    const [inbox] = (await model.children(model.roots()[0])) as FolderNode[];
    const [d, c, b, a] = (await model.children(inbox)) as MessageNode[];
    await model.setFlags([d, c], { seen: true });
    await model.setFlags([b], { flagged: true });
    let state = await messagesIn(server, user, 'INBOX');
    assert.deepEqual(
      state.map((m) => [m.subject, m.flags.has('\\Seen'), m.flags.has('\\Flagged')]),
      [
        ['a', false, false],
        ['b', false, true],
        ['c', true, false],
        ['d', true, false],
      ],
    );
    assert.equal(look(d).icon, 'mail-read');
    assert.equal(look(b).icon, 'star-full');
    assert.equal(look(inbox).description, '2', 'unread count follows');
    assert.ok(changes.includes(d) && changes.includes(inbox));

    await model.delete([a]);
    await model.move([c], 'Archive');
    state = await messagesIn(server, user, 'INBOX');
    assert.deepEqual(
      state.map((m) => m.subject),
      ['b', 'd'],
    );
    assert.deepEqual(
      (await messagesIn(server, user, 'Trash')).map((m) => m.subject),
      ['a'],
    );
    assert.deepEqual(
      (await messagesIn(server, user, 'Archive')).map((m) => m.subject),
      ['c'],
    );
    const folders = (await model.children(model.roots()[0])) as FolderNode[];
    const inboxAfter = folders.find((folder) => folder.folder.path === 'INBOX')!;
    assert.deepEqual(labelsOf(await model.children(inboxAfter), look), ['d', 'b']);
    const trash = folders.find((folder) => folder.folder.path === 'Trash')!;
    assert.equal(trash.folder.total, 1, 'counts of the target folder come back from the server');
    assert.deepEqual(labelsOf(await model.children(trash), look), ['a']);
  });

  test('mail arriving on the server shows up without a refresh (IMAP IDLE)', async () => {
    const user = server.addUser();
    await appendMessages(server, user, 'INBOX', [{ raw: buildMessage({ subject: 'already here' }) }]);
    const config = account(user, 'imap');
    const { model, look, changes } = modelFor([config], { [config.id]: user.password });
    const root = model.roots()[0];
    const [inbox] = (await model.children(root)) as FolderNode[];
    assert.deepEqual(labelsOf(await model.children(inbox), look), ['already here']);
    // Give the watcher connection a moment to select the Inbox and start IDLE before the mail arrives.
    await new Promise((resolve) => setTimeout(resolve, 700));
    changes.length = 0;
    await appendMessages(server, user, 'INBOX', [{ raw: buildMessage({ subject: 'just arrived' }) }]);
    await waitFor(() => changes.includes(root), 'the account to redraw');
    const [inboxNow] = (await model.children(root)) as FolderNode[];
    assert.equal(look(inboxNow).description, '2');
    assert.deepEqual(labelsOf(await model.children(inboxNow), look), ['just arrived', 'already here']);
  });

  test('a wrong password shows a sign-in error under the account, and the account says error', async () => {
    const user = server.addUser();
    const config = account(user, 'imap');
    const { model, look, sessions } = modelFor([config], { [config.id]: 'wrong' });
    const [notice] = (await model.children(model.roots()[0])) as NoticeNode[];
    assert.equal(notice.kind, 'notice');
    assert.equal(look(notice).label, 'Sign-in failed');
    assert.match(look(notice).description ?? '', /rejected the user name or password/);
    assert.equal(look(notice).contextValue, 'error;kind=auth;enterPassword;editAccount;showLog');
    assert.equal(sessions.status(config.id).state, 'error');
    assert.equal(look(model.roots()[0]).icon, 'error');
  });

  test('a failing account is not asked again when the tree redraws it, only on refresh', async () => {
    const user = server.addUser();
    const config = account(user, 'imap');
    const { model } = modelFor([config], { [config.id]: 'wrong' });
    const attempts = () =>
      server
        .log()
        .split('\n')
        .filter((line) => line.includes(`user=<${user.user}>`) && line.includes('auth failed')).length;
    const root = model.roots()[0];
    await model.children(root);
    await model.children(root);
    await model.children(root);
    await waitFor(() => attempts() >= 1, 'a first login attempt');
    assert.equal(attempts(), 1, 'one login attempt, however often the node is drawn');
    await model.refresh(config.id);
    await model.children(root);
    await waitFor(() => attempts() === 2, 'a second login attempt');
  });

  test('a missing password says so instead of trying to log in', async () => {
    const user = server.addUser();
    const config = account(user, 'imap');
    const { model, look } = modelFor([config], {});
    const [notice] = await model.children(model.roots()[0]);
    assert.match(look(notice).description ?? '', /no password is stored/);
  });

  test('a POP3 account shows its local Inbox and Trash, and fills them by downloading in the background', async () => {
    const user = server.addUser();
    await appendMessages(server, user, 'INBOX', [
      { raw: buildMessage({ subject: 'pop one' }) },
      { raw: buildMessage({ subject: 'pop two' }) },
    ]);
    const config = account(user, 'pop3');
    const { model, look, changes } = modelFor([config], { [config.id]: user.password });
    const root = model.roots()[0];
    await model.children(root);
    await waitFor(() => changes.includes(root), 'the account to redraw');
    const [inbox, trash] = (await model.children(root)) as FolderNode[];
    assert.deepEqual([look(inbox).label, look(trash).label, look(inbox).description], ['Inbox', 'Trash', '2']);
    const messages = (await model.children(inbox)) as MessageNode[];
    assert.deepEqual(labelsOf(messages, look), ['pop two', 'pop one']);
    await model.setFlags([messages[0]], { seen: true });
    assert.equal(look(inbox).description, '1');
    await model.delete([messages[1]]);
    const [, trashAfter] = (await model.children(root)) as FolderNode[];
    assert.deepEqual(labelsOf(await model.children(trashAfter), look), ['pop one']);
    assert.equal((await messagesIn(server, user, 'INBOX')).length, 2, 'the default policy keeps the server copy');
    assert.deepEqual(labelsOf(await model.children(await emptyFolder(model, root)), look), ['No messages']);
  });
});

async function emptyFolder(model: MailTreeModel, root: MailNode): Promise<FolderNode> {
  const folders = (await model.children(root)) as FolderNode[];
  const [inbox] = folders;
  for (const node of (await model.children(inbox)) as MessageNode[]) await model.delete([node]);
  return ((await model.children(root)) as FolderNode[])[0];
}
