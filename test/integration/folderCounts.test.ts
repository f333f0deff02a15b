// Every folder's count against a real Dovecot: mail delivered into a subfolder by the server itself (doveadm save,
// as a Sieve rule files it) shows in that folder's count within seconds with IMAP NOTIFY, and within the poll's
// half minute on a server that does not advertise NOTIFY (Dovecot with its capability list cut: the same server,
// minus the one word). New mail there is announced where the user wants notices. Connections stay bounded.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Folder } from '../../src/mail/types';
import type { FolderNode } from '../../src/mailbox/mailNodes';
import { MailTreeModel } from '../../src/mailbox/mailTreeModel';
import { DovecotServer, type TestUser } from '../servers/dovecot';
import { withMailbox } from '../mail/mailbox';
import { buildMessage } from '../mail/messageBuilder';
import { waitFor } from '../support/waitFor';
import { cacheWindow } from './imapHelpers';

/** What Dovecot 2.3 advertises after login, without NOTIFY. */
const WITHOUT_NOTIFY =
  'IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT SORT=DISPLAY THREAD=REFERENCES THREAD=REFS MULTIAPPEND UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH ESORT SEARCHRES WITHIN CONTEXT=SEARCH LIST-STATUS BINARY MOVE SPECIAL-USE';

let server: DovecotServer;
let plain: DovecotServer;
const storages: string[] = [];
before(async () => {
  [server, plain] = await Promise.all([
    DovecotServer.start(),
    DovecotServer.start({ imapCapabilities: WITHOUT_NOTIFY }),
  ]);
});
after(async () => {
  await Promise.all([server?.stop(), plain?.stop()]);
  storages.forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});

/** Delivery by the server itself, as a Sieve rule files mail: no IMAP client is involved. */
function deliver(on: DovecotServer, user: TestUser, folder: string, subject: string): void {
  execFileSync('doveadm', ['-c', join(on.dir, 'dovecot.conf'), 'save', '-u', user.user, '-m', folder], {
    input: buildMessage({ subject, from: 'List <list@example.org>' }),
  });
}

/** The user's IMAP sessions open on the server right now. */
function sessionsOf(on: DovecotServer, user: TestUser): number {
  const out = execFileSync('doveadm', ['-c', join(on.dir, 'dovecot.conf'), 'who', '-1', user.user], {
    encoding: 'utf8',
  });
  return out.split('\n').filter((line) => line.includes(user.user) && line.includes('imap')).length;
}

async function window(on: DovecotServer, name: string, wants: (folder: Folder) => boolean = () => false) {
  const user = on.addUser(name);
  await withMailbox(on, user, async (client) => {
    await client.mailboxCreate('Lists');
    await client.mailboxCreate('Lists/dev');
  });
  const storage = mkdtempSync(join(tmpdir(), 'letterbox-counts-'));
  storages.push(storage);
  const opened = cacheWindow(on, user, storage, { id: name });
  const model = new MailTreeModel(opened.sessions, { wantsArrivals: (_account, folder) => wants(folder) });
  opened.sessions.onDidChangeMail(({ account, change }) => model.folderChanged(account, change));
  const announced: string[] = [];
  model.onDidReceiveMail(({ folder, arrived }) => announced.push(...arrived.map((m) => `${folder}:${m.subject}`)));
  await model.children(model.roots()[0]);
  return { user, model, sessions: opened.sessions, announced };
}

const unreadOf = (model: MailTreeModel, path: string) => model.folderOf(model.roots()[0].account, path)?.unread;

describe('Every folder count against Dovecot', () => {
  test('with NOTIFY: a delivery into a subfolder shows in its count within seconds, and is announced there', async () => {
    const { user, model, sessions, announced } = await window(server, 'counts-notify', (f) => f.path === 'Lists/dev');
    try {
      const inbox = (await model.children(model.roots()[0])).find(
        (node): node is FolderNode => node.kind === 'folder' && node.folder.specialUse === 'inbox',
      )!;
      await model.children(inbox);
      await waitFor(() => sessions.countsLive('counts-notify'), 'the NOTIFY watch', 10_000);
      const started = Date.now();
      deliver(server, user, 'Lists/dev', 'Patch v2 posted');
      await waitFor(() => unreadOf(model, 'Lists/dev') === 1, 'the count of Lists/dev', 60_000);
      const seconds = (Date.now() - started) / 1000;
      assert.ok(seconds < 10, `the count followed in ${seconds.toFixed(1)} s`);
      await waitFor(() => announced.length > 0, 'the notice', 10_000);
      assert.deepEqual(announced, ['Lists/dev:Patch v2 posted']);
      // With Lists/dev on show too: the working connection, the Inbox's IDLE and NOTIFY, which stands in for the
      // folder on show (three windows stay within Dovecot's default of ten connections per user and address).
      const dev = (await model.children(model.roots()[0]))
        .filter((node): node is FolderNode => node.kind === 'folder')
        .find((node) => node.folder.path === 'Lists');
      const devNode = (await model.children(dev!)).find(
        (node): node is FolderNode => node.kind === 'folder' && node.folder.path === 'Lists/dev',
      )!;
      await model.children(devNode);
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(sessionsOf(server, user), 3, `${sessionsOf(server, user)} IMAP sessions`);
    } finally {
      await sessions.dispose();
    }
  });

  test('without NOTIFY: the poll (every 30 s in VS Code, every second here) keeps the count right', async () => {
    const { user, model, sessions } = await window(plain, 'counts-poll');
    const poll = setInterval(() => void model.refreshCounts(), 1_000);
    try {
      await waitFor(() => sessions.status('counts-poll').state === 'online', 'the account online', 10_000);
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(sessions.countsLive('counts-poll'), false, 'no NOTIFY watch on a server without NOTIFY');
      deliver(plain, user, 'Lists', 'Weekly digest');
      await waitFor(() => unreadOf(model, 'Lists') === 1, 'the count of Lists', 60_000);
    } finally {
      clearInterval(poll);
      await sessions.dispose();
    }
  });
});
