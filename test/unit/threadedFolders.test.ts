// Folders shown as threads, in the Mail tree model on the in-memory backend: the toggle, the nesting, the user's
// replies from Sent, thread actions, and a new reply joining its thread live. The same against Dovecot (with its
// own THREAD as the oracle) is in test/integration/threads.test.ts.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { AccountConfig } from '../../src/accounts/accountConfig';
import { AccountSessions } from '../../src/accounts/accountSessions';
import { silentLogger } from '../../src/mail/logger';
import type { MessageSummary } from '../../src/mail/types';
import type { FolderNode, MailNode, MessageNode, ThreadNode } from '../../src/mailbox/mailNodes';
import { MailTreeModel } from '../../src/mailbox/mailTreeModel';
import type { ThreadViews } from '../../src/mailbox/threadedFolders';
import { present } from '../../src/views/mailTreePresentation';
import { FakeMailBackend } from '../fakes/fakeMailBackend';
import { IMAP_ACCOUNT } from '../support/testAccounts';
import { waitFor } from '../support/waitFor';

const IMAP: AccountConfig = IMAP_ACCOUNT;

const open: AccountSessions[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((sessions) => sessions.dispose()));
});

/** Threads by id: `reply` answers `parent` (its References are the parent's plus the parent's id). */
function thread(messages: MessageSummary[], shape: Record<string, string | undefined>): void {
  const bySubject = new Map(messages.map((message) => [message.subject, message]));
  for (const message of messages) {
    message.messageId = `${message.subject}@test`;
    const parent = shape[message.subject] ? bySubject.get(shape[message.subject]!) : undefined;
    if (parent) message.references = [...(parent.references ?? []), `${parent.subject}@test`];
  }
}

function setup(prepare: (backend: FakeMailBackend) => void) {
  let backend: FakeMailBackend | undefined;
  const sessions = new AccountSessions({
    passwords: { lookup: async () => ({ state: 'ok', password: 'pw' }) },
    log: silentLogger,
    createBackend: (account) => {
      backend = new FakeMailBackend(account.id);
      prepare(backend);
      return backend;
    },
  });
  open.push(sessions);
  sessions.update([IMAP]);
  const chosen = new Map<string, boolean>();
  const views: ThreadViews = {
    threaded: (account, folder) => chosen.get(`${account}/${folder}`) ?? false,
    setThreaded: async (account, folder, threaded) => void chosen.set(`${account}/${folder}`, threaded),
    bySubject: () => false,
  };
  const model = new MailTreeModel(sessions, { pageSize: 10, threads: views });
  sessions.onDidChangeMail(({ account, change }) => model.folderChanged(account, change));
  const label = (node: MailNode) =>
    present(node, { account: (id) => sessions.account(id), status: (id) => sessions.status(id) }).label;
  return { model, sessions, label, backend: () => backend! };
}

async function folderNamed(model: MailTreeModel, path: string): Promise<FolderNode> {
  const folders = await model.children(model.roots()[0]);
  return folders.find((node): node is FolderNode => node.kind === 'folder' && node.folder.path === path)!;
}

/** A subtree as nested labels: "a(b c)". */
async function outline(model: MailTreeModel, nodes: MailNode[], label: (node: MailNode) => string): Promise<string[]> {
  const lines: string[] = [];
  for (const node of nodes) {
    const children = node.kind === 'thread' || node.kind === 'message' ? await model.children(node) : [];
    lines.push(children.length ? `${label(node)}(${(await outline(model, children, label)).join(' ')})` : label(node));
  }
  return lines;
}

/** Every node reachable from the roots, expanding everything, as VS Code would with all of it open. */
async function everyNode(model: MailTreeModel): Promise<MailNode[]> {
  const all: MailNode[] = [];
  const walk = async (nodes: MailNode[]) => {
    for (const node of nodes) {
      all.push(node);
      await walk(await model.children(node));
    }
  };
  await walk(model.roots());
  return all;
}

