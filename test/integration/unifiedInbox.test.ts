// All Inboxes against a real Dovecot: two IMAP accounts (one reached through the fault proxy) and a POP3 one in one
// list, newest first, with their unread mail counted together; a delete goes to the server of the message's own
// account; when one account is cut off (the proxy refuses and cuts every connection), it shows a line while the
// other still gets new mail by push.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AccountConfig } from '../../src/accounts/accountConfig';
import { AccountSessions } from '../../src/accounts/accountSessions';
import { mailBackendFactory } from '../../src/accounts/backendFactory';
import type { MailNode, MessageNode, UnifiedNode } from '../../src/mailbox/mailNodes';
import { MailTreeModel } from '../../src/mailbox/mailTreeModel';
import { present } from '../../src/views/mailTreePresentation';
import { DovecotServer, type TestUser } from '../servers/dovecot';
import { FaultProxy } from '../servers/faultProxy';
import { dovecotSettings } from '../servers/serverSettings';
import { appendMessages, messagesIn } from '../mail/mailbox';
import { buildMessage } from '../mail/messageBuilder';
import { waitFor } from '../support/waitFor';
import { collectingLogger } from './imapHelpers';

let server: DovecotServer;
let proxy: FaultProxy;
let storage: string;
before(async () => {
  server = await DovecotServer.start();
  proxy = await FaultProxy.start(server.ports.imap);
  storage = mkdtempSync(join(tmpdir(), 'letterbox-unified-'));
});
after(async () => {
  await proxy?.stop();
  await server?.stop();
  rmSync(storage, { recursive: true, force: true });
});

const at = (minute: number) => new Date(Date.UTC(2026, 10, 30, 8, minute));

async function seeded(name: string, subjects: Array<[string, number]>): Promise<TestUser> {
  const user = server.addUser(name);
  await appendMessages(
    server,
    user,
    'INBOX',
    subjects.map(([subject, minute]) => ({ raw: buildMessage({ subject, date: at(minute) }) })),
  );
  return user;
}

describe('All Inboxes against Dovecot', () => {
  test('two IMAP accounts and a POP3 one: merged, counted, routed; one cut off while the other gets mail', async () => {
    const work = await seeded('unified-work', [['work: release notes', 1]]);
    const home = await seeded('unified-home', [['home: dinner?', 3]]);
    const pop = await seeded('unified-pop', [['pop: tickets', 2]]);
    const users = new Map<string, TestUser>([
      ['work', work],
      ['home', home],
      ['pop', pop],
    ]);
    const accounts: AccountConfig[] = [
      // Work is reached through the proxy, in clear text on loopback: the proxy passes bytes, and can cut them.
      {
        id: 'work',
        label: 'Work',
        email: '',
        protocol: 'imap',
        host: '127.0.0.1',
        port: proxy.port,
        security: 'none',
        user: work.user,
      },
      { id: 'home', label: 'Home', email: '', protocol: 'imap', ...dovecotSettings(server, home, 'imap') },
      { id: 'pop', label: 'Pop', email: '', protocol: 'pop3', ...dovecotSettings(server, pop, 'pop3') },
    ];
    const log = collectingLogger();
    const sessions = new AccountSessions({
      passwords: { lookup: async (account) => ({ state: 'ok', password: users.get(account.id)!.password }) },
      log,
      createBackend: mailBackendFactory({ log, storageRoot: storage }),
      reconnect: { firstMs: 500, maxMs: 2_000, jitter: 0 },
    });
    const model = new MailTreeModel(sessions, { unifiedInbox: () => true });
    sessions.onDidChangeMail(({ account, change }) => model.folderChanged(account, change));
    sessions.update(accounts);
    const context = { account: (id: string) => sessions.account(id), status: (id: string) => sessions.status(id) };
    const label = (node: MailNode) => present(node, context).label;
    try {
      await sessions.sync('pop');
      const unified = model.roots()[0] as UnifiedNode;
      assert.equal(unified.kind, 'unified');
      let rows = await model.children(unified);
      assert.deepEqual(rows.map(label), ['home: dinner?', 'pop: tickets', 'work: release notes']);
      assert.equal(model.unreadInInboxes(), 3);

      await model.delete((rows as MessageNode[]).filter((row) => label(row) === 'home: dinner?'));
      assert.deepEqual(
        (await messagesIn(server, home, 'Trash')).map((message) => message.subject),
        ['home: dinner?'],
      );
      assert.equal((await messagesIn(server, work, 'INBOX')).length, 1, "Work's Inbox is untouched");
      rows = await model.children(unified);
      assert.deepEqual(rows.map(label), ['pop: tickets', 'work: release notes']);

      // Home's Inbox is watched (IDLE) from here on; then Work is cut off.
      await waitFor(() => sessions.watches('home', 'INBOX'), "Home's Inbox watch", 10_000);
      proxy.refuseNew = true;
      proxy.cutAll();
      await waitFor(
        async () => (await model.children(unified)).some((row) => /^Work is (offline|error)/.test(label(row))),
        "Work's line in All Inboxes",
        30_000,
      );
      await appendMessages(server, home, 'INBOX', [{ raw: buildMessage({ subject: 'home: pushed', date: at(9) }) }]);
      await waitFor(
        async () => label((await model.children(unified)).find((row) => row.kind === 'message')!) === 'home: pushed',
        'the pushed message on top',
        30_000,
      );
      rows = await model.children(unified);
      assert.ok(
        rows.some((row) => label(row) === 'work: release notes'),
        "Work's mail still shows as last seen",
      );
    } finally {
      proxy.refuseNew = false;
      await sessions.dispose();
    }
  });
});
