// IMAP under injected faults, between the engine and a real Dovecot: a connection cut during LIST, a summaries
// FETCH, a body FETCH, a STORE or a MOVE gives a clear error and a replaced connection, and the operation is done
// once or reported as not done; a stall hits a timeout instead of hanging; and after a dropped connection the
// account comes back by itself and IDLE reports new mail again.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AccountSessions } from '../../src/accounts/accountSessions';
import type { AccountConfig } from '../../src/accounts/accountConfig';
import { mailBackendFactory } from '../../src/accounts/backendFactory';
import type { BackoffOptions } from '../../src/accounts/reconnectPolicy';
import { ImapBackend } from '../../src/protocols/imap/imapBackend';
import type { FolderNode, MessageNode } from '../../src/mailbox/mailNodes';
import { MailTreeModel } from '../../src/mailbox/mailTreeModel';
import { DovecotServer, type TestUser } from '../servers/dovecot';
import { FaultProxy } from '../servers/faultProxy';
import { appendMessages, messagesIn } from '../mail/mailbox';
import { mailRejection } from '../support/mailAssertions';
import { buildMessage } from '../mail/messageBuilder';
import { collectingLogger } from './imapHelpers';
import { waitFor } from '../support/waitFor';

let server: DovecotServer;
let proxy: FaultProxy;
const toClose: Array<{ close(): Promise<void> } | { dispose(): Promise<void> }> = [];
before(async () => {
  server = await DovecotServer.start();
  proxy = await FaultProxy.start(server.ports.imap);
});
after(async () => {
  for (const item of toClose) await ('close' in item ? item.close() : item.dispose()).catch(() => undefined);
  await proxy?.stop();
  await server?.stop();
});

function viaProxy(user: TestUser, socketMs = 20_000): ImapBackend {
  const backend = new ImapBackend({
    account: `faults-${user.user}`,
    server: { host: '127.0.0.1', port: proxy.port, security: 'none', user: user.user },
    password: async () => user.password,
    log: collectingLogger(),
    timeouts: { connectMs: 5_000, greetingMs: 5_000, socketMs },
  });
  toClose.push(backend);
  return backend;
}

async function seeded(count = 3): Promise<TestUser> {
  const user = server.addUser('fault');
  await appendMessages(
    server,
    user,
    'INBOX',
    Array.from({ length: count }, (_, i) => ({
      raw: buildMessage({ subject: `message ${i + 1}`, text: `body ${i + 1}\n`.repeat(200) }),
    })),
  );
  return user;
}

/** An account reached through the fault proxy, with sessions that reconnect as `reconnect` says. */
function proxiedAccount(
  user: TestUser,
  id: string,
  reconnect: BackoffOptions,
): { sessions: AccountSessions; account: AccountConfig } {
  const account: AccountConfig = {
    id: `${id}-${user.user}`,
    label: id,
    email: '',
    protocol: 'imap',
    host: '127.0.0.1',
    port: proxy.port,
    security: 'none',
    user: user.user,
  };
  const log = collectingLogger();
  const sessions = new AccountSessions({
    passwords: { lookup: async () => ({ state: 'ok', password: user.password }) },
    log,
    createBackend: mailBackendFactory({ log, storageRoot: '/nonexistent' }),
    reconnect,
  });
  return { sessions, account };
}

/** Runs `operation` with one fault armed and checks the fault really fired. */
async function withFault<T>(fault: FaultProxy['fault'], operation: () => Promise<T>): Promise<T> {
  const before = proxy.injected.length;
  proxy.fault = fault;
  try {
    return await operation();
  } finally {
    proxy.fault = undefined;
    assert.equal(
      proxy.injected.length,
      before + 1,
      `the fault fired (${proxy.injected.slice(before).join(', ') || 'nothing'})`,
    );
  }
}

