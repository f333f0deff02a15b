// Every folder's counts, on the in-memory backend: with NOTIFY one watch reports that counts changed and the tree
// reads them all; without it the counts are polled; new mail in a folder nobody watches is fetched only when it
// is loaded or the user wants to hear of it there. The same against Dovecot: test/integration/folderCounts.test.ts.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { AccountConfig } from '../../src/accounts/accountConfig';
import { AccountSessions } from '../../src/accounts/accountSessions';
import { COUNTS_FOLDER } from '../../src/mail/mailBackend';
import { silentLogger } from '../../src/mail/logger';
import type { Folder } from '../../src/mail/types';
import type { FolderNode } from '../../src/mailbox/mailNodes';
import { MailTreeModel } from '../../src/mailbox/mailTreeModel';
import { FakeMailBackend } from '../fakes/fakeMailBackend';
import { IMAP_ACCOUNT } from '../support/testAccounts';
import { waitFor } from '../support/waitFor';

const IMAP: AccountConfig = IMAP_ACCOUNT;

const open: AccountSessions[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((sessions) => sessions.dispose()));
});

function setup(notify: boolean, wants: (folder: Folder) => boolean = () => false) {
  let backend: FakeMailBackend | undefined;
  const sessions = new AccountSessions({
    passwords: { lookup: async () => ({ state: 'ok', password: 'pw' }) },
    log: silentLogger,
    createBackend: (account) => {
      backend = new FakeMailBackend(account.id);
      backend.notify = notify;
      backend.addFolder('Lists').addFolder('Alerts');
      return backend;
    },
  });
  open.push(sessions);
  const model = new MailTreeModel(sessions, { wantsArrivals: (_account, folder) => wants(folder) });
  sessions.onDidChangeMail(({ account, change }) => model.folderChanged(account, change));
  sessions.update([IMAP]);
  const announced: string[] = [];
  model.onDidReceiveMail(({ folder, arrived }) =>
    announced.push(...arrived.map((summary) => `${folder}:${summary.subject}`)),
  );
  return { sessions, model, announced, backend: () => backend! };
}

async function shown(model: MailTreeModel): Promise<FolderNode[]> {
  return (await model.children(model.roots()[0])).filter((node): node is FolderNode => node.kind === 'folder');
}

const unreadOf = (model: MailTreeModel, path: string) => model.folderOf('work', path)?.unread;

describe('Every folder count (fake backend)', () => {
  test('with NOTIFY, one watch for the account reports counts; the tree reads them at once, without polling', async () => {
    const { sessions, model, backend } = setup(true);
    await sessions.run('work', (fake) => fake.listFolders());
    await shown(model);
    await waitFor(() => sessions.countsLive('work'), 'the counts watch');
    assert.ok(backend().calls.includes(`watch ${COUNTS_FOLDER}`));
    backend().addMessages('Lists', ['filed by a rule']);
    const listed = backend().calls.filter((call) => call === 'listFolders').length;
    backend().emit(COUNTS_FOLDER, { kind: 'counts' });
    await waitFor(() => unreadOf(model, 'Lists') === 1, 'the count of Lists');
    assert.equal(backend().calls.filter((call) => call === 'listFolders').length, listed + 1, 'one LIST-STATUS');
    // The poll leaves an account with live counts alone.
    await model.refreshCounts();
    assert.equal(backend().calls.filter((call) => call === 'listFolders').length, listed + 1);
  });

  test('without NOTIFY the counts watch is refused once, and the poll keeps every count right', async () => {
    const { sessions, model, backend } = setup(false);
    await sessions.run('work', (fake) => fake.listFolders());
    await shown(model);
    await waitFor(() => backend().calls.some((call) => call === 'watch INBOX'), 'the Inbox watch');
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(sessions.countsLive('work'), false);
    backend().addMessages('Alerts', ['disk almost full']);
    await model.refreshCounts();
    assert.equal(unreadOf(model, 'Alerts'), 1);
  });

  test('new mail in a folder nobody watches is fetched and announced only where the user wants notices', async () => {
    const { sessions, model, backend, announced } = setup(true, (folder) => folder.path === 'Alerts');
    await sessions.run('work', (fake) => fake.listFolders());
    await shown(model);
    await waitFor(() => sessions.countsLive('work'), 'the counts watch');
    backend().addMessages('Lists', ['quiet list mail']);
    backend().addMessages('Alerts', ['the build broke']);
    backend().emit(COUNTS_FOLDER, { kind: 'counts' });
    await waitFor(() => announced.length > 0, 'the announcement');
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(announced, ['Alerts:the build broke']);
    assert.equal(
      backend().calls.some((call) => call === 'listMessages Lists'),
      false,
      'no summaries fetched for a folder without notices',
    );
    assert.equal(unreadOf(model, 'Lists'), 1, 'its count is right all the same');
  });

  test('a burst of count reports is read once or twice, never once per report', async () => {
    const { sessions, model, backend } = setup(true);
    await sessions.run('work', (fake) => fake.listFolders());
    await shown(model);
    await waitFor(() => sessions.countsLive('work'), 'the counts watch');
    const listed = backend().calls.filter((call) => call === 'listFolders').length;
    for (let i = 0; i < 10; i++) backend().emit(COUNTS_FOLDER, { kind: 'counts' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const reads = backend().calls.filter((call) => call === 'listFolders').length - listed;
    assert.ok(reads >= 1 && reads <= 2, `${reads} reads`);
  });

  test('with NOTIFY the folder on show needs no IDLE of its own: a message read elsewhere there is followed', async () => {
    const { sessions, model, backend } = setup(true);
    await sessions.run('work', (fake) => fake.listFolders());
    const folders = await shown(model);
    await waitFor(() => sessions.countsLive('work'), 'the counts watch');
    const [filed] = backend().addMessages('Lists', ['filed']);
    const lists = folders.find((node) => node.folder.path === 'Lists')!;
    await model.children(lists);
    assert.equal(backend().calls.includes('watch Lists'), false, 'no IDLE connection for the folder on show');
    filed.flags = { ...filed.flags, seen: true };
    backend().emit(COUNTS_FOLDER, { kind: 'counts' });
    await waitFor(
      async () => (await model.children(lists)).some((node) => node.kind === 'message' && node.summary.flags.seen),
      'the message shown read',
    );
    assert.equal(unreadOf(model, 'Lists'), 0);
  });
});
