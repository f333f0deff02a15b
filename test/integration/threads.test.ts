// Threads against a real Dovecot: a seeded set of the shapes mailing lists produce (out of order, a missing parent,
// References cut to the last three, a duplicate Message-ID, a reference cycle, a 200-message thread), threaded by
// Letterbox from the summaries the IMAP backend lists and compared with Dovecot's own UID THREAD REFERENCES (the
// oracle); unrelated mail with one subject stays apart; the user's reply in Sent joins; "Mark Thread Read" is one
// UID STORE per folder; POP3 threads from its local store.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { threadMessages } from '../../src/mailbox/threading';
import type { MessageSummary } from '../../src/mail/types';
import type { FolderNode, MailNode, ThreadNode } from '../../src/mailbox/mailNodes';
import { MailTreeModel } from '../../src/mailbox/mailTreeModel';
import { DovecotServer, type TestUser } from '../servers/dovecot';
import { appendMessages, messagesIn, type Seed } from '../mail/mailbox';
import { buildMessage } from '../mail/messageBuilder';
import { serverThreads } from '../mail/serverThreads';
import { seededRandom } from '../support/seededRandom';
import { cacheWindow, imapBackend } from './imapHelpers';
import { pop3Fixture, removeStores } from './pop3Helpers';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let server: DovecotServer;
const storages: string[] = [];
before(async () => {
  server = await DovecotServer.start();
});
after(async () => {
  await server?.stop();
  removeStores();
  storages.forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});

interface Mail {
  id: string;
  subject: string;
  /** Minutes after the start of the fixture: the Date header. */
  at: number;
  references?: string[];
  inReplyTo?: string;
  from?: string;
  /** Another Message-ID than `id` (a duplicate). */
  messageId?: string;
}

function seed(mail: Mail): Seed {
  const headers: Record<string, string> = {};
  const references = mail.references?.map((id) => `<${id}@list.test>`);
  if (references?.length) headers.References = references.join(' ');
  const parent = mail.inReplyTo ?? mail.references?.at(-1);
  if (parent) headers['In-Reply-To'] = `<${parent}@list.test>`;
  return {
    raw: buildMessage({
      subject: mail.subject,
      from: mail.from ?? `${mail.id} <${mail.id}@example.org>`,
      date: new Date(Date.UTC(2026, 10, 1, 8, mail.at)),
      messageId: `${mail.messageId ?? mail.id}@list.test`,
      text: `This is ${mail.id}.`,
      extraHeaders: headers,
    }),
  };
}

/** The fixture, in the order it is delivered (not the order it was written). */
function fixture(): Mail[] {
  const mail: Mail[] = [
    // Out of order: replies arrive before what they answer.
    { id: 'a3', subject: 'Re: Release plan', at: 3, references: ['a1', 'a2'] },
    { id: 'a1', subject: 'Release plan', at: 1 },
    { id: 'a4', subject: 'Re: Release plan', at: 4, references: ['a1'] },
    { id: 'a2', subject: 'Re: Release plan', at: 2, references: ['a1'] },
    // Replies to a message nobody has.
    { id: 'b1', subject: 'Re: Lost original', at: 5, references: ['b0'] },
    { id: 'b2', subject: 'Re: Lost original', at: 6, references: ['b0'] },
    // References cut to the last three.
    ...[1, 2, 3, 4, 5, 6].map((n) => ({
      id: `c${n}`,
      subject: n === 1 ? 'Long discussion' : 'Re: Long discussion',
      at: 10 + n,
      references: Array.from({ length: n - 1 }, (_, i) => `c${i + 1}`),
    })),
    { id: 'c7', subject: 'Re: Long discussion', at: 17, references: ['c4', 'c5', 'c6'] },
    // One Message-ID twice: replies join the first.
    { id: 'd1', subject: 'Duplicated', at: 20 },
    { id: 'd1-copy', messageId: 'd1', subject: 'Duplicated (resent)', at: 21 },
    { id: 'd2', subject: 'Re: Duplicated', at: 22, references: ['d1'] },
    // A reference cycle.
    { id: 'e1', subject: 'Loop one', at: 30, references: ['e2'] },
    { id: 'e2', subject: 'Loop two', at: 31, references: ['e1'] },
  ];
  // A 200-message thread, each reply to an earlier message, References cut to the last ten of its ancestry.
  const random = seededRandom(22);
  const ancestry = new Map<string, string[]>([['f0', []]]);
  mail.push({ id: 'f0', subject: 'Big thread', at: 100 });
  for (let n = 1; n < 200; n++) {
    const parent = `f${Math.floor(random() * n)}`;
    const chain = [...ancestry.get(parent)!, parent];
    ancestry.set(`f${n}`, chain);
    mail.push({ id: `f${n}`, subject: 'Re: Big thread', at: 100 + n, references: chain.slice(-10) });
  }
  return mail;
}

