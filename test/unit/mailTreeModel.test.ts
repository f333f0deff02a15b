// The Mail tree model on an in-memory backend: shape, paging, actions, failures, pushed changes and accounts that
// download their mail. Fast and exact; the same model against Dovecot is in test/integration/mailTreeModel.test.ts.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { AccountConfig } from '../../src/accounts/accountConfig';
import { AccountSessions } from '../../src/accounts/accountSessions';
import { silentLogger } from '../../src/mail/logger';
import { MailError } from '../../src/mail/mailError';
import type { FolderNode, LoadMoreNode, MailNode, MessageNode, NoticeNode } from '../../src/mailbox/mailNodes';
import { MailTreeModel } from '../../src/mailbox/mailTreeModel';
import { present } from '../../src/views/mailTreePresentation';
import { FakeMailBackend } from '../fakes/fakeMailBackend';
import { IMAP_ACCOUNT } from '../support/testAccounts';
import { waitFor } from '../support/waitFor';

const IMAP: AccountConfig = IMAP_ACCOUNT;
const POP3: AccountConfig = { ...IMAP, id: 'home', label: 'Home', protocol: 'pop3' };

const open: AccountSessions[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((sessions) => sessions.dispose()));
});

function setup(prepare: (backend: FakeMailBackend) => void, accounts: AccountConfig[] = [IMAP]) {
  const backends = new Map<string, FakeMailBackend>();
  const sessions: AccountSessions = new AccountSessions({
    passwords: { lookup: async () => ({ state: 'ok', password: 'pw' }) },
    log: silentLogger,
    createBackend: (account) => {
      const backend = new FakeMailBackend(account.id, { localStore: account.protocol === 'pop3' });
      prepare(backend);
      backends.set(account.id, backend);
      return backend;
    },
  });
  sessions.onDidChangeMail(({ account, change }) => model.folderChanged(account, change));
  open.push(sessions);
  sessions.update(accounts);
  const synced: string[] = [];
  const model: MailTreeModel = new MailTreeModel(sessions, {
    pageSize: 3,
    localChecks: { sync: async (id) => void synced.push(id) },
  });
  const fired: Array<MailNode | undefined> = [];
  model.onDidChange((node) => fired.push(node));
  const label = (node: MailNode) =>
    present(node, { account: (id) => sessions.account(id), status: (id) => sessions.status(id) }).label;
  const backend = (id = IMAP.id) => backends.get(id)!;
  return { sessions, model, fired, label, backend, synced };
}

async function inbox(model: MailTreeModel): Promise<FolderNode> {
  const folders = await model.children(model.roots()[0]);
  return folders.find((node): node is FolderNode => node.kind === 'folder' && node.folder.specialUse === 'inbox')!;
}