describe('IMAP under injected faults', () => {
  test('a cut during LIST fails with kind network; the next call works on a new connection', async () => {
    const backend = viaProxy(await seeded(1));
    const error = await mailRejection(
      withFault({ when: /\bLIST\b/, action: { kind: 'cutReplyAfter', bytes: 40 } }, () => backend.listFolders()),
    );
    assert.equal(error.kind, 'network');
    assert.match(error.message, /cannot list the folders of 127\.0\.0\.1/);
    assert.ok((await backend.listFolders()).some((folder) => folder.specialUse === 'inbox'));
  });

  test('a cut inside the summaries FETCH fails with kind network; the page loads on retry, complete', async () => {
    const backend = viaProxy(await seeded(5));
    await backend.connect();
    const error = await mailRejection(
      withFault({ when: /FETCH .*ENVELOPE/i, action: { kind: 'cutReplyAfter', bytes: 300 } }, () =>
        backend.listMessages('INBOX', { limit: 50 }),
      ),
    );
    assert.equal(error.kind, 'network');
    assert.match(error.message, /cannot list messages in INBOX/);
    const page = await backend.listMessages('INBOX', { limit: 50 });
    assert.deepEqual(
      page.messages.map((message) => message.subject),
      ['message 5', 'message 4', 'message 3', 'message 2', 'message 1'],
    );
  });

  test('a cut inside a body FETCH fails with kind network; opening again shows the whole message', async () => {
    const backend = viaProxy(await seeded(1));
    const [summary] = (await backend.listMessages('INBOX', { limit: 1 })).messages;
    const error = await mailRejection(
      withFault({ when: /BODY\.PEEK\[\]/, action: { kind: 'cutReplyAfter', bytes: 500 } }, () =>
        backend.fetchMessage(summary.ref),
      ),
    );
    assert.equal(error.kind, 'network');
    assert.match(error.message, new RegExp(`cannot fetch message ${summary.ref.id} from INBOX`));
    const message = await backend.fetchMessage(summary.ref);
    assert.equal(message.text?.split('\n').filter(Boolean).length, 200);
  });

  test('a STORE whose reply is lost is reported as failed, and doing it again leaves the flag set once', async () => {
    const user = await seeded(1);
    const backend = viaProxy(user);
    const [summary] = (await backend.listMessages('INBOX', { limit: 1 })).messages;
    const error = await mailRejection(
      withFault({ when: /UID STORE/, action: { kind: 'cutBeforeReply' } }, () =>
        backend.setFlags([summary.ref], { flagged: true }),
      ),
    );
    assert.equal(error.kind, 'network');
    await backend.setFlags([summary.ref], { flagged: true });
    const [onServer] = await messagesIn(server, user, 'INBOX');
    assert.ok(onServer.flags.has('\\Flagged'));
  });

  test('a MOVE that never reached the server is reported as not done, and the message stays where it was', async () => {
    const user = await seeded(1);
    const backend = viaProxy(user);
    const [summary] = (await backend.listMessages('INBOX', { limit: 1 })).messages;
    const error = await mailRejection(
      withFault({ when: /UID MOVE/, action: { kind: 'dropCommand' } }, () => backend.move([summary.ref], 'Archive')),
    );
    assert.equal(error.kind, 'network');
    assert.equal((await messagesIn(server, user, 'INBOX')).length, 1);
    assert.equal((await messagesIn(server, user, 'Archive')).length, 0);
    await backend.move([summary.ref], 'Archive');
    assert.equal((await messagesIn(server, user, 'Archive')).length, 1, 'moved once on retry');
  });

  test('a MOVE whose reply is lost is reported as failed; the message is in the target exactly once, never twice', async () => {
    const user = await seeded(1);
    const backend = viaProxy(user);
    const [summary] = (await backend.listMessages('INBOX', { limit: 1 })).messages;
    const error = await mailRejection(
      withFault({ when: /UID MOVE/, action: { kind: 'cutBeforeReply' } }, () => backend.move([summary.ref], 'Archive')),
    );
    assert.equal(error.kind, 'network');
    // The user tries again, as the error invites: the message is already gone from the Inbox.
    await backend.move([summary.ref], 'Archive').catch(() => undefined);
    assert.equal((await messagesIn(server, user, 'INBOX')).length, 0);
    assert.equal((await messagesIn(server, user, 'Archive')).length, 1);
  });

  test('a server that stalls in the middle of a body FETCH hits the socket timeout with kind network, not a hang', async () => {
    const backend = viaProxy(await seeded(1), 1_500);
    const [summary] = (await backend.listMessages('INBOX', { limit: 1 })).messages;
    const started = Date.now();
    const error = await mailRejection(
      withFault({ when: /BODY\.PEEK\[\]/, action: { kind: 'stall' } }, () => backend.fetchMessage(summary.ref)),
    );
    assert.equal(error.kind, 'network');
    assert.ok(Date.now() - started < 10_000, `gave up after ${Date.now() - started} ms`);
    assert.equal((await backend.fetchMessage(summary.ref)).subject, 'message 1', 'and the next open works');
  });

  test('after every connection drops, the account reconnects by itself and IDLE reports new mail again', async () => {
    const user = await seeded(1);
    const changes: string[] = [];
    const statuses: string[] = [];
    const { sessions, account } = proxiedAccount(user, 'idle', { firstMs: 300, maxMs: 2_000, jitter: 0 });
    sessions.onDidChangeMail(({ change }) => changes.push(change.folder));
    sessions.onDidChangeStatus((id) => statuses.push(sessions.status(id).state));
    toClose.push(sessions);
    sessions.update([account]);
    await sessions.run(account.id, (backend) => backend.listFolders());
    await waitFor(() => proxy.connections >= 2, 'the watching connection');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await appendMessages(server, user, 'INBOX', [{ raw: buildMessage({ subject: 'before the drop' }) }]);
    await waitFor(() => changes.length > 0, 'IDLE to report the first new message');

    // The network goes down: open connections drop and new ones fail, until it is back.
    proxy.refuseNew = true;
    assert.ok(proxy.cutAll() >= 2, 'both connections were cut');
    await waitFor(() => sessions.status(account.id).state === 'offline', 'the account to show offline');
    assert.ok(sessions.status(account.id).retryAt !== undefined, 'with the time of the next attempt');
    proxy.refuseNew = false;
    await waitFor(() => sessions.status(account.id).state === 'online', 'the account to come back by itself');
    await waitFor(() => proxy.connections >= 2, 'a new watching connection');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const seen = changes.length;
    await appendMessages(server, user, 'INBOX', [{ raw: buildMessage({ subject: 'after the drop' }) }]);
    await waitFor(() => changes.length > seen, 'IDLE to report new mail after the reconnect');
    assert.ok(statuses.includes('offline') && statuses.at(-1) === 'online', statuses.join(' > '));
  });

  test('a firewall that cuts every idling connection: the watch is rebuilt less and less often, the account stays online and nothing reloads', async () => {
    const user = await seeded(1);
    const statuses: string[] = [];
    const reconnects: string[] = [];
    const late: { model?: MailTreeModel } = {};
    const { sessions, account } = proxiedAccount(user, 'flap', {
      firstMs: 150,
      maxMs: 1_200,
      jitter: 0,
      stableMs: 10_000,
    });
    sessions.onDidChangeMail(({ account, change }) => late.model?.folderChanged(account, change));
    sessions.onDidChangeStatus((id) => statuses.push(sessions.status(id).state));
    sessions.onDidReconnect((id) => reconnects.push(id));
    toClose.push(sessions);
    sessions.update([account]);
    const model = new MailTreeModel(sessions);
    late.model = model;
    const announced: string[] = [];
    model.onDidReceiveMail(({ arrived }) => announced.push(...arrived.map((summary) => summary.subject)));
    const [inbox] = (await model.children(model.roots()[0])) as FolderNode[];
    await model.children(inbox);
    proxy.cutEvery = /\bIDLE\b/;
    try {
      await waitFor(() => proxy.cutsOn >= 1, 'the first IDLE cut');
      await new Promise((resolve) => setTimeout(resolve, 4_000));
    } finally {
      proxy.cutEvery = undefined;
    }
    const cuts = proxy.cutsOn;
    proxy.cutsOn = 0;
    // Watches rebuilt after 150, 300, 600, 1200, 1200 ms (plus each connection's own time): about 5 in 4 s. The old
    // loop rebuilt one every ~0.2 s here (the healthy working connection reset the back-off each time): about 20.
    assert.ok(cuts >= 3 && cuts <= 7, `${cuts} watching connections cut in about 4 s`);
    assert.ok(!statuses.includes('offline'), statuses.join(' > '));
    assert.deepEqual(reconnects, [], 'the tree was never reloaded');
    // Once the firewall is gone the watch stays, and mail that arrives is announced.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await appendMessages(server, user, 'INBOX', [{ raw: buildMessage({ subject: 'after the firewall' }) }]);
    await waitFor(() => announced.includes('after the firewall'), 'the new mail announced');
    assert.deepEqual(announced, ['after the firewall']);
  });

  test('mail that arrives while the connection is down is shown and announced once when the account is back', async () => {
    const user = await seeded(1);
    const announced: string[] = [];
    const late: { model?: MailTreeModel } = {};
    const { sessions, account } = proxiedAccount(user, 'outage', { firstMs: 300, maxMs: 2_000, jitter: 0 });
    sessions.onDidChangeMail(({ account, change }) => late.model?.folderChanged(account, change));
    sessions.onDidReconnect((id) => void late.model?.reconnected(id));
    toClose.push(sessions);
    sessions.update([account]);
    const model = new MailTreeModel(sessions);
    late.model = model;
    model.onDidReceiveMail(({ arrived }) => announced.push(...arrived.map((summary) => summary.subject)));
    const [inbox] = (await model.children(model.roots()[0])) as FolderNode[];
    assert.deepEqual(
      ((await model.children(inbox)) as MessageNode[]).map((node) => node.summary.subject),
      ['message 1'],
    );
    await waitFor(() => proxy.connections >= 2, 'the watching connection');
    proxy.refuseNew = true;
    proxy.cutAll();
    await waitFor(() => sessions.status(account.id).state === 'offline', 'offline');
    // Mail arrives while Letterbox cannot see the server.
    await appendMessages(server, user, 'INBOX', [{ raw: buildMessage({ subject: 'during the outage' }) }]);
    proxy.refuseNew = false;
    await waitFor(() => sessions.status(account.id).state === 'online', 'back online');
    await waitFor(() => announced.length > 0, 'the notice of what arrived meanwhile');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    assert.deepEqual(announced, ['during the outage'], 'announced once');
    const [inboxNow] = (await model.children(model.roots()[0])) as FolderNode[];
    assert.deepEqual(
      ((await model.children(inboxNow)) as MessageNode[]).map((node) => node.summary.subject),
      ['during the outage', 'message 1'],
    );
  });
});
