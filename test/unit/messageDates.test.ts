// A missing or broken Date header never becomes "now": the panel and the list show when the server received the
// message (IMAP) or when it was downloaded (POP3), marked as such.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseMessage } from '../../src/protocols/mime/parseMessage';
import { summarizeHeaders as summarize } from '../../src/protocols/mime/summarizeHeaders';
import { toPanelMessage } from '../../src/views/panel/panelMessage';
import { present } from '../../src/views/mailTreePresentation';
import type { MessageSummary } from '../../src/mail/types';

const ref = { account: 'a', folder: 'INBOX', id: '1' };
const raw = (dateLine: string) =>
  Buffer.from(`From: a@example.org\r\nSubject: dated\r\n${dateLine}Content-Type: text/plain\r\n\r\nbody\r\n`);

test("a valid Date header is the message's date, in the parser and in the store's summary", async () => {
  const line = 'Date: Mon, 2 Nov 2026 10:00:00 +0000\r\n';
  assert.equal((await parseMessage(ref, raw(line))).date?.toISOString(), '2026-11-02T10:00:00.000Z');
  assert.equal((await summarize(raw(line), 100)).date, '2026-11-02T10:00:00.000Z');
});

test('a missing or unparseable Date header gives no date at all, never the time of parsing', async () => {
  for (const line of ['', 'Date: sometime last week\r\n', 'Date: \r\n']) {
    assert.equal((await parseMessage(ref, raw(line))).date, undefined, JSON.stringify(line));
    assert.equal((await summarize(raw(line), 100)).date, undefined, JSON.stringify(line));
  }
});

test('without a date of its own, the panel shows the listed date and says where it comes from', async () => {
  const message = await parseMessage(ref, raw('Date: garbage\r\n'));
  const received = new Date('2026-10-30T08:00:00Z');
  const shown = toPanelMessage(message, { seen: true, flagged: false }, false, false, {
    date: received,
    dateSource: 'received',
  });
  assert.equal(shown.date, received.toISOString());
  assert.match(shown.dateNote ?? '', /received; the message has no date of its own/);
  const dated = toPanelMessage(
    await parseMessage(ref, raw('Date: Mon, 2 Nov 2026 10:00:00 +0000\r\n')),
    { seen: true, flagged: false },
    false,
    false,
    { date: received, dateSource: 'received' },
  );
  assert.equal(dated.date, '2026-11-02T10:00:00.000Z');
  assert.equal(dated.dateNote, undefined);
});

test("the list's tooltip marks a date that is the download time", () => {
  const summary: MessageSummary = {
    ref,
    subject: 's',
    from: [],
    to: [],
    date: new Date('2026-10-30T08:00:00Z'),
    dateSource: 'downloaded',
    size: 1,
    hasAttachments: false,
    flags: { seen: true, flagged: false, answered: false, draft: false },
  };
  const look = present(
    { kind: 'message', key: 'k', account: 'a', summary },
    { account: () => undefined, status: () => ({ state: 'idle' }), locale: 'en-US' },
  );
  assert.match(look.tooltip ?? '', /downloaded: the message has no valid date of its own/);
});
