// The offline store on a temp dir: what a crash, another Maildir reader or a damaged index can leave behind.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { silentLogger } from '../../src/mail/logger';
import { MessageStore } from '../../src/store/messageStore';

const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempRoot(): string {
  const dir = mkdtempSync(join(tmpdir(), 'letterbox-store-unit-'));
  dirs.push(dir);
  return dir;
}

async function storeWith(root: string, uid: string, raw: string): Promise<MessageStore> {
  const store = await MessageStore.open(root, silentLogger);
  const download = store.beginDownload(uid);
  download.write(Buffer.from(raw));
  await download.deliver();
  await store.flush();
  return store;
}

const RAW = 'From: A <a@example.org>\nSubject: Hello\nDate: Mon, 2 Nov 2026 10:00:00 +0000\nContent-Type: multipart/mixed; boundary=x\n\n--x\n\nhi\n--x--\n';

test('a delivered message is durable in new/ with its UIDL in the name, and its summary comes from the headers', async () => {
  const root = tempRoot();
  const store = await storeWith(root, 'uid/with:odd chars', RAW);
  const [name] = readdirSync(join(root, 'Maildir', 'new'));
  assert.match(name, /,U=[A-Za-z0-9_-]+$/);
  const message = store.get('uid/with:odd chars');
  assert.deepEqual([message?.summary.subject, message?.summary.from[0]?.address, message?.summary.hasAttachments, message?.summary.date], ['Hello', 'a@example.org', true, '2026-11-02T10:00:00.000Z']);
  assert.ok(existsSync(join(root, 'index.json')));
});

test('an interrupted download left in tmp/ is removed when the store opens', async () => {
  const root = tempRoot();
  await MessageStore.open(root, silentLogger);
  writeFileSync(join(root, 'Maildir', 'tmp', 'half-written'), 'Subject: partial');
  await MessageStore.open(root, silentLogger);
  assert.deepEqual(readdirSync(join(root, 'Maildir', 'tmp')), []);
});

test('a message delivered just before a crash, missing from the index, is adopted and not downloaded again', async () => {
  const root = tempRoot();
  await storeWith(root, 'uid-1', RAW);
  unlinkSync(join(root, 'index.json'));
  const reopened = await MessageStore.open(root, silentLogger);
  assert.equal(reopened.knows('uid-1'), true);
  assert.equal(reopened.get('uid-1')?.summary.subject, 'Hello');
});

test('a message removed by another Maildir reader becomes a tombstone: known, not listed', async () => {
  const root = tempRoot();
  await storeWith(root, 'uid-1', RAW);
  const [name] = readdirSync(join(root, 'Maildir', 'new'));
  unlinkSync(join(root, 'Maildir', 'new', name));
  const reopened = await MessageStore.open(root, silentLogger);
  assert.equal(reopened.knows('uid-1'), true);
  assert.equal(reopened.deletedLocally('uid-1'), true);
  assert.deepEqual(reopened.messages(), []);
  reopened.forgetTombstonesExcept(new Set());
  assert.equal(reopened.knows('uid-1'), false, 'once the server no longer has it, the tombstone goes');
});

test('flags set by another reader (R replied) survive Letterbox changing its own', async () => {
  const root = tempRoot();
  await storeWith(root, 'uid-1', RAW);
  const [name] = readdirSync(join(root, 'Maildir', 'new'));
  mkdirSync(join(root, 'Maildir', 'cur'), { recursive: true });
  renameSync(join(root, 'Maildir', 'new', name), join(root, 'Maildir', 'cur', `${name}:2,R`));
  const store = await MessageStore.open(root, silentLogger);
  await store.setFlags('uid-1', { seen: true, flagged: true });
  assert.deepEqual(readdirSync(join(root, 'Maildir', 'cur')), [`${name}:2,FRS`]);
  await store.setFlags('uid-1', { flagged: false, trashed: true });
  assert.deepEqual(readdirSync(join(root, 'Maildir', 'cur')), [`${name}:2,RST`]);
  assert.equal(store.deletedLocally('uid-1'), true, 'trashed counts as deleted here');
});

test('an index of another format version is set aside and rebuilt from the Maildir', async () => {
  const root = tempRoot();
  await storeWith(root, 'uid-1', RAW);
  writeFileSync(join(root, 'index.json'), JSON.stringify({ version: 99, entries: [] }));
  const warnings: string[] = [];
  const store = await MessageStore.open(root, { ...silentLogger, warn: (line) => warnings.push(line) });
  assert.equal(store.get('uid-1')?.summary.subject, 'Hello');
  assert.match(warnings.join('\n'), /format version 99, expected 1/);
});

test('purging keeps the UIDL known so the message is not downloaded again', async () => {
  const root = tempRoot();
  const store = await storeWith(root, 'uid-1', RAW);
  await store.purge('uid-1');
  await store.flush();
  const reopened = await MessageStore.open(root, silentLogger);
  assert.equal(reopened.knows('uid-1'), true);
  assert.deepEqual(reopened.messages(), []);
  assert.deepEqual(['new', 'cur'].flatMap((dir) => readdirSync(join(root, 'Maildir', dir))), []);
});
