// The offline store on a temp dir: what a crash, another Maildir reader or a damaged index can leave behind.
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { silentLogger } from '../../src/mail/logger';
import { MessageStore } from '../../src/store/messageStore';
import { mimeReading } from '../../src/protocols/mime/messageReading';

const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempRoot(): string {
  const dir = mkdtempSync(join(tmpdir(), 'letterbox-store-unit-'));
  dirs.push(dir);
  return dir;
}

async function storeWith(root: string, uid: string, raw: string): Promise<MessageStore> {
  const store = await MessageStore.open(root, silentLogger, mimeReading);
  await store.exclusive(async () => {
    const download = store.beginDownload(uid);
    download.write(Buffer.from(raw));
    await download.deliver();
  });
  return store;
}

const RAW =
  'From: A <a@example.org>\nSubject: Hello\nDate: Mon, 2 Nov 2026 10:00:00 +0000\nContent-Type: multipart/mixed; boundary=x\n\n--x\n\nhi\n--x--\n';

test('a delivered message is durable in new/ with its UIDL in the name, and its summary comes from the headers', async () => {
  const root = tempRoot();
  const store = await storeWith(root, 'uid/with:odd chars', RAW);
  const [name] = readdirSync(join(root, 'Maildir', 'new'));
  assert.match(name, /,U=[A-Za-z0-9_-]+$/);
  const message = store.get('uid/with:odd chars');
  assert.deepEqual(
    [
      message?.summary.subject,
      message?.summary.from[0]?.address,
      message?.summary.hasAttachments,
      message?.summary.date,
    ],
    ['Hello', 'a@example.org', true, '2026-11-02T10:00:00.000Z'],
  );
  assert.ok(existsSync(join(root, 'index.json')));
});

test("an interrupted download left in tmp/ is removed by the lock holder; a fresh one (another window's) stays", async () => {
  const root = tempRoot();
  const store = await MessageStore.open(root, silentLogger, mimeReading);
  writeFileSync(join(root, 'Maildir', 'tmp', 'half-written'), 'Subject: partial');
  const old = new Date(Date.now() - 10 * 60_000);
  utimesSync(join(root, 'Maildir', 'tmp', 'half-written'), old, old);
  writeFileSync(join(root, 'Maildir', 'tmp', 'being-written'), 'Subject: in progress');
  await MessageStore.open(root, silentLogger, mimeReading);
  assert.equal(readdirSync(join(root, 'Maildir', 'tmp')).length, 2, 'opening to read removes nothing');
  await store.exclusive(async () => undefined);
  assert.deepEqual(readdirSync(join(root, 'Maildir', 'tmp')), ['being-written']);
});

test('a message delivered just before a crash, missing from the index, is adopted and not downloaded again', async () => {
  const root = tempRoot();
  await storeWith(root, 'uid-1', RAW);
  unlinkSync(join(root, 'index.json'));
  const reopened = await MessageStore.open(root, silentLogger, mimeReading);
  assert.equal(reopened.knows('uid-1'), true);
  assert.equal(reopened.get('uid-1')?.summary.subject, 'Hello');
});

test('a file removed outside Letterbox is not a deletion by the user: no tombstone, so it downloads again', async () => {
  const root = tempRoot();
  await storeWith(root, 'uid-1', RAW);
  const [name] = readdirSync(join(root, 'Maildir', 'new'));
  unlinkSync(join(root, 'Maildir', 'new', name));
  const reopened = await MessageStore.open(root, silentLogger, mimeReading);
  assert.equal(reopened.knows('uid-1'), false);
  assert.equal(reopened.deletedLocally('uid-1'), false);
  assert.equal(reopened.takeVanished(), 1);
  assert.deepEqual(reopened.messages(), []);
});

test('a purge by the user is a tombstone: known, not listed, forgotten once the server no longer has it', async () => {
  const root = tempRoot();
  const store = await storeWith(root, 'uid-1', RAW);
  await store.exclusive(() => store.purge('uid-1'));
  const reopened = await MessageStore.open(root, silentLogger, mimeReading);
  assert.equal(reopened.localState('uid-1'), 'deletedByUser');
  assert.deepEqual(reopened.messages(), []);
  reopened.forgetTombstonesExcept(new Set());
  assert.equal(reopened.knows('uid-1'), false);
});