describe('Folders shown as threads (fake backend)', () => {
  test('threads nest replies under what they answer; lone messages stay rows; Messages restores the flat list', async () => {
    const { model, label } = setup((fake) => {
      const mail = fake.addMessages('INBOX', ['root', 'lone', 'reply', 'reply to reply', 'second reply']);
      thread(mail, { reply: 'root', 'reply to reply': 'reply', 'second reply': 'root' });
    });
    const inbox = await folderNamed(model, 'INBOX');
    const flat = await model.children(inbox);
    assert.deepEqual(flat.map(label), ['second reply', 'reply to reply', 'reply', 'lone', 'root']);

    await model.setThreaded(inbox, true);
    assert.equal(model.isThreaded('work', 'INBOX'), true);
    const threaded = await model.children(inbox);
    assert.deepEqual(
      threaded.map((node) => node.kind),
      ['thread', 'message'],
    );
    assert.deepEqual(await outline(model, threaded, label), ['root(root(reply(reply to reply) second reply))', 'lone']);
    const row = present(threaded[0], { account: () => IMAP, status: () => ({ state: 'online' }) });
    assert.match(row.description ?? '', /4 · 4 unread/);
    assert.equal(row.contextValue, 'thread;unread');

    await model.setThreaded(inbox, false);
    const again = await model.children(inbox);
    assert.deepEqual(again.map(label), ['second reply', 'reply to reply', 'reply', 'lone', 'root']);
    assert.ok(
      again.every((node) => node.kind === 'message' && !node.replies && !node.shownUnder),
      'no message keeps replies from the threaded view',
    );
  });

  test("the user's replies from Sent join the thread they answer; a thread of Sent mail alone stays out", async () => {
    const { model, label } = setup((fake) => {
      fake.addFolder('Sent', { specialUse: 'sent' });
      const question = fake.addMessages('INBOX', ['question']);
      const sent = fake.addMessages('Sent', ['my answer', 'unrelated sent'], { seen: true });
      thread([...question, ...sent], { 'my answer': 'question' });
    });
    const inbox = await folderNamed(model, 'INBOX');
    await model.setThreaded(inbox, true);
    const [only] = await model.children(inbox);
    assert.equal(only.kind, 'thread');
    const messages = model.threadMessages(only as ThreadNode);
    assert.deepEqual(
      messages.map((node) => `${label(node)}${node.joinedFrom ? ` (in ${node.joinedFrom})` : ''}`),
      ['question', 'my answer (in Sent)'],
    );
    const look = present(messages[1], { account: () => IMAP, status: () => ({ state: 'online' }) });
    assert.match(look.description ?? '', /in Sent$/);
  });

  test('every node has a key of its own with threads, Sent open and a kept search, as VS Code requires', async () => {
    const { model } = setup((fake) => {
      fake.addFolder('Sent', { specialUse: 'sent' });
      const question = fake.addMessages('INBOX', ['question']);
      const sent = fake.addMessages('Sent', ['my answer'], { seen: true });
      thread([...question, ...sent], { 'my answer': 'question' });
    });
    await model.setThreaded(await folderNamed(model, 'INBOX'), true);
    model.addSearch('work', ['question']);
    const nodes = await everyNode(model);
    const keys = nodes.map((node) => node.key);
    assert.ok(nodes.some((node) => node.kind === 'thread'));
    assert.ok(
      nodes.some((node) => node.kind === 'message' && node.foundBy),
      'the search result is shown',
    );
    assert.deepEqual(
      keys.filter((key, index) => keys.indexOf(key) !== index),
      [],
    );
  });

  test('marking a thread read changes only its unread messages, in one call, and the counts follow', async () => {
    const { model, backend } = setup((fake) => {
      const mail = fake.addMessages('INBOX', ['a', 'b', 'c', 'other']);
      thread(mail, { b: 'a', c: 'b' });
      mail[1].flags.seen = true;
    });
    const inbox = await folderNamed(model, 'INBOX');
    await model.setThreaded(inbox, true);
    const first = (await model.children(inbox)).find((node): node is ThreadNode => node.kind === 'thread')!;
    const unread = model.threadMessages(first).filter((node) => !node.summary.flags.seen);
    await model.setFlags(unread, { seen: true });
    assert.deepEqual(
      backend().calls.filter((call) => call.startsWith('setFlags')),
      ['setFlags 1,3'],
    );
    assert.equal(model.folderOf('work', 'INBOX')?.unread, 1);
    const redrawn = (await model.children(inbox)).find((node): node is ThreadNode => node.kind === 'thread')!;
    assert.equal(redrawn.thread.unread, 0);
  });

  test('deleting a thread moves its own messages to Trash and leaves the reply in Sent', async () => {
    const { model, backend, label } = setup((fake) => {
      fake.addFolder('Sent', { specialUse: 'sent' });
      const inbox = fake.addMessages('INBOX', ['q', 'q2', 'keep']);
      const sent = fake.addMessages('Sent', ['answer'], { seen: true });
      thread([...inbox, ...sent], { q2: 'q', answer: 'q' });
    });
    const inbox = await folderNamed(model, 'INBOX');
    await model.setThreaded(inbox, true);
    const [threadNode] = await model.children(inbox);
    await model.delete(model.threadMessages(threadNode as ThreadNode).filter((node) => !node.joinedFrom));
    assert.deepEqual((await model.children(inbox)).map(label), ['keep']);
    assert.deepEqual(
      backend()
        .messagesIn('Trash')
        .map((message) => message.subject),
      ['q', 'q2'],
    );
    assert.deepEqual(
      backend()
        .messagesIn('Sent')
        .map((message) => message.subject),
      ['answer'],
    );
  });

  test('a new reply joins its thread, which moves to the top, and is announced once', async () => {
    const { model, backend, sessions, label } = setup((fake) => {
      const mail = fake.addMessages('INBOX', ['start', 'newer topic']);
      thread(mail, {});
    });
    const announced: string[] = [];
    model.onDidReceiveMail(({ arrived }) => announced.push(...arrived.map((summary) => summary.subject)));
    await sessions.run('work', (fake) => fake.listFolders());
    const inbox = await folderNamed(model, 'INBOX');
    await model.setThreaded(inbox, true);
    assert.deepEqual((await model.children(inbox)).map(label), ['newer topic', 'start']);
    const [reply] = backend().addMessages('INBOX', ['Re: start']);
    reply.messageId = 'reply@test';
    reply.references = ['start@test'];
    backend().emit('INBOX', { kind: 'arrived', count: 1 });
    await waitFor(() => announced.length > 0, 'the arrival');
    const after = await model.children(inbox);
    assert.deepEqual(await outline(model, after, label), ['start(start(Re: start))', 'newer topic']);
    assert.deepEqual(announced, ['Re: start']);
  });

  test('a message shown in a thread knows its thread and its parents, so it can be revealed', async () => {
    const { model } = setup((fake) => thread(fake.addMessages('INBOX', ['a', 'b']), { b: 'a' }));
    const inbox = await folderNamed(model, 'INBOX');
    await model.setThreaded(inbox, true);
    const [threadNode] = (await model.children(inbox)) as ThreadNode[];
    const [root] = (await model.children(threadNode)) as MessageNode[];
    const [reply] = (await model.children(root)) as MessageNode[];
    assert.equal(model.parentOf(reply), root);
    assert.equal(model.parentOf(root), threadNode);
    assert.equal(model.parentOf(threadNode)?.key, inbox.key);
    assert.equal(model.threadOf(reply), threadNode);
  });
});