/** Same subject, unrelated: Dovecot's REFERENCES joins these by subject (RFC 5256 step 5); Letterbox must not. */
const UNRELATED: Mail[] = [
  { id: 'g1', subject: 'Build failed', at: 400, from: 'CI <ci@example.net>' },
  { id: 'g2', subject: 'Build failed', at: 401, from: 'CI <ci@example.net>' },
];

async function seededUser(name: string): Promise<{ user: TestUser; uids: Map<string, number> }> {
  const user = server.addUser(name);
  const mail = [...fixture(), ...UNRELATED];
  const uids = await appendMessages(server, user, 'INBOX', mail.map(seed));
  return { user, uids: new Map(mail.map((entry, index) => [entry.id, uids[index]])) };
}

async function allSummaries(user: TestUser): Promise<MessageSummary[]> {
  const backend = imapBackend(server, user);
  try {
    const page = await backend.listMessages('INBOX', { limit: 1_000 });
    return page.messages;
  } finally {
    await backend.close();
  }
}

describe('Threads against Dovecot', () => {
  test("Letterbox threads like Dovecot's UID THREAD REFERENCES wherever subjects do not join", async () => {
    const { user, uids } = await seededUser('threads-oracle');
    const unrelated = new Set(UNRELATED.map((mail) => uids.get(mail.id)!));
    const summaries = (await allSummaries(user)).sort((a, b) => Number(a.ref.id) - Number(b.ref.id));
    assert.equal(summaries.length, uids.size);
    // References are fetched for replies whose parent is not listed (b0 never arrived), not for the others.
    assert.deepEqual(summaries.find((summary) => summary.ref.id === String(uids.get('b1')))?.references, [
      'b0@list.test',
    ]);
    assert.equal(summaries.find((summary) => summary.ref.id === String(uids.get('c7')))?.references, undefined);
    const ours = threadMessages(summaries);
    const ourParents = new Map<number, number>();
    const ourThreads: number[][] = [];
    for (const thread of ours) {
      const walk = (branch: (typeof thread.branches)[number], parent?: number) => {
        const uid = Number(branch.message.ref.id);
        if (parent !== undefined) ourParents.set(uid, parent);
        branch.replies.forEach((reply) => walk(reply, uid));
      };
      thread.branches.forEach((branch) => walk(branch));
      ourThreads.push(thread.messages.map((message) => Number(message.ref.id)).sort((a, b) => a - b));
    }
    const oracle = await serverThreads(server, user, 'INBOX');
    const apart = (threads: number[][]) =>
      threads.filter((members) => !members.some((uid) => unrelated.has(uid))).sort((a, b) => a[0] - b[0]);
    assert.deepEqual(apart(ourThreads.sort((a, b) => a[0] - b[0])), apart(oracle.threads));
    assert.deepEqual(
      [...ourParents].sort((a, b) => a[0] - b[0]),
      [...oracle.parents].sort((a, b) => a[0] - b[0]),
    );
    // The fixture's shapes, said plainly.
    const threadOf = (id: string) => ourThreads.find((members) => members.includes(uids.get(id)!))!;
    assert.equal(threadOf('f0').length, 200, 'the 200-message thread is whole');
    assert.equal(threadOf('c7').length, 7, 'truncated References still join');
    assert.deepEqual(threadOf('b1'), [uids.get('b1'), uids.get('b2')], 'a missing parent holds its replies');
    assert.equal(ourParents.get(uids.get('d2')!), uids.get('d1'), 'a reply joins the first of two equal ids');
    assert.equal(threadOf('e1').length, 2, 'a cycle is broken, both messages kept');
    // Where the oracle joins by subject, Letterbox keeps unrelated mail apart.
    assert.equal(oracle.threads.filter((members) => members.some((uid) => unrelated.has(uid))).length, 1);
    assert.equal(ourThreads.filter((members) => members.some((uid) => unrelated.has(uid))).length, 2);
  });

  test("in the tree, the user's reply in Sent joins its thread, and Mark Thread Read is one UID STORE per folder", async () => {
    const user = server.addUser('threads-tree');
    await appendMessages(server, user, 'INBOX', [
      seed({ id: 'q1', subject: 'Question', at: 1 }),
      seed({ id: 'q2', subject: 'Re: Question', at: 3, references: ['q1', 'me1'] }),
      seed({ id: 'other', subject: 'Other', at: 5 }),
    ]);
    await appendMessages(server, user, 'Sent', [
      { ...seed({ id: 'me1', subject: 'Re: Question', at: 2, references: ['q1'], from: 'Me <me@example.org>' }) },
    ]);
    const storage = mkdtempSync(join(tmpdir(), 'letterbox-threads-'));
    storages.push(storage);
    const chosen = new Set<string>();
    const window = cacheWindow(server, user, storage, { id: 'threads' });
    const model = new MailTreeModel(window.sessions, {
      threads: {
        threaded: (account, folder) => chosen.has(`${account}/${folder}`),
        setThreaded: async (account, folder, on) => void (on ? chosen.add(`${account}/${folder}`) : undefined),
        bySubject: () => false,
      },
    });
    try {
      const folders = await model.children(model.roots()[0]);
      const inbox = folders.find((node): node is FolderNode => node.kind === 'folder' && node.folder.path === 'INBOX')!;
      await model.setThreaded(inbox, true);
      const rows = await model.children(inbox);
      const thread = rows.find((node): node is ThreadNode => node.kind === 'thread')!;
      const messages = model.threadMessages(thread);
      assert.deepEqual(
        messages.map((node) => `${node.summary.subject}${node.joinedFrom ? ` [${node.joinedFrom}]` : ''}`),
        ['Question', 'Re: Question [Sent]', 'Re: Question'],
      );
      const shape = async (node: MailNode): Promise<string> => {
        const children = await model.children(node);
        const name = node.kind === 'message' ? node.summary.ref.folder : 'thread';
        return children.length ? `${name}(${(await Promise.all(children.map(shape))).join(' ')})` : name;
      };
      assert.equal(await shape(thread), 'thread(INBOX(Sent(INBOX)))', 'Q, my answer under it, their reply under mine');

      window.log.lines.length = 0;
      await model.setFlags(
        messages.filter((node) => !node.summary.flags.seen),
        { seen: true },
      );
      // Three unread messages in two folders (the answer in Sent was never marked read): two commands.
      const stores = window.log.lines.filter((line) => / c \S+ UID STORE /.test(line));
      assert.equal(stores.length, 2, `one UID STORE per folder:\n${stores.join('\n')}`);
      assert.ok(
        stores.some((line) => / UID STORE 1:2 \+FLAGS/.test(line)),
        `the Inbox's two in one command:\n${stores.join('\n')}`,
      );
      const server_ = await messagesIn(server, user, 'INBOX');
      assert.deepEqual(
        server_.map((message) => `${message.subject}:${message.flags.has('\\Seen')}`),
        ['Question:true', 'Re: Question:true', 'Other:false'],
      );
    } finally {
      await window.sessions.dispose();
    }
  });

  test('a POP3 account threads over its local store', async () => {
    const { user } = await seededUser('threads-pop3');
    const pop3 = pop3Fixture(server, user);
    try {
      await pop3.backend.localStore!.sync();
      const page = await pop3.backend.listMessages('INBOX', { limit: 1_000 });
      const threads = threadMessages([...page.messages].reverse());
      const sizes = threads.map((thread) => thread.messages.length).sort((a, b) => b - a);
      assert.deepEqual(sizes.slice(0, 4), [200, 7, 4, 2]);
      assert.equal(
        threads.filter((thread) => thread.messages.some((message) => message.subject === 'Build failed')).length,
        2,
      );
    } finally {
      await pop3.backend.close();
    }
  });
});
