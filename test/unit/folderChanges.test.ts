// How a folder's loaded list follows the server without being thrown away: new mail on top, and after a watch was
// down, flags and removals of the newest page too, while what was loaded below it stays.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MessagePage, MessageSummary } from '../../src/mail/types';
import { mergeNewest, mergeResumed } from '../../src/mailbox/folderChanges';

const summary = (id: number, seen = false): MessageSummary => ({
  ref: { account: 'a', folder: 'INBOX', id: String(id) },
  subject: `message ${id}`,
  from: [],
  to: [],
  size: 1,
  flags: { seen, flagged: false, answered: false, draft: false },
  hasAttachments: false,
});
const ids = (page: MessagePage) => page.messages.map((message) => Number(message.ref.id));

test('new mail goes on top, nothing else changes', () => {
  const page: MessagePage = { messages: [summary(3), summary(2), summary(1)], total: 3 };
  const arrived = mergeNewest(page, { messages: [summary(4), summary(3)], total: 4 });
  assert.deepEqual(
    arrived.map((message) => message.ref.id),
    ['4'],
  );
  assert.deepEqual(ids(page), [4, 3, 2, 1]);
});

test('after a watch was down: arrivals on top, flags as now, expunged messages in reach gone, older ones kept', () => {
  // Loaded: 6..1 (two pages); the newest page (limit 3) now: 7, 5 (read elsewhere), 4. 6 was expunged meanwhile.
  const page: MessagePage = { messages: [6, 5, 4, 3, 2, 1].map((id) => summary(id)), total: 6, next: 'cursor' };
  const arrived = mergeResumed(page, { messages: [summary(7), summary(5, true), summary(4)], total: 6 });
  assert.deepEqual(
    arrived.map((message) => message.ref.id),
    ['7'],
  );
  assert.deepEqual(ids(page), [7, 5, 4, 3, 2, 1]);
  assert.equal(page.messages[1].flags.seen, true);
  assert.equal(page.total, 6);
  assert.equal(page.next, 'cursor', 'the older pages stay loaded');
});

test('after a long gap nothing loaded is among the newest: the newest page is the list', () => {
  const page: MessagePage = { messages: [summary(2), summary(1)], total: 2 };
  const arrived = mergeResumed(page, { messages: [summary(9), summary(8)], total: 9, next: 'older' });
  assert.deepEqual(ids(page), [9, 8]);
  assert.deepEqual(
    arrived.map((message) => message.ref.id),
    ['9', '8'],
  );
  assert.equal(page.next, 'older');
});