test('flags set by another reader (R replied) survive Letterbox changing its own', async () => {
  const root = tempRoot();
  await storeWith(root, 'uid-1', RAW);
  const [name] = readdirSync(join(root, 'Maildir', 'new'));
  mkdirSync(join(root, 'Maildir', 'cur'), { recursive: true });
  renameSync(join(root, 'Maildir', 'new', name), join(root, 'Maildir', 'cur', `${name}:2,R`));
  const store = await MessageStore.open(root, silentLogger, mimeReading);
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
  const store = await MessageStore.open(root, { ...silentLogger, warn: (line) => warnings.push(line) }, mimeReading);
  assert.equal(store.get('uid-1')?.summary.subject, 'Hello');
  await store.exclusive(async () => undefined);
  assert.match(warnings.join('\n'), /format version 99, expected 2/);
});

test('an index of version 1 keeps its entries and tombstones, and its summaries gain the threading headers', async () => {
  const root = tempRoot();
  const reply = RAW.replace(
    'Subject:',
    'In-Reply-To: <parent@test>\r\nReferences: <root@test> <parent@test>\r\nSubject:',
  );
  await storeWith(root, 'uid-1', reply);
  const index = JSON.parse(readFileSync(join(root, 'index.json'), 'utf8')) as {
    version: number;
    entries: Array<{ uid: string; base: string | null; firstSeen: string; summary: Record<string, unknown> | null }>;
  };
  // What Letterbox 0.1 wrote: no threading headers, and a tombstone of a message deleted here for good.
  for (const entry of index.entries) {
    delete entry.summary?.messageId;
    delete entry.summary?.inReplyTo;
    delete entry.summary?.references;
  }
  index.entries.push({ uid: 'deleted-here', base: null, firstSeen: new Date().toISOString(), summary: null });
  writeFileSync(join(root, 'index.json'), JSON.stringify({ version: 1, entries: index.entries }));

  const store = await MessageStore.open(root, silentLogger, mimeReading);
  await store.exclusive(async () => undefined);
  const reopened = await MessageStore.open(root, silentLogger, mimeReading);
  assert.equal(reopened.knows('deleted-here'), true, 'the tombstone is kept: the message is not downloaded again');
  assert.deepEqual(reopened.get('uid-1')?.summary.references, ['root@test', 'parent@test']);
  assert.equal(reopened.get('uid-1')?.summary.inReplyTo, 'parent@test');
  assert.equal(JSON.parse(readFileSync(join(root, 'index.json'), 'utf8')).version, 2);
});

test('purging keeps the UIDL known so the message is not downloaded again', async () => {
  const root = tempRoot();
  const store = await storeWith(root, 'uid-1', RAW);
  await store.exclusive(() => store.purge('uid-1'));
  const reopened = await MessageStore.open(root, silentLogger, mimeReading);
  assert.equal(reopened.knows('uid-1'), true);
  assert.deepEqual(reopened.messages(), []);
  assert.deepEqual(
    ['new', 'cur'].flatMap((dir) => readdirSync(join(root, 'Maildir', dir))),
    [],
  );
});

test('flushes that overlap never corrupt the index or lose a tombstone (20 runs)', async () => {
  const failures: string[] = [];
  for (let run = 0; run < 20; run++) {
    const root = tempRoot();
    const store = await MessageStore.open(root, silentLogger, mimeReading);
    for (const uid of ['a', 'b', 'c']) {
      const download = store.beginDownload(uid);
      download.write(Buffer.from(RAW));
      await download.deliver();
    }
    await store.purge('a');
    // Two writers at once, with a change between them, as when a delete and a sync end together.
    const first = store.flush();
    await store.purge('b');
    const results = await Promise.allSettled([first, store.flush(), store.flush()]);
    const rejected = results.filter((result) => result.status === 'rejected');
    if (rejected.length) failures.push(`run ${run}: ${String((rejected[0] as PromiseRejectedResult).reason)}`);
    const reopened = await MessageStore.open(root, silentLogger, mimeReading);
    if (!reopened.knows('a') || !reopened.knows('b') || reopened.messages().length !== 1)
      failures.push(`run ${run}: tombstones or messages lost`);
  }
  assert.deepEqual(failures, []);
});
