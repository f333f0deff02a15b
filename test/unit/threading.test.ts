// Threading by Message-ID, References and In-Reply-To (JWZ): the shapes real mailing lists produce, and the broken
// ones (cycles, duplicate ids, truncated References) that must neither crash nor join unrelated mail.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  baseSubject,
  threadMessages,
  type Thread,
  type ThreadBranch,
  type Threadable,
} from '../../src/mailbox/threading';

interface Mail extends Threadable {
  name: string;
}

let clock = Date.UTC(2026, 10, 1);
function mail(name: string, fields: Partial<Mail> = {}): Mail {
  clock += 60_000;
  return { name, messageId: `<${name}@test>`, subject: `About ${name}`, date: new Date(clock), ...fields };
}
const id = (name: string) => `<${name}@test>`;

/** A thread as nested names: "a(b(c) d)". */
function shape(thread: Thread<Mail>): string {
  const branch = (node: ThreadBranch<Mail>): string =>
    node.replies.length ? `${node.message.name}(${node.replies.map(branch).join(' ')})` : node.message.name;
  return thread.branches.map(branch).join(' ');
}
const shapes = (threads: Thread<Mail>[]) => threads.map(shape);

test('replies nest under what they answer, in any order of arrival; the newest thread comes first', () => {
  const other = mail('other');
  const a = mail('a');
  const b = mail('b', { inReplyTo: id('a'), references: [id('a')] });
  const c = mail('c', { inReplyTo: id('b'), references: [id('a'), id('b')] });
  const d = mail('d', { inReplyTo: id('a'), references: [id('a')] });
  assert.deepEqual(shapes(threadMessages([other, c, d, b, a])), ['a(b(c) d)', 'other']);
  assert.deepEqual(shapes(threadMessages([a, b, c, d, other])), ['a(b(c) d)', 'other']);
  const later = mail('e', { references: [id('other')] });
  assert.deepEqual(shapes(threadMessages([a, b, c, d, other, later])), ['other(e)', 'a(b(c) d)']);
});

test('a missing parent holds its replies together; a lone reply to a missing message is its own thread', () => {
  const b = mail('b', { references: [id('gone')] });
  const c = mail('c', { references: [id('gone')] });
  const lone = mail('lone', { references: [id('elsewhere')] });
  const threads = threadMessages([b, c, lone]);
  assert.deepEqual(shapes(threads).sort(), ['b c', 'lone']);
  assert.equal(threads.find((thread) => thread.messages.length === 2)?.key, 'gone@test');
});

test('References cut down to the last three ids still join the thread (a missing middle is bridged)', () => {
  const root = mail('root');
  const chain = [root];
  for (let i = 1; i <= 6; i++) chain.push(mail(`r${i}`, { references: chain.map((m) => m.messageId!) }));
  const truncated = mail('late', { references: chain.slice(-3).map((m) => m.messageId!) });
  // r4 (named by the truncated list) is missing: late still hangs under r6, in the root's thread.
  const threads = threadMessages([...chain.filter((m) => m.name !== 'r4'), truncated]);
  assert.equal(threads.length, 1);
  assert.equal(threads[0].messages.length, 7);
});

test('In-Reply-To alone is enough; References win when both are given', () => {
  const a = mail('a');
  const b = mail('b', { inReplyTo: id('a') });
  const c = mail('c', { inReplyTo: id('nowhere'), references: [id('a'), id('b')] });
  assert.deepEqual(shapes(threadMessages([a, b, c])), ['a(b(c))']);
});

test('a reference cycle is broken instead of looping, and every message is kept', () => {
  const a = mail('a', { references: [id('b')] });
  const b = mail('b', { references: [id('a')] });
  const self = mail('self', { references: [id('self')] });
  const threads = threadMessages([a, b, self]);
  assert.equal(threads.flatMap((thread) => thread.messages).length, 3);
  // Which of a and b ends on top depends on the order they came in; that they are one thread does not.
  assert.deepEqual(shapes(threads).sort(), ['b(a)', 'self']);
  assert.deepEqual(shapes(threadMessages([b, a, self])).sort(), ['a(b)', 'self']);
});

test('a Message-ID seen twice is threaded as two messages; replies go to the first', () => {
  const first = mail('dup', { subject: 'first' });
  const copy = mail('dup', { subject: 'copy', messageId: first.messageId });
  const reply = mail('reply', { references: [id('dup')] });
  const threads = threadMessages([first, copy, reply]);
  assert.equal(threads.flatMap((thread) => thread.messages).length, 3);
  assert.ok(shapes(threads).includes('dup(reply)'));
  assert.ok(threads.some((thread) => thread.messages.length === 1 && thread.messages[0].subject === 'copy'));
});

test('messages without any Message-ID each stand alone', () => {
  const threads = threadMessages([mail('x', { messageId: undefined }), mail('y', { messageId: '' })]);
  assert.equal(threads.length, 2);
});

test('the same subject does not join unrelated mail, unless asked', () => {
  const one = mail('one', { subject: 'Build failed' });
  const two = mail('two', { subject: 'Build failed' });
  const reply = mail('three', { subject: 'Re: [ci] Build failed' });
  assert.equal(threadMessages([one, two, reply]).length, 3);
  const joined = threadMessages([one, two, reply], { bySubject: true });
  assert.equal(joined.length, 1);
  assert.deepEqual(shapes(joined), ['one two three']);
});

test('a subject join puts a reply under the original it names', () => {
  const original = mail('orig', { subject: 'Release plan' });
  const reply = mail('re', { subject: 'Re: Release plan' });
  assert.deepEqual(shapes(threadMessages([reply, original], { bySubject: true })), ['orig(re)']);
});

test("the server's thread id joins what headers alone cannot", () => {
  const a = mail('a', { threadId: 'T1' });
  const b = mail('b', { threadId: 'T1' });
  const c = mail('c', { threadId: 'T2' });
  assert.deepEqual(shapes(threadMessages([a, b, c])).sort(), ['a b', 'c']);
});

test('a 200-message thread keeps every message, in order of time', () => {
  const root = mail('root');
  const all = [root];
  for (let i = 0; i < 199; i++) {
    const parent = all[Math.floor(i / 2)];
    all.push(mail(`m${i}`, { references: [...(parent.references ?? []), parent.messageId!].slice(-10) }));
  }
  const threads = threadMessages([...all].reverse());
  assert.equal(threads.length, 1);
  assert.equal(threads[0].messages.length, 200);
  assert.deepEqual(
    threads[0].messages.map((m) => m.name),
    all.map((m) => m.name),
  );
});

test('base subjects drop reply and forward prefixes and list tags', () => {
  assert.equal(baseSubject('Re: [dev] Fwd: RE:  Patch  v2'), 'patch v2');
  assert.equal(baseSubject('AW: Frage'), 'frage');
  assert.equal(baseSubject('[PATCH 1/3] mm: fix'), 'mm: fix');
});
