// POP3 never deletes what is not stored: what odd servers, vanished files and failing disks do to a sync, through
// the whole POP3 backend against a scripted server (for what Dovecot cannot be made to do). Each test here failed
// on the code before the fix it guards.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { Logger } from '../../src/mail/logger';
import { silentLogger } from '../../src/mail/logger';
import { Pop3Backend } from '../../src/sync/pop3Backend';
import type { Pop3Policy } from '../../src/sync/pop3Policy';
import { fakePop3Servers, type FakeMailbox, type FakePop3Server } from '../fakes/fakePop3';
import { mailRejection } from '../support/mailAssertions';
import { waitFor } from '../support/waitFor';

const servers = fakePop3Servers();
const fake = (mailbox: FakeMailbox) => servers.start(mailbox);
const dirs: string[] = [];
after(async () => {
  await servers.stopAll();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempRoot(): string {
  const dir = mkdtempSync(join(tmpdir(), 'letterbox-pop3-safety-'));
  dirs.push(dir);
  return dir;
}

const KEEP: Pop3Policy = { leaveOnServer: true, deleteWhenDeletedLocally: false };
const DELETE_AFTER_DOWNLOAD: Pop3Policy = { leaveOnServer: false, deleteWhenDeletedLocally: false };

function backend(
  server: FakePop3Server,
  storeRoot: string,
  policy: Pop3Policy,
  options: { log?: Logger; replyMs?: number; now?: () => Date } = {},
): Pop3Backend {
  return new Pop3Backend({
    account: 'acct',
    server: { host: '127.0.0.1', port: server.port, security: 'none', user: 'alice' },
    password: async () => 'secret',
    log: options.log ?? silentLogger,
    storeRoot,
    policy,
    timeouts: { connectMs: 2_000, replyMs: options.replyMs ?? 2_000 },
    now: options.now,
  });
}

/** Every message file in the store's Maildir. */
function storedFiles(root: string): string[] {
  return ['new', 'cur'].flatMap((dir) =>
    readdirSync(join(root, 'Maildir', dir)).map((name) => join(root, 'Maildir', dir, name)),
  );
}

async function subjects(pop3: Pop3Backend): Promise<string[]> {
  return (await pop3.listMessages('INBOX', { limit: 1000 })).messages.map((message) => message.subject).sort();
}

const mail = (subject: string, body = subject) => `Subject: ${subject}\r\nFrom: a@example.org\r\n\r\n${body}\r\n`;

describe('POP3 sync: never DELE what is not stored', () => {
  test('a UIDL the server repeats (AAA, BBB, AAA) stores all three and never deletes either AAA', async () => {
    const server = await fake({
      messages: [mail('one'), mail('two'), mail('three')],
      uidls: ['AAA', 'BBB', 'AAA'],
      expungeOnQuit: true,
    });
    const root = tempRoot();
    const pop3 = backend(server, root, DELETE_AFTER_DOWNLOAD);
    await pop3.sync();
    assert.deepEqual(await subjects(pop3), ['one', 'three', 'two']);
    assert.equal(storedFiles(root).length, 3);
    assert.deepEqual(
      server.expunged.map((m) => /Subject: (\w+)/.exec(m)?.[1]),
      ['two'],
      'only BBB, whose UIDL is unique, left the server',
    );
    await pop3.close();
  });

  test('two messages sharing one UIDL are both shown, the same two after every restart', async () => {
    const server = await fake({ messages: [mail('first'), mail('second')], uidls: ['AAA', 'AAA'] });
    const root = tempRoot();
    for (let restart = 0; restart < 3; restart++) {
      const pop3 = backend(server, root, KEEP);
      await pop3.sync();
      assert.deepEqual(await subjects(pop3), ['first', 'second'], `restart ${restart}`);
      await pop3.close();
    }
    assert.equal(storedFiles(root).length, 2);
    assert.equal(server.deleted.size, 0);
  });

  test('a file removed outside Letterbox is downloaded again, never deleted from the server as "deleted here"', async () => {
    const server = await fake({ messages: [mail('keep me')], expungeOnQuit: true });
    const root = tempRoot();
    const policy: Pop3Policy = { leaveOnServer: true, deleteWhenDeletedLocally: true };
    const first = backend(server, root, policy);
    await first.sync();
    await first.close();
    unlinkSync(storedFiles(root)[0]);
    const second = backend(server, root, policy);
    await second.sync();
    assert.equal(server.deleted.size, 0, 'the server copy is the only one left: it stays');
    assert.deepEqual(await subjects(second), ['keep me'], 'and the message is back');
    await second.close();
  });

  test('"delete after N days" never deletes a message whose local file vanished', async () => {
    const server = await fake({ messages: [mail('old mail')], expungeOnQuit: true });
    const root = tempRoot();
    let now = new Date('2026-11-01T00:00:00Z');
    const policy: Pop3Policy = { leaveOnServer: true, deleteAfterDays: 7, deleteWhenDeletedLocally: false };
    const first = backend(server, root, policy, { now: () => now });
    await first.sync();
    await first.close();
    unlinkSync(storedFiles(root)[0]);
    now = new Date('2026-11-20T00:00:00Z');
    const second = backend(server, root, policy, { now: () => now });
    await second.sync();
    assert.equal(server.deleted.size, 0);
    assert.equal(storedFiles(root).length, 1, 'downloaded again');
    await second.close();
  });

  test('with many files missing at once nothing at all is deleted from the server in that run, and it says why', async () => {
    const messages = Array.from({ length: 12 }, (_, i) => mail(`m${i}`));
    const server = await fake({ messages, expungeOnQuit: true });
    const root = tempRoot();
    const policy: Pop3Policy = { leaveOnServer: true, deleteAfterDays: 0, deleteWhenDeletedLocally: false };
    const first = backend(server, root, { ...KEEP });
    await first.sync();
    await first.close();
    for (const file of storedFiles(root)) unlinkSync(file);
    const warnings: string[] = [];
    const second = backend(server, root, policy, { log: { ...silentLogger, warn: (line) => warnings.push(line) } });
    const report = await second.sync();
    assert.equal(server.deleted.size, 0);
    assert.match(report.deletionsHeld ?? '', /12 downloaded messages were missing/);
    assert.match(warnings.join('\n'), /missing from/);
    assert.equal(storedFiles(root).length, 12);
    await second.close();
  });

  test('without UIDL, a later message with the same header block is downloaded, not deleted unread', async () => {
    const headers = 'Subject: Disk usage report\r\nFrom: cron@example.org\r\n\r\n';
    const server = await fake({ messages: [`${headers}disk at 80%\r\n`], uidl: false, expungeOnQuit: true });
    const root = tempRoot();
    const pop3 = backend(server, root, DELETE_AFTER_DOWNLOAD);
    await pop3.sync();
    assert.equal(server.expunged.length, 1);
    // The next day the same report arrives with another body.
    server.mailbox.messages.push(`${headers}disk at 95%, act now\r\n`);
    await pop3.sync();
    const bodies = storedFiles(root).map((file) => readFileSync(file, 'utf8'));
    assert.equal(bodies.filter((body) => body.includes('act now')).length, 1, 'the second report is stored');
    await pop3.close();
  });

  test('a UIDL of 300 characters is stored under a short file name and known again after a restart', async () => {
    const long = 'x'.repeat(300);
    const server = await fake({ messages: [mail('long id')], uidls: [long] });
    const root = tempRoot();
    const pop3 = backend(server, root, KEEP);
    const report = await pop3.sync();
    assert.equal(report.downloaded, 1);
    await pop3.close();
    // The index is lost: the message is known again from its file name once the server lists the id.
    unlinkSync(join(root, 'index.json'));
    const again = backend(server, root, KEEP);
    const second = await again.sync();
    assert.equal(second.downloaded, 0);
    assert.equal(storedFiles(root).length, 1);
    await again.close();
  });

  test('a failed delivery fails the sync (kind storage) and nothing is deleted from the server', async () => {
    const server = await fake({ messages: [mail('a'), mail('b')], expungeOnQuit: true });
    const root = tempRoot();
    const pop3 = backend(server, root, DELETE_AFTER_DOWNLOAD);
    await pop3.listFolders();
    // tmp/ replaced by a file: every download fails to be written, as on a broken or full disk.
    rmSync(join(root, 'Maildir', 'tmp'), { recursive: true });
    writeFileSync(join(root, 'Maildir', 'tmp'), 'not a folder');
    const error = await mailRejection(pop3.sync());
    assert.equal(error.kind, 'storage');
    assert.equal(server.deleted.size, 0);
    assert.equal(storedFiles(root).length, 0);
    rmSync(join(root, 'Maildir', 'tmp'));
    mkdirSync(join(root, 'Maildir', 'tmp'));
    await pop3.close();
  });

  test('a message the server refuses to send is skipped and named; the rest of the pipelined batch is stored', async () => {
    const messages = Array.from({ length: 5 }, (_, i) => mail(`m${i + 1}`));
    const server = await fake({
      messages,
      pipelining: true,
      override: (line) => (line === 'RETR 2' ? '-ERR [SYS/PERM] message is corrupted\r\n' : undefined),
    });
    const root = tempRoot();
    const pop3 = backend(server, root, KEEP);
    const report = await pop3.sync();
    assert.deepEqual(await subjects(pop3), ['m1', 'm3', 'm4', 'm5']);
    assert.deepEqual(
      report.skipped.map((skipped) => skipped.id),
      ['uid-2'],
    );
    assert.match(report.skipped[0].reason, /refused to send it \(\[SYS\/PERM\] message is corrupted\)/);
    // The next check tries it again, last, and still stores everything else.
    const again = await pop3.sync();
    assert.deepEqual(
      again.skipped.map((skipped) => skipped.id),
      ['uid-2'],
    );
    assert.equal(storedFiles(root).length, 4);
    await pop3.close();
  });

  test('two backends on one store syncing at once store each message exactly once', async () => {
    const messages = Array.from({ length: 3 }, (_, i) => mail(`m${i + 1}`));
    const server = await fake({ messages, pipelining: true, delayFirstRetrMs: 200 });
    const root = tempRoot();
    const a = backend(server, root, KEEP);
    const b = backend(server, root, KEEP);
    await Promise.all([a.sync(), b.sync()]);
    assert.equal(storedFiles(root).length, 3, storedFiles(root).join('\n'));
    assert.deepEqual(await subjects(b), ['m1', 'm2', 'm3']);
    assert.deepEqual(await subjects(a), ['m1', 'm2', 'm3']);
    await Promise.all([a.close(), b.close()]);
  });

  test('a window is told when another window downloads or reads mail in the shared store, and then shows it', async () => {
    const server = await fake({ messages: [mail('first')] });
    const root = tempRoot();
    const here = backend(server, root, KEEP);
    const there = backend(server, root, KEEP);
    await here.sync();
    const changes: string[] = [];
    const watch = await here.watch('INBOX', (change) => changes.push(change.folder));
    server.mailbox.messages.push(mail('second'));
    await there.sync();
    await waitFor(() => changes.length > 0, 'a change from the other window');
    assert.deepEqual(await subjects(here), ['first', 'second']);
    const seen = changes.length;
    const [second] = (await there.listMessages('INBOX', { limit: 10 })).messages.filter(
      (message) => message.subject === 'second',
    );
    await there.setFlags([second.ref], { seen: true });
    await waitFor(() => changes.length > seen, 'the read mark from the other window');
    const shown = (await here.listMessages('INBOX', { limit: 10 })).messages.find(
      (message) => message.subject === 'second',
    );
    assert.equal(shown?.flags.seen, true);
    watch.dispose();
    await Promise.all([here.close(), there.close()]);
  });
});

describe('POP3: a missing optional command degrades, it never blocks the mailbox', () => {
  const noTop = (command: string) => (command.startsWith('TOP') ? '-ERR unknown command\r\n' : undefined);

  test('a server that repeats a UIDL and has no TOP: every message arrives, the repeated ones stay on the server, and the log says how', async () => {
    const server = await fake({
      messages: [mail('one'), mail('two'), mail('three')],
      uidls: ['AAA', 'BBB', 'AAA'],
      expungeOnQuit: true,
      override: noTop,
    });
    const root = tempRoot();
    const lines: string[] = [];
    const log: Logger = { ...silentLogger, info: (line) => lines.push(line), warn: (line) => lines.push(line) };
    const pop3 = backend(server, root, DELETE_AFTER_DOWNLOAD, { log });
    const report = await pop3.sync();
    assert.equal(report.downloaded, 3);
    assert.deepEqual(await subjects(pop3), ['one', 'three', 'two']);
    assert.deepEqual(
      server.expunged.map((m) => /Subject: (\w+)/.exec(m)?.[1]),
      ['two'],
      'only the unique UIDL left the server',
    );
    assert.ok(
      server.received.some((command) => command.startsWith('TOP')),
      'TOP was tried',
    );
    assert.ok(
      lines.some((line) => /refused TOP .*read with RETR instead/.test(line)),
      lines.join('\n'),
    );
    assert.ok(
      lines.some((line) =>
        /told apart by their headers \(read with RETR, as the server refused TOP\) and are never deleted/.test(line),
      ),
      lines.join('\n'),
    );
    await pop3.sync();
    assert.equal(storedFiles(root).length, 3, 'the next check downloads nothing twice');
    await pop3.close();
  });

  test('ids made without TOP are the ones TOP gives: a server that stops answering TOP downloads nothing twice', async () => {
    const mailbox: FakeMailbox = { messages: [mail('first'), mail('second')], uidls: ['AAA', 'AAA'] };
    const server = await fake(mailbox);
    const root = tempRoot();
    const withTop = backend(server, root, KEEP);
    await withTop.sync();
    await withTop.close();
    mailbox.override = noTop;
    const withoutTop = backend(server, root, KEEP);
    const report = await withoutTop.sync();
    assert.equal(report.downloaded, 0);
    assert.equal(storedFiles(root).length, 2);
    await withoutTop.close();
  });
});
