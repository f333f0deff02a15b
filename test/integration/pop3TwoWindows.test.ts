// Several VS Code windows share one POP3 store: two real OS processes sync the same account into the same folder
// at the same time, again and again, while new mail arrives. Every message must be stored exactly once, the index
// must stay valid, and the server must hold what the policy says.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readIndex } from '../../src/store/accountIndex';
import { DEFAULT_POP3_POLICY, type Pop3Policy } from '../../src/sync/pop3Policy';
import { DovecotServer, type TestUser } from '../servers/dovecot';
import { dovecotSettings } from '../servers/serverSettings';
import { appendMessages, messagesIn } from '../mail/mailbox';
import { buildMessage } from '../mail/messageBuilder';

const WORKER = resolve(__dirname, 'pop3SyncWorker.ts');
let server: DovecotServer;
const roots: string[] = [];
before(async () => {
  server = await DovecotServer.start();
});
after(async () => {
  await server?.stop();
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

interface WorkerResult {
  pid: number;
  downloaded: number;
  errors: string[];
  warnings: string[];
}

function runWorker(user: TestUser, storeRoot: string, policy: Pop3Policy, rounds: number): Promise<WorkerResult> {
  const job = {
    server: dovecotSettings(server, user, 'pop3'),
    password: user.password,
    storeRoot,
    policy,
    rounds,
  };
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
      env: { ...process.env, LETTERBOX_WORKER_JOB: JSON.stringify(job) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('exit', (code) =>
      code === 0
        ? done(JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as WorkerResult)
        : fail(new Error(`worker exited ${code}: ${err}`)),
    );
  });
}

function storedFiles(root: string): string[] {
  return ['new', 'cur'].flatMap((dir) =>
    readdirSync(join(root, 'Maildir', dir)).map((name) => join(root, 'Maildir', dir, name)),
  );
}

async function twoWindows(policy: Pop3Policy, label: string): Promise<void> {
  const user = server.addUser(label);
  const storeRoot = mkdtempSync(join(tmpdir(), 'letterbox-two-windows-'));
  roots.push(storeRoot);
  const subjects: string[] = [];
  const deliver = async (count: number) => {
    const batch: string[] = [];
    for (let i = 0; i < count; i++) {
      const subject = `${label} ${subjects.length + 1}`;
      subjects.push(subject);
      batch.push(subject);
    }
    await appendMessages(
      server,
      user,
      'INBOX',
      batch.map((subject) => ({ raw: buildMessage({ subject, text: `${subject}\n`.repeat(50) }) })),
    );
  };
  await deliver(10);
  const windows = Promise.all([runWorker(user, storeRoot, policy, 12), runWorker(user, storeRoot, policy, 12)]);
  // New mail keeps arriving while both windows sync.
  for (let i = 0; i < 4; i++) {
    await new Promise((resolve) => setTimeout(resolve, 150));
    await deliver(5);
  }
  const results = await windows;
  // One last sync picks up what arrived after the windows' last rounds.
  const last = await runWorker(user, storeRoot, policy, 1);
  const all = [...results, last];
  assert.deepEqual(
    all.flatMap((result) => result.errors),
    [],
    'no sync failed',
  );
  const files = storedFiles(storeRoot);
  const stored = files.map((file) => /^Subject: (.*)$/m.exec(readFileSync(file, 'utf8'))?.[1]).sort();
  assert.deepEqual(
    stored,
    [...subjects].sort(),
    `each of ${subjects.length} messages stored exactly once (${files.length} files)`,
  );
  assert.equal(
    all.reduce((sum, result) => sum + result.downloaded, 0),
    subjects.length,
    'downloaded once in all, across both windows',
  );
  const index = await readIndex(join(storeRoot, 'index.json'));
  assert.equal(index.state, 'ok');
  if (index.state === 'ok') {
    assert.equal(index.entries.length, subjects.length);
    assert.equal(
      new Set(index.entries.map((entry) => entry.base)).size,
      subjects.length,
      'no two entries share a file',
    );
  }
  assert.deepEqual(readdirSync(join(storeRoot, 'Maildir', 'tmp')), [], 'no download left behind');
  const onServer = (await messagesIn(server, user, 'INBOX')).length;
  assert.equal(onServer, policy.leaveOnServer ? subjects.length : 0, 'the server holds what the policy says');
}

describe('two VS Code windows (two OS processes) on one POP3 store', () => {
  test('leave on server: 2 processes x 12 syncs while 30 messages arrive; each stored once, index valid', async () => {
    await twoWindows(DEFAULT_POP3_POLICY, 'keep');
  });

  test('delete after download: the same race; each stored once, and the server emptied only of stored mail', async () => {
    await twoWindows({ leaveOnServer: false, deleteWhenDeletedLocally: false }, 'move');
  });
});
