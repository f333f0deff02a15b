import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MailMessage } from '../../src/mail/types';
import { toPanelMessage } from '../../src/views/panel/panelMessage';

const base: MailMessage = {
  ref: { account: 'a', folder: 'INBOX', id: '1' },
  subject: 'S',
  from: [{ name: 'A', address: 'a@x' }],
  to: [],
  cc: [],
  bcc: [],
  replyTo: [],
  date: new Date('2026-11-28T10:00:00Z'),
  references: [],
  html: '<img src="cid:logo@x">',
  attachments: [
    {
      id: '0',
      filename: 'logo.png',
      contentType: 'image/png',
      size: 3,
      contentId: 'logo@x',
      inline: true,
      content: new Uint8Array([1, 2, 3]),
    },
    {
      id: '1',
      filename: 'report.pdf',
      contentType: 'application/pdf',
      size: 4,
      inline: false,
      content: new Uint8Array([4, 5, 6, 7]),
    },
  ],
};

test('cid images travel as data URLs and are not listed again as attachments', () => {
  const panel = toPanelMessage(base, { seen: true, flagged: false }, false, false);
  assert.equal(panel.inlineImages['logo@x'], 'data:image/png;base64,AQID');
  assert.deepEqual(panel.attachments, [{ id: '1', filename: 'report.pdf', contentType: 'application/pdf', size: 4 }]);
  assert.equal(panel.date, '2026-11-28T10:00:00.000Z');
  assert.equal('content' in panel.attachments[0], false, 'attachment bytes stay in the extension until asked for');
});
