import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeCursor, encodeCursor, groupByFolder, uidSet } from '../../src/protocols/imap/imapRefs';

test('UID sets collapse runs, sort and drop duplicates', () => {
  assert.equal(uidSet([9, 3, 5, 6, 7, 8, 12, 3]), '3,5:9,12');
  assert.equal(uidSet([42]), '42');
});

test('a UID set refuses an empty or invalid selection instead of sending a bad command', () => {
  assert.throws(() => uidSet([]), RangeError);
  assert.throws(() => uidSet([0, -1, 1.5]), RangeError);
});

test('page cursors round-trip and reject garbage', () => {
  assert.deepEqual(decodeCursor(encodeCursor({ validity: '1700000000', beforeUid: 51 })), {
    validity: '1700000000',
    beforeUid: 51,
  });
  // With the anchor's position (paging by sequence number); a cursor from an older version, without it, still reads.
  assert.deepEqual(decodeCursor(encodeCursor({ validity: '1700000000', beforeUid: 51, seq: 40 })), {
    validity: '1700000000',
    beforeUid: 51,
    seq: 40,
  });
  assert.equal(encodeCursor({ validity: '7', beforeUid: 51, seq: 40 }), '7:51:40');
  assert.throws(() => decodeCursor('51'), RangeError);
  assert.throws(() => decodeCursor('7:51:40:1'), RangeError);
});

test('references are grouped by folder in first-seen order', () => {
  const ref = (folder: string, id: string) => ({ account: 'a', folder, id });
  const groups = groupByFolder([ref('INBOX', '1'), ref('Archive', '2'), ref('INBOX', '3')]);
  assert.deepEqual([...groups.keys()], ['INBOX', 'Archive']);
  assert.deepEqual(
    groups.get('INBOX')?.map((r) => r.id),
    ['1', '3'],
  );
});
