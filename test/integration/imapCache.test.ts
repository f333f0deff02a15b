// The IMAP cache against a real Dovecot: a cold open fills it, a warm reopen shows it before the server answers
// and then only what changed, a rebuilt folder or a torn file is refetched, a server that cannot be reached still
// shows the cached tree and opens cached messages, and Remove Account takes the cache along.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AccountConfig } from '../../src/accounts/accountConfig';
import { AccountSessions } from '../../src/accounts/accountSessions';
import type { FolderNode, MessageNode, NoticeNode } from '../../src/mailbox/mailNodes';
import { MailTreeModel } from '../../src/mailbox/mailTreeModel';
import { appendMessages, inFolder, messagesIn, withMailbox } from '../mail/mailbox';
import { buildMessage } from '../mail/messageBuilder';
import { DovecotServer, type TestUser } from '../servers/dovecot';
import { FaultProxy } from '../servers/faultProxy';
import { waitFor } from '../support/waitFor';
import { cacheWindow } from './imapHelpers';

let server: DovecotServer;
const roots: string[] = [];
const open: AccountSessions[] = [];
const proxies: FaultProxy[] = [];
before(async () => {
  server = await DovecotServer.start();
});
after(async () => {
  await Promise.all(open.map((sessions) => sessions.dispose()));
  await Promise.all(proxies.map((proxy) => proxy.stop()));
  await server?.stop();
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** A window: sessions and a tree model over one storage folder (what survives a restart of VS Code). */
function window(user: TestUser, storage: string, overrides: Partial<AccountConfig> = {}) {
  const opened = cacheWindow(server, user, storage, { id: `cache-${user.user}`, ...overrides });
  open.push(opened.sessions);
  return opened;
}

async function seeded(count: number): Promise<{ user: TestUser; storage: string }> {
  const user = server.addUser('cache');
  await appendMessages(
    server,
    user,
    'INBOX',
    Array.from({ length: count }, (_, i) => ({
      raw: buildMessage({ subject: `message ${i + 1}`, text: `body ${i + 1}` }),
    })),
  );
  const storage = mkdtempSync(join(tmpdir(), 'letterbox-cache-'));
  roots.push(storage);
  return { user, storage };
}

async function inboxList(model: MailTreeModel): Promise<string[]> {
  const inbox = ((await model.children(model.roots()[0])) as FolderNode[]).find(
    (node) => node.kind === 'folder' && node.folder.specialUse === 'inbox',
  )!;
  return ((await model.children(inbox)).filter((node) => node.kind === 'message') as MessageNode[]).map(
    (node) => `${node.summary.subject}${node.summary.flags.seen ? ' (read)' : ''}`,
  );
}

describe('IMAP cache', () => {
  test('a cold open fills the cache; a restart with the server unreachable shows the cached tree, offline, and opens a cached message', async () => {
    const { user, storage } = await seeded(3);
    // The server is reached through a proxy, so that it can become unreachable without the account changing (a
    // changed port is another mailbox, whose cache is not this one's).
    const proxy = await FaultProxy.start(server.ports.imap);
    proxies.push(proxy);
    const first = window(user, storage, { port: proxy.port, security: 'none' });
    assert.deepEqual(await inboxList(first.model), ['message 3', 'message 2', 'message 1']);
    const [newest] = (await first.model.children(
      ((await first.model.children(first.model.roots()[0])) as FolderNode[])[0],
    )) as MessageNode[];
    await first.sessions.run(first.account.id, (backend) => backend.fetchMessage(newest.summary.ref));
    await first.sessions.dispose();
    assert.ok(
      readdirSync(join(storage, encodeURIComponent(first.account.id), 'cache')).some((name) =>
        name.startsWith('folder-'),
      ),
      'the cache is on disk',
    );

    // VS Code starts again, and the server cannot be reached (every connection is refused).
    proxy.refuseNew = true;
    const offline = window(user, storage, { port: proxy.port, security: 'none' });
    const top = await offline.model.children(offline.model.roots()[0]);
    assert.ok(
      top.some((node) => node.kind === 'folder' && node.folder.specialUse === 'inbox'),
      'cached folders show',
    );
    assert.deepEqual(await inboxList(offline.model), ['message 3', 'message 2', 'message 1'], 'cached messages show');
    await waitFor(() => offline.sessions.status(offline.account.id).state === 'offline', 'the account to say offline');
    const notices = (await offline.model.children(offline.model.roots()[0])).filter(
      (node): node is NoticeNode => node.kind === 'notice',
    );
    assert.equal(notices[0]?.error?.kind, 'network', 'an offline notice above the cached folders');
    const message = await offline.sessions.run(offline.account.id, (backend) =>
      backend.fetchMessage(newest.summary.ref),
    );
    assert.equal(message.subject, 'message 3', 'a message opened before opens offline');
    assert.equal(offline.sessions.status(offline.account.id).state, 'offline', 'and the account still says offline');
    await assert.rejects(
      offline.sessions.run(offline.account.id, (backend) => backend.setFlags([newest.summary.ref], { flagged: true })),
      (error: Error & { kind?: string }) => error.kind === 'network',
      'actions that need the server say so',
    );
  });

  test('a warm reopen shows the cache first, then what changed elsewhere: 10 flag changes and 3 expunges', async () => {
    const { user, storage } = await seeded(20);
    const first = window(user, storage);
    assert.equal((await inboxList(first.model)).length, 20);
    await first.sessions.dispose();
    // Another client changes things while this window is closed.
    await inFolder(server, user, 'INBOX', async (client) => {
      await client.messageFlagsAdd('1:10', ['\\Seen'], { uid: true });
      await client.messageDelete('18:20', { uid: true });
    });
    const second = window(user, storage);
    // At first the cached list (the server's answer replaces it right after).
    const shown = await inboxList(second.model);
    assert.equal(shown.length, 20, 'the cached list, before any server reply');
    await waitFor(async () => (await inboxList(second.model)).length === 17, 'the resync to land');
    const list = await inboxList(second.model);
    assert.equal(list.filter((line) => line.endsWith('(read)')).length, 10);
    assert.deepEqual(list.slice(0, 2), ['message 17', 'message 16']);
    // Dovecot offers QRESYNC (RFC 7162): the SELECT itself brought the changes.
    assert.ok(
      second.log.lines.some((line) => /SELECT INBOX \(QRESYNC \(\d+ \d+\)\)/.test(line)),
      'resynchronised with QRESYNC',
    );
    assert.ok(
      second.log.lines.some((line) => /VANISHED \(EARLIER\)/.test(line)),
      'expunges reported as VANISHED',
    );
  });

  test('a folder rebuilt on the server (new UIDVALIDITY) drops its cache and shows the new contents', async () => {
    const { user, storage } = await seeded(0);
    await withMailbox(server, user, (client) => client.mailboxCreate('Lists'));
    await appendMessages(server, user, 'Lists', [{ raw: buildMessage({ subject: 'old list mail' }) }]);
    const first = window(user, storage);
    const lists = async (model: MailTreeModel) => {
      const folder = ((await model.children(model.roots()[0])) as FolderNode[]).find(
        (node) => node.kind === 'folder' && node.folder.path === 'Lists',
      )!;
      return ((await model.children(folder)).filter((node) => node.kind === 'message') as MessageNode[]).map(
        (node) => node.summary.subject,
      );
    };
    assert.deepEqual(await lists(first.model), ['old list mail']);
    await first.sessions.dispose();
    await withMailbox(server, user, async (client) => {
      await client.mailboxDelete('Lists');
      await client.mailboxCreate('Lists');
    });
    await appendMessages(server, user, 'Lists', [{ raw: buildMessage({ subject: 'new list mail' }) }]);
    const second = window(user, storage);
    await lists(second.model);
    await waitFor(async () => (await lists(second.model)).join() === 'new list mail', "the rebuilt folder's own mail");
  });

  test('a torn cache file is detected and the folder refetched; Remove Account deletes the cache', async () => {
    const { user, storage } = await seeded(2);
    const first = window(user, storage);
    await inboxList(first.model);
    await first.sessions.dispose();
    const cacheDir = join(storage, encodeURIComponent(first.account.id), 'cache');
    for (const name of readdirSync(cacheDir).filter((file) => file.startsWith('folder-')))
      writeFileSync(join(cacheDir, name), 'LBX1 0000\n{"path":"INBOX","messages":[{"subject":"half');
    const second = window(user, storage);
    assert.deepEqual(await inboxList(second.model), ['message 2', 'message 1'], 'refetched, never shown half');
    assert.equal((await messagesIn(server, user, 'INBOX')).length, 2);
    await second.sessions.remove(second.account, { deleteLocalData: false });
    assert.equal(existsSync(cacheDir), false, 'the cache went with the account');
  });
});
