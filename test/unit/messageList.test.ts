// How a message looks in the list: sender and date at a glance, a paperclip where there are attachments.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MessageSummary } from '../../src/mail/types';
import { present } from '../../src/views/mailTreePresentation';

const summary = (extra: Partial<MessageSummary>): MessageSummary => ({
  ref: { account: 'a', folder: 'INBOX', id: '1' },
  subject: 'Report',
  from: [{ name: 'Finance', address: 'f@example.com' }],
  to: [],
  date: new Date('2026-11-02T10:00:00Z'),
  size: 2048,
  hasAttachments: false,
  flags: { seen: false, flagged: false, answered: false, draft: false },
  ...extra,
});
const look = (item: MessageSummary) =>
  present(
    { kind: 'message', key: 'k', account: 'a', summary: item },
    {
      account: () => undefined,
      status: () => ({ state: 'idle' }),
      now: new Date('2026-11-30T12:00:00Z'),
      locale: 'en-US',
    },
  );

test('a message with attachments shows a paperclip in the list, one without does not', () => {
  assert.equal(look(summary({ hasAttachments: true })).description, '📎 Finance · Nov 2');
  assert.equal(look(summary({})).description, 'Finance · Nov 2');
  assert.match(look(summary({ hasAttachments: true })).tooltip ?? '', /has attachments/);
});
