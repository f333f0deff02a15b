// The core's reactions to what happens elsewhere, tested without VS Code on the fake backend (they lived in the
// tree's view-side model before, and could only be reached through a real server): a reconnect reloads and
// announces what arrived meanwhile once, a watch that comes back merges its folder in place, and the local-store
// check announces downloads but not an account's first one.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { AccountConfig } from '../../src/accounts/accountConfig';
import { AccountSessions } from '../../src/accounts/accountSessions';
import { silentLogger } from '../../src/mail/logger';
import type { FolderNode, MessageNode } from '../../src/mailbox/mailNodes';
import { MailTreeModel } from '../../src/mailbox/mailTreeModel';
import { FakeMailBackend } from '../fakes/fakeMailBackend';
import { waitFor } from '../support/waitFor';

const IMAP: AccountConfig = {
  id: 'work',
  label: 'Work',
  email: 'me@example.org',
  protocol: 'imap',
  host: 'imap.example.org',
  port: 993,
  security: 'tls',
  user: 'me',
};
const POP3: AccountConfig = { ...IMAP, id: 'home', label: 'Home', protocol: 'pop3', port: 995 };

const open: AccountSessions[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((sessions) => sessions.dispose()));
});

function setup(account: AccountConfig, downloads: () => number = () => 0) {
  let backend: FakeMailBackend | undefined;
  const sessions = new AccountSessions({
    passwords: { lookup: async () => ({ state: 'ok', password: 'pw' }) },
    log: silentLogger,
    createBackend: (config) => (backend = new FakeMailBackend(config.id, { localStore: config.protocol === 'pop3' })),
  });
  open.push(sessions);
  sessions.update([account]);
  const checks: string[] = [];
  const model: MailTreeModel = new MailTreeModel(sessions, {
    pageSize: 3,
    localChecks: {
      sync: async (id) => {
        checks.push(id);
        return { downloaded: downloads(), deletedFromServer: 0, onServer: 0, skipped: [] };
      },
    },
  });
  sessions.onDidChangeMail(({ account: id, change }) => model.folderChanged(id, change));
  const announced: string[] = [];
  model.onDidReceiveMail(({ folder, arrived }) => announced.push(...arrived.map((m) => `${folder}:${m.subject}`)));
  const inbox = async () =>
    ((await model.children(model.roots()[0])) as FolderNode[]).find((node) => node.folder?.specialUse === 'inbox')!;
  const subjects = async () =>
    ((await model.children(await inbox())) as MessageNode[])
      .filter((node) => node.kind === 'message')
      .map((node) => node.summary.subject);
  return { sessions, model, fake: () => backend!, announced, checks, inbox, subjects };
}

describe('the mailbox core follows what happens elsewhere', () => {
  test('back after a drop: the tree reloads, and what arrived meanwhile is announced once', async () => {
    const { model, fake, announced, subjects, sessions } = setup(IMAP);
    await sessions.run('work', (backend) => backend.listFolders());
    fake().addMessages('INBOX', ['before']);
    assert.deepEqual(await subjects(), ['before']);
    fake().addMessages('INBOX', ['while away']);
    await model.reconnected('work');
    assert.deepEqual(announced, ['INBOX:while away']);
    assert.deepEqual(await subjects(), ['while away', 'before']);
    await model.reconnected('work');
    assert.deepEqual(announced, ['INBOX:while away'], 'not twice');
  });

  test('a watch that comes back merges its folder in place: arrivals announced, flags and expunges applied, older pages kept', async () => {
    const { model, fake, announced, inbox, subjects, sessions } = setup(IMAP);
    await sessions.run('work', (backend) => backend.listFolders());
    const [, , , four, five] = fake().addMessages('INBOX', ['one', 'two', 'three', 'four', 'five']);
    const folder = await inbox();
    const loadMore = (await model.children(folder)).find((node) => node.kind === 'loadMore')!;
    await model.loadMore(loadMore as Parameters<MailTreeModel['loadMore']>[0]);
    assert.deepEqual(await subjects(), ['five', 'four', 'three', 'two', 'one']);
    // While the watch was down, elsewhere: "four" left the Inbox, "five" was read, "six" arrived.
    await fake().delete([four.ref]);
    await fake().setFlags([five.ref], { seen: true });
    fake().addMessages('INBOX', ['six']);
    model.folderChanged('work', { folder: 'INBOX', kind: 'resumed' });
    await waitFor(() => announced.length > 0, 'the arrival');
    assert.deepEqual(announced, ['INBOX:six']);
    const shown = (await model.children(folder)) as MessageNode[];
    assert.deepEqual(
      shown
        .filter((node) => node.kind === 'message')
        .map((node) => `${node.summary.subject}${node.summary.flags.seen ? ' (read)' : ''}`),
      ['six', 'five (read)', 'three', 'two', 'one'],
    );
  });

  test('a local-store check announces what it downloaded, but not the first download of an account', async () => {
    let downloaded = 0;
    const { model, fake, announced, checks, subjects } = setup(POP3, () => downloaded);
    assert.deepEqual(await subjects(), []);
    fake().addMessages('INBOX', ['first', 'second']);
    downloaded = 2;
    await model.checkLocalStore('home');
    assert.deepEqual(announced, [], 'the first download is the whole mailbox, not news');
    assert.deepEqual(await subjects(), ['second', 'first']);
    fake().addMessages('INBOX', ['third']);
    downloaded = 1;
    await model.checkLocalStore('home');
    assert.deepEqual(announced, ['INBOX:third']);
    assert.ok(checks.length >= 2);
  });
});
