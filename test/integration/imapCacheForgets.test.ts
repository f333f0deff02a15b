// The IMAP cache belongs to one mailbox and forgets what left it, against a real Dovecot: Edit Account to another
// user or server drops the old mailbox's cache before anything of it shows; a deleted, moved or expunged message's
// kept body leaves the disk; "keep none" (letterbox.cache.messageSizeMB: 0) empties the body cache at once; and the
// caches of accounts no longer configured go.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AccountConfig } from '../../src/accounts/accountConfig';
import { AccountSessions } from '../../src/accounts/accountSessions';
import { accountStorePath, boundCaches } from '../../src/accounts/backendFactory';
import type { MessageRef } from '../../src/mail/types';
import type { FolderNode, MessageNode } from '../../src/mailbox/mailNodes';
import { appendMessages, inFolder } from '../mail/mailbox';
import { buildMessage } from '../mail/messageBuilder';
import { DovecotServer, type TestUser } from '../servers/dovecot';
import { freePort } from '../servers/ports';
import { waitFor } from '../support/waitFor';
import { cacheWindow } from './imapHelpers';

let server: DovecotServer;
const roots: string[] = [];
const open: AccountSessions[] = [];
before(async () => {
  server = await DovecotServer.start();
});
after(async () => {
  await Promise.all(open.map((sessions) => sessions.dispose()));
  await server?.stop();
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

const ID = 'work';

function window(user: TestUser, storage: string, overrides: Partial<AccountConfig> = {}) {
  const { sessions, model, account, log } = cacheWindow(server, user, storage, { id: ID, ...overrides });
  open.push(sessions);
  const folder = async (path: string) =>
    ((await model.children(model.roots()[0])) as FolderNode[]).find(
      (node) => node.kind === 'folder' && node.folder.path === path,
    );
  const list = async (path: string) =>
    (await model.children((await folder(path))!)).filter((node) => node.kind === 'message') as MessageNode[];
  const read = (ref: MessageRef) => sessions.run(ID, (backend) => backend.fetchMessage(ref));
  return { sessions, model, account, log, folder, list, read };
}

async function seeded(prefix: string, count: number): Promise<TestUser> {
  const user = server.addUser(prefix);
  await appendMessages(
    server,
    user,
    'INBOX',
    Array.from({ length: count }, (_, i) => ({
      raw: buildMessage({ subject: `${prefix} ${i + 1}`, text: `the text of ${prefix} ${i + 1}` }),
    })),
  );
  return user;
}

function storage(): string {
  const root = mkdtempSync(join(tmpdir(), 'letterbox-forget-'));
  roots.push(root);
  return root;
}

/** Every kept message body of the account, wherever the cache keeps it. */
function keptBodies(root: string): string[] {
  const bodies = join(accountStorePath(root, ID), 'bodies');
  const walk = (dir: string): string[] =>
    existsSync(dir)
      ? readdirSync(dir).flatMap((name) =>
          statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : name.endsWith('.eml') ? [name] : [],
        )
      : [];
  return walk(bodies);
}

describe('the IMAP cache forgets', () => {
  test("Edit Account to another user: the old mailbox's cache is dropped before anything of it shows, even offline", async () => {
    const root = storage();
    const ann = await seeded('ann', 2);
    const bob = await seeded('bob', 1);
    const first = window(ann, root);
    const [newest] = await first.list('INBOX');
    assert.equal(newest.summary.subject, 'ann 2');
    await first.read(newest.summary.ref);
    await first.sessions.dispose();

    // The same account id now names Bob's mailbox, on a server that cannot be reached right now.
    const edited = window(bob, root, { port: await freePort(), security: 'none' });
    const shown = await edited.model.children(edited.model.roots()[0]);
    assert.deepEqual(
      shown.filter((node) => node.kind === 'folder').map((node) => (node as FolderNode).folder.path),
      [],
      "no folder of Ann's mailbox shows under Bob",
    );
    await assert.rejects(
      edited.read(newest.summary.ref),
      (error: Error & { kind?: string }) => error.kind === 'network',
      "Ann's message does not open from the cache",
    );
    assert.deepEqual(keptBodies(root), [], "Ann's kept bodies are gone from the disk");
    await edited.sessions.dispose();

    // Reachable: Bob's own mail, and UID 1 is Bob's message, not Ann's kept one.
    const online = window(bob, root);
    assert.deepEqual(
      (await online.list('INBOX')).map((node) => node.summary.subject),
      ['bob 1'],
    );
    const [bobs] = await online.list('INBOX');
    assert.equal((await online.read(bobs.summary.ref)).subject, 'bob 1');
  });

  test('a message deleted to Trash and then for good leaves the disk; so does one expunged elsewhere', async () => {
    const root = storage();
    const user = await seeded('del', 3);
    const first = window(user, root);
    const [three, two] = await first.list('INBOX');
    await first.read(three.summary.ref);
    await first.read(two.summary.ref);
    assert.equal(keptBodies(root).length, 2);

    await first.sessions.run(ID, (backend) => backend.delete([three.summary.ref]));
    assert.equal(keptBodies(root).length, 1, 'its Inbox body went with the move to Trash');
    await assert.rejects(
      first.read(three.summary.ref),
      (error: Error & { kind?: string }) => error.kind === 'notFound',
      'the old Inbox reference no longer opens it',
    );
    first.model.refresh(ID);
    const [inTrash] = await first.list('Trash');
    await first.read(inTrash.summary.ref);
    await first.sessions.run(ID, (backend) => backend.delete([inTrash.summary.ref]));
    assert.equal(keptBodies(root).length, 1, 'deleted for good from Trash: its body is gone too');
    await assert.rejects(
      first.read(inTrash.summary.ref),
      (error: Error & { kind?: string }) => error.kind === 'notFound',
    );

    // Another client expunges message 2; the next look at the Inbox (a resync) drops its kept body.
    await inFolder(server, user, 'INBOX', (client) => client.messageDelete(two.summary.ref.id, { uid: true }));
    await first.sessions.dispose();
    const second = window(user, root);
    await second.list('INBOX');
    await waitFor(
      async () => (await second.list('INBOX')).map((node) => node.summary.subject).join() === 'del 1',
      'the resync to land',
    );
    assert.deepEqual(keptBodies(root), [], 'no body of a message the server no longer has');
  });

  test('a message deleted or moved here leaves the cached list at once: the next cached page does not show it', async () => {
    const root = storage();
    const user = await seeded('list', 3);
    const first = window(user, root);
    const [three, two] = await first.list('INBOX');
    await first.sessions.run(ID, (backend) => backend.delete([three.summary.ref]));
    await first.sessions.run(ID, (backend) => backend.move([two.summary.ref], 'Archive'));
    // What a folder reloaded after the server's EXPUNGE, or a window opened offline, shows first.
    const cached = await first.sessions.cacheOf(ID)!.page('INBOX', 50);
    assert.deepEqual(
      cached?.messages.map((message) => message.subject),
      ['list 1'],
    );
    assert.equal(cached?.total, 1);
  });

  test('"keep none" empties the body cache at once; an account no longer configured loses its cache', async () => {
    const root = storage();
    const user = await seeded('keep', 2);
    const first = window(user, root);
    for (const node of await first.list('INBOX')) await first.read(node.summary.ref);
    assert.equal(keptBodies(root).length, 2);
    await first.sessions.dispose();
    await boundCaches(root, [first.account], 0);
    assert.deepEqual(keptBodies(root), [], 'letterbox.cache.messageSizeMB: 0 keeps none, now');

    const again = window(user, root);
    await again.list('INBOX');
    await again.sessions.dispose();
    assert.ok(existsSync(join(accountStorePath(root, ID), 'cache')));
    // What an OAuth2 account keeps beside its cache: the folder of its renewal lock.
    mkdirSync(join(accountStorePath(root, ID), 'oauth', 'lock'), { recursive: true });
    await boundCaches(root, [], 200 * 1024 * 1024);
    assert.equal(
      existsSync(join(accountStorePath(root, ID), 'cache')),
      false,
      'removed from the settings: its cache goes',
    );
    assert.equal(existsSync(join(accountStorePath(root, ID), 'oauth')), false, 'and its OAuth2 lock folder');
  });
});
