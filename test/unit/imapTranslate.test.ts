import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MessageStructureObject } from 'imapflow';
import { hasAttachments, toFlags, toFolder } from '../../src/protocols/imap/imapTranslate';

const leaf = (type: string, extra: Partial<MessageStructureObject> = {}): MessageStructureObject => ({
  type,
  ...extra,
});
const multi = (type: string, ...childNodes: MessageStructureObject[]): MessageStructureObject => ({ type, childNodes });

test('plain and alternative bodies have no attachments', () => {
  assert.equal(hasAttachments(leaf('text/plain')), false);
  assert.equal(hasAttachments(multi('multipart/alternative', leaf('text/plain'), leaf('text/html'))), false);
});

test('a Content-Disposition attachment counts, even for text', () => {
  const tree = multi(
    'multipart/mixed',
    leaf('text/plain'),
    leaf('text/csv', { disposition: 'attachment', dispositionParameters: { filename: 'a.csv' } }),
  );
  assert.equal(hasAttachments(tree), true);
});

test('inline images of an HTML body do not count, named files without disposition do', () => {
  const related = multi(
    'multipart/related',
    leaf('text/html'),
    leaf('image/png', { id: '<logo@x>', disposition: 'inline' }),
  );
  assert.equal(hasAttachments(related), false);
  assert.equal(
    hasAttachments(
      multi('multipart/mixed', leaf('text/plain'), leaf('application/pdf', { parameters: { name: 'x.pdf' } })),
    ),
    true,
  );
});

test('a forwarded message counts as an attachment', () => {
  assert.equal(hasAttachments(multi('multipart/mixed', leaf('text/plain'), leaf('message/rfc822'))), true);
});

test('flags are matched case-insensitively', () => {
  assert.deepEqual(toFlags(new Set(['\\seen', '\\FLAGGED'])), {
    seen: true,
    flagged: true,
    answered: false,
    draft: false,
  });
  assert.deepEqual(toFlags(undefined), { seen: false, flagged: false, answered: false, draft: false });
});

test('folders: INBOX is the inbox whatever the server calls it, \\Noselect is not selectable', () => {
  const base = { pathAsListed: '', delimiter: '/', parent: [], parentPath: '', listed: true, subscribed: true };
  const inbox = toFolder({ ...base, path: 'INBOX', name: 'INBOX', flags: new Set() });
  assert.equal(inbox.specialUse, 'inbox');
  assert.equal(inbox.name, 'Inbox');
  const container = toFolder({ ...base, path: 'Lists', name: 'Lists', flags: new Set(['\\Noselect']) });
  assert.equal(container.selectable, false);
  const sent = toFolder({
    ...base,
    path: 'Gesendet',
    name: 'Gesendet',
    flags: new Set(),
    specialUse: '\\Sent',
    status: { path: 'Gesendet', messages: 4, unseen: 1 },
  });
  assert.deepEqual([sent.specialUse, sent.total, sent.unread], ['sent', 4, 1]);
});