describe('Mail tree model (fake backend)', () => {
  test('accounts show their top-level folders, and subfolders under their parent', async () => {
    const { model, label } = setup((backend) =>
      backend.addFolder('Projects').addFolder('Projects/Letterbox', { parentPath: 'Projects' }),
    );
    const top = await model.children(model.roots()[0]);
    assert.deepEqual(top.map(label), ['Inbox', 'Trash', 'Projects']);
    const projects = top.find((node) => label(node) === 'Projects')!;
    assert.deepEqual(
      (await model.children(projects)).map(label),
      ['Letterbox'],
      'a folder with subfolders needs no "No messages" line',
    );
  });

  test('messages come newest first, a page at a time, with "Load more" until the oldest', async () => {
    const { model, label } = setup((backend) => backend.addMessages('INBOX', ['m1', 'm2', 'm3', 'm4', 'm5']));
    const folder = await inbox(model);
    const first = await model.children(folder);
    assert.deepEqual(first.map(label), ['m5', 'm4', 'm3', 'Load more…']);
    assert.equal((first[3] as LoadMoreNode).remaining, 2);
    await model.loadMore(first[3] as LoadMoreNode);
    assert.deepEqual((await model.children(folder)).map(label), ['m5', 'm4', 'm3', 'm2', 'm1']);
  });

  test("marking read changes the server first, then the node and the folder's unread count", async () => {
    const { model, backend } = setup((fake) => fake.addMessages('INBOX', ['a', 'b']));
    const folder = await inbox(model);
    assert.equal(folder.folder.unread, 2);
    const [newest] = (await model.children(folder)) as MessageNode[];
    await model.setFlags([newest], { seen: true });
    assert.equal(
      backend()
        .messagesIn('INBOX')
        .find((message) => message.subject === 'b')?.flags.seen,
      true,
    );
    assert.equal(newest.summary.flags.seen, true);
    assert.equal(model.folderOf('work', 'INBOX')?.unread, 1);
    assert.equal(model.unreadInInboxes(), 1);
  });

  test('a failed action changes nothing in the tree', async () => {
    const { model } = setup((fake) => {
      fake.addMessages('INBOX', ['a']);
      fake.failNext('setFlags', new MailError('protocol', 'NO flags are read-only'));
    });
    const [message] = (await model.children(await inbox(model))) as MessageNode[];
    await assert.rejects(model.setFlags([message], { seen: true }), /read-only/);
    assert.equal(message.summary.flags.seen, false);
    assert.equal(model.folderOf('work', 'INBOX')?.unread, 1);
  });

  test('deleting moves a message to Trash and out of the list; the counts come from the server again', async () => {
    const { model, label, backend } = setup((fake) => fake.addMessages('INBOX', ['keep', 'drop']));
    const folder = await inbox(model);
    const messages = (await model.children(folder)) as MessageNode[];
    await model.delete(messages.filter((node) => node.summary.subject === 'drop'));
    assert.deepEqual((await model.children(folder)).map(label), ['keep']);
    assert.deepEqual(
      backend()
        .messagesIn('Trash')
        .map((message) => message.subject),
      ['drop'],
    );
    assert.equal(model.folderOf('work', 'Trash')?.total, 1);
    assert.equal(model.messageNode(messages[0].summary.ref), undefined);
  });

  test('a folder that fails shows why, and a redraw does not ask the server again until a refresh', async () => {
    const { model, backend } = setup((fake) =>
      fake.failNext('listMessages', new MailError('network', 'connection reset')),
    );
    const folder = await inbox(model);
    const [notice] = (await model.children(folder)) as NoticeNode[];
    assert.equal(notice.kind, 'notice');
    assert.equal(notice.error?.kind, 'network');
    await model.children(folder);
    assert.equal(backend().calls.filter((call) => call === 'listMessages INBOX').length, 1);
    await model.refresh('work');
    await model.children(await inbox(model));
    assert.equal(backend().calls.filter((call) => call === 'listMessages INBOX').length, 2);
  });

  test('mail pushed by the server reloads that folder when it is next shown', async () => {
    const { model, label, backend, sessions } = setup((fake) => fake.addMessages('INBOX', ['old']));
    await sessions.run('work', (fake) => fake.listFolders());
    const folder = await inbox(model);
    assert.deepEqual((await model.children(folder)).map(label), ['old']);
    backend().addMessages('INBOX', ['new']);
    backend().emit('INBOX');
    assert.deepEqual((await model.children(await inbox(model))).map(label), ['new', 'old']);
  });

  test('an account that downloads its mail syncs once when first shown, and again on refresh', async () => {
    const { model, synced, label } = setup(() => undefined, [POP3]);
    assert.deepEqual((await model.children(model.roots()[0])).map(label), ['Inbox', 'Trash']);
    await model.children(model.roots()[0]);
    assert.deepEqual(synced, ['home']);
    await model.refresh('home');
    await model.children(model.roots()[0]);
    assert.deepEqual(synced, ['home', 'home']);
  });

  test('Mark Folder as Read marks every message of it, loaded or not, and the counts follow', async () => {
    const { model, backend } = setup((fake) => fake.addMessages('INBOX', ['a', 'b', 'c', 'd', 'e']));
    const folder = await inbox(model);
    const loaded = (await model.children(folder)).filter((node): node is MessageNode => node.kind === 'message');
    await model.markFolderRead('work', 'INBOX');
    assert.ok(
      backend()
        .messagesIn('INBOX')
        .every((message) => message.flags.seen),
      'all five on the server, not only the loaded page',
    );
    assert.ok(loaded.every((node) => node.summary.flags.seen));
    assert.equal(model.folderOf('work', 'INBOX')?.unread, 0);
  });

  test('every node knows its parent, so Go to Folder can reveal a nested folder', async () => {
    const { model } = setup((fake) =>
      fake
        .addFolder('Projects')
        .addFolder('Projects/Letterbox', { parentPath: 'Projects' })
        .addMessages('INBOX', ['a']),
    );
    const nested = await model.folderNodeOf('work', 'Projects/Letterbox');
    assert.ok(nested);
    const parent = model.parentOf(nested);
    assert.equal(parent?.kind === 'folder' && parent.folder.path, 'Projects');
    assert.equal(model.parentOf(parent!)?.kind, 'account');
    const [message] = (await model.children(await inbox(model))) as MessageNode[];
    assert.equal((model.parentOf(message) as FolderNode).folder.path, 'INBOX');
    assert.deepEqual(
      model.loadedMessages('work', 'INBOX').map((node) => node.summary.subject),
      ['a'],
    );
  });

  test('a flag change pushed by the server updates that message in place: the loaded pages stay', async () => {
    const { model, backend, sessions } = setup((fake) => fake.addMessages('INBOX', ['m1', 'm2', 'm3', 'm4', 'm5']));
    await sessions.run('work', (fake) => fake.listFolders());
    const folder = await inbox(model);
    const first = (await model.children(folder)).find((node): node is LoadMoreNode => node.kind === 'loadMore')!;
    await model.loadMore(first);
    const listed = backend().calls.filter((call) => call.startsWith('listMessages')).length;
    const [newest] = (await model.children(folder)) as MessageNode[];
    backend().emit('INBOX', {
      kind: 'flags',
      id: newest.summary.ref.id,
      flags: { ...newest.summary.flags, seen: true },
    });
    assert.equal(newest.summary.flags.seen, true);
    assert.equal(model.folderOf('work', 'INBOX')?.unread, 4);
    assert.equal(
      (await model.children(folder)).filter((node) => node.kind === 'message').length,
      5,
      'both pages still loaded',
    );
    assert.equal(
      backend().calls.filter((call) => call.startsWith('listMessages')).length,
      listed,
      'nothing listed again',
    );
  });

  test('new mail is merged in at the top of what is loaded, and announced once', async () => {
    const { model, backend, sessions } = setup((fake) => fake.addMessages('INBOX', ['old']));
    const announced: string[] = [];
    model.onDidReceiveMail(({ folder, arrived }) =>
      announced.push(...arrived.map((summary) => `${folder}:${summary.subject}`)),
    );
    await sessions.run('work', (fake) => fake.listFolders());
    const folder = await inbox(model);
    await model.children(folder);
    backend().addMessages('INBOX', ['new one']);
    backend().emit('INBOX', { kind: 'arrived', count: 1 });
    await waitFor(() => announced.length > 0, 'the arrival');
    assert.deepEqual(announced, ['INBOX:new one']);
    assert.deepEqual(
      ((await model.children(folder)) as MessageNode[]).map((node) => node.summary.subject),
      ['new one', 'old'],
    );
    backend().emit('INBOX', { kind: 'arrived', count: 0 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(announced, ['INBOX:new one'], 'not announced twice');
  });

  test('a listing the server answered before a delete or move does not bring those messages back', async () => {
    const { model, backend, sessions } = setup((fake) => {
      fake.addFolder('Archive');
      fake.addMessages('INBOX', ['m1', 'm2']);
    });
    await sessions.run('work', (fake) => fake.listFolders());
    const folder = await inbox(model);
    const [m2, m1] = (await model.children(folder)) as MessageNode[];
    let release = () => undefined as void;
    backend().holdListings = new Promise<void>((resolve) => (release = resolve));
    backend().addMessages('INBOX', ['m3']);
    const listed = backend().calls.length;
    // New mail: the folder's newest page is asked for, and the server's answer (m3, m2, m1) is on its way...
    backend().emit('INBOX', { kind: 'arrived', count: 1 });
    await waitFor(() => backend().calls.slice(listed).includes('listMessages INBOX'), 'the listing');
    backend().holdListings = undefined;
    // ...while the user deletes m2 and files m1 away.
    await model.delete([m2]);
    await model.move([m1], 'Archive');
    release();
    await waitFor(
      async () => ((await model.children(folder)) as MessageNode[]).some((node) => node.summary?.subject === 'm3'),
      'the arrival',
    );
    assert.deepEqual(
      ((await model.children(folder)) as MessageNode[]).map((node) => node.summary?.subject),
      ['m3'],
      'm2 and m1 stay gone',
    );
  });

  test('a kept search shows its results under keys of their own, beside the same messages in their folder', async () => {
    // VS Code refuses a tree where one id shows twice ("Element with id ... is already registered").
    const { model } = setup((fake) => fake.addMessages('INBOX', ['release notes', 'other']));
    const folder = await inbox(model);
    const inFolder = await model.children(folder);
    const search = model.addSearch('work', ['release']);
    const results = await model.children(search);
    assert.equal(results.length, 1);
    assert.ok(!inFolder.some((node) => node.key === results[0].key), 'the result has a key of its own');
    assert.equal(model.parentOf(results[0]), search, 'and is revealed under its search');
  });
});
