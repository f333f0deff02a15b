// All Inboxes on the in-memory backend: every account's Inbox merged newest first, actions routed to the owning
// account, an account that fails shown as a line while the others keep working, and ids of its own for each row.
// The same against Dovecot (two IMAP accounts, a POP3 one, a cut): test/integration/unifiedInbox.test.ts.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { AccountConfig } from '../../src/accounts/accountConfig';
import { AccountSessions } from '../../src/accounts/accountSessions';
import { silentLogger } from '../../src/mail/logger';
import { MailError } from '../../src/mail/mailError';
import type { MailNode, MessageNode, UnifiedNode } from '../../src/mailbox/mailNodes';
import { MailTreeModel } from '../../src/mailbox/mailTreeModel';
import { present } from '../../src/views/mailTreePresentation';
import { FakeMailBackend } from '../fakes/fakeMailBackend';
import { waitFor } from '../support/waitFor';

const account = (id: string, protocol: 'imap' | 'pop3' = 'imap'): AccountConfig => ({
  id,
  label: id[0].toUpperCase() + id.slice(1),
  email: '',
  protocol,
  host: 'h',
  port: 993,
  security: 'tls',
  user: id,
});

const open: AccountSessions[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((sessions) => sessions.dispose()));
});

function setup(prepare: (id: string, backend: FakeMailBackend) => void, unified = true) {
  const backends = new Map<string, FakeMailBackend>();
  const sessions = new AccountSessions({
    passwords: { lookup: async () => ({ state: 'ok', password: 'pw' }) },
    log: silentLogger,
    createBackend: (config) => {
      const backend = new FakeMailBackend(config.id, { localStore: config.protocol === 'pop3' });
      prepare(config.id, backend);
      backends.set(config.id, backend);
      return backend;
    },
  });
  open.push(sessions);
  const model = new MailTreeModel(sessions, {
    unifiedInbox: () => unified,
    localChecks: { sync: async () => undefined },
  });
  sessions.onDidChangeMail(({ account: id, change }) => model.folderChanged(id, change));
  sessions.update([account('work'), account('home'), account('pop', 'pop3')]);
  const context = { account: (id: string) => sessions.account(id), status: (id: string) => sessions.status(id) };
  const label = (node: MailNode) => present(node, context).label;
  const description = (node: MailNode) => present(node, context).description ?? '';
  return { sessions, model, label, description, backend: (id: string) => backends.get(id)! };
}

/** Messages at one minute apart, in the order given across accounts, so the merged order is known. */
let minute = 0;
function mail(backend: FakeMailBackend, subjects: string[]): void {
  for (const summary of backend.addMessages('INBOX', subjects))
    summary.date = new Date(Date.UTC(2026, 10, 1, 0, ++minute));
}

describe('All Inboxes (fake backend)', () => {
  test("every account's Inbox in one list, newest first, each row saying whose it is; off, nothing changes", async () => {
    const { model, label, description } = setup((id, backend) => {
      if (id === 'work') mail(backend, ['work old']);
      if (id === 'home') mail(backend, ['home mid']);
      if (id === 'pop') mail(backend, ['pop new']);
    });
    const [unified] = model.roots();
    assert.equal(unified.kind, 'unified');
    const rows = await model.children(unified);
    assert.deepEqual(rows.map(label), ['pop new', 'home mid', 'work old']);
    assert.match(description(rows[0]), /^Pop · /);
    assert.equal(
      present(unified, {
        account: () => undefined,
        status: () => ({ state: 'online' }),
        unifiedUnread: () => model.unreadInInboxes(),
      }).description,
      '3',
    );
    const keys = rows.map((row) => row.key);
    const inboxRows: MailNode[] = [];
    for (const root of model.roots().slice(1))
      for (const folder of await model.children(root))
        if (folder.kind === 'folder' && folder.folder.specialUse === 'inbox')
          inboxRows.push(...(await model.children(folder)));
    assert.equal(
      keys.filter((key) => inboxRows.some((row) => row.key === key)).length,
      0,
      'rows have ids of their own beside the same messages in their Inboxes',
    );
    assert.equal(model.parentOf(rows[0]), unified);

    const off = setup((id, backend) => mail(backend, [`${id} only`]), false);
    assert.deepEqual(
      off.model.roots().map((root) => root.kind),
      ['account', 'account', 'account'],
    );
  });

  test('a delete from All Inboxes goes to the account the message belongs to', async () => {
    const { model, label, backend } = setup((id, fake) => mail(fake, [`${id} message`]));
    const unified = model.roots()[0] as UnifiedNode;
    const rows = (await model.children(unified)) as MessageNode[];
    await model.delete(rows.filter((row) => label(row) === 'home message'));
    assert.deepEqual(
      backend('home')
        .messagesIn('Trash')
        .map((message) => message.subject),
      ['home message'],
    );
    assert.equal(backend('work').messagesIn('Trash').length, 0);
    assert.deepEqual((await model.children(unified)).map(label), ['pop message', 'work message']);
  });

  test('an account that fails shows one line; the other Inboxes are listed as usual', async () => {
    const { model, label } = setup((id, fake) => {
      mail(fake, [`${id} message`]);
      if (id === 'work') fake.failNext('listFolders', new MailError('network', 'cannot connect to h: timed out'));
    });
    const rows = await model.children(model.roots()[0]);
    assert.deepEqual(rows.map(label), ['Work: cannot connect to h: timed out', 'pop message', 'home message']);
  });

  test('new mail in any Inbox redraws All Inboxes', async () => {
    const { model, sessions, backend, label } = setup((id, fake) => mail(fake, [`${id} first`]));
    const fired: Array<MailNode | undefined> = [];
    model.onDidChange((node) => fired.push(node));
    const unified = model.roots()[0] as UnifiedNode;
    await model.children(unified);
    await sessions.run('home', (fake) => fake.listFolders());
    mail(backend('home'), ['home second']);
    backend('home').emit('INBOX', { kind: 'arrived', count: 1 });
    await waitFor(() => fired.includes(unified), 'All Inboxes redrawn');
    assert.equal(label((await model.children(unified))[0]), 'home second');
  });
});
