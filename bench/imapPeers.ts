// Benchmark, not a test: IMAP against its peers on one private Dovecot, in one run, every side timed the same way
// (as a whole process: start, connect, log in, open the Inbox, fetch, exit), rounds interleaved, medians with min
// and max, then ratios:
//   first page: the newest 50 summaries, Letterbox's engine against a bare imapflow script (aim: at most 1.1x);
//   all summaries: every summary of a 10,000-message Inbox (what filling a cache costs), Letterbox against bare
//   imapflow (aim: at most 1.2x) and Python's imaplib (raw FETCH, no parsing), and mbsync (Debian's isync) syncing
//   the Inbox into a local Maildir where it is installed.
// Run: npx tsx bench/imapPeers.ts   (BENCH_MESSAGES, BENCH_ROUNDS; as root it installs isync with apt if missing)
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { buildSync } from 'esbuild';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { aptInstall, missingPackages } from '../test/setup/aptPackages';
import { withMailbox } from '../test/mail/mailbox';
import { buildMessage } from '../test/mail/messageBuilder';
import { DovecotServer, type TestUser } from '../test/servers/dovecot';

const COUNT = Number(process.env.BENCH_MESSAGES ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const ROOT = join(__dirname, '..');

/** One child process per run, for every tool alike. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): number {
  const start = performance.now();
  const result = spawnSync(command, args, { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const elapsed = performance.now() - start;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
  return elapsed;
}

const NODE_SCRIPT = (engine: 'letterbox' | 'imapflow', limit: number) => `
const [host, port, user, pass] = process.argv.slice(1);
(async () => {
  if (${JSON.stringify(engine)} === 'imapflow') {
    const { ImapFlow } = require('imapflow');
    const client = new ImapFlow({ host, port: Number(port), secure: false, doSTARTTLS: false, auth: { user, pass }, logger: false, disableAutoIdle: true });
    await client.connect();
    const lock = await client.getMailboxLock('INBOX');
    const exists = client.mailbox.exists;
    const from = ${limit} ? Math.max(1, exists - ${limit} + 1) : 1;
    let n = 0;
    for await (const m of client.fetch(from + ':*', { uid: true, flags: true, envelope: true, size: true, internalDate: true, bodyStructure: true })) n++;
    lock.release();
    await client.logout();
    if (!n) process.exit(2);
  } else {
    const { ImapBackend } = require(process.env.LETTERBOX_IMAP_BUNDLE);
    const log = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
    const backend = new ImapBackend({ account: 'bench', server: { host, port: Number(port), security: 'none', user }, password: async () => pass, log });
    let page = await backend.listMessages('INBOX', { limit: ${limit} || 1000 });
    let n = page.messages.length;
    while (${limit === 0} && page.next) { page = await backend.listMessages('INBOX', { limit: 1000, after: page.next }); n += page.messages.length; }
    await backend.close();
    if (!n) process.exit(2);
  }
})().catch((error) => { console.error(error); process.exit(1); });
`;

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

function stats(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  return `median ${median(values).toFixed(0)} ms (min ${sorted[0].toFixed(0)}, max ${sorted.at(-1)!.toFixed(0)})`;
}

async function seed(server: DovecotServer, user: TestUser): Promise<void> {
  await Promise.all(Array.from({ length: 4 }, (_, batch) => withMailbox(server, user, async (client) => {
    for (let i = batch; i < COUNT; i += 4) {
      const attachments = i % 10 === 0 ? [{ filename: `f${i}.pdf`, contentType: 'application/pdf', content: Buffer.alloc(1_000 + (i % 7) * 3_000, 1) }] : undefined;
      await client.append('INBOX', buildMessage({ subject: i % 9 === 0 ? `Grüße ${i} — ünïcödé` : `Message ${i}`, from: `Sender ${i % 50} <s${i % 50}@example.org>`, text: `line ${i}\n`.repeat(1 + (i % 60)), attachments }), i % 3 ? ['\\Seen'] : []);
    }
  })));
}

async function main(): Promise<void> {
  if (missingPackages(['isync']).length && process.getuid?.() === 0) aptInstall(['isync'], 'The mbsync comparison');
  const haveMbsync = !missingPackages(['isync']).length;
  const server = await DovecotServer.start();
  const user = server.addUser('peers');
  const work = mkdtempSync(join(tmpdir(), 'letterbox-bench-peers-'));
  try {
    console.log(`seeding ${COUNT} messages…`);
    await seed(server, user);
    const args = ['127.0.0.1', String(server.ports.imap), user.user, user.password];
    // Letterbox's engine bundled the way the extension ships it, so both sides start as plain Node scripts.
    const bundle = join(work, 'letterbox-imap.js');
    buildSync({ entryPoints: [join(ROOT, 'src/protocols/imap/imapBackend.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node18', minify: true, outfile: bundle, alias: { pino: './build/stubs/pino.cjs', socks: './build/stubs/socks.cjs' }, logLevel: 'silent' });
    const node = (engine: 'letterbox' | 'imapflow', limit: number) => () => run(process.execPath, ['-e', NODE_SCRIPT(engine, limit), ...args], { LETTERBOX_IMAP_BUNDLE: bundle });
    const mbsync = () => {
      const maildir = join(work, `mbsync-${Math.random().toString(36).slice(2)}`);
      mkdirSync(maildir);
      const rc = join(work, 'mbsyncrc');
      writeFileSync(rc, `IMAPAccount bench\nHost 127.0.0.1\nPort ${server.ports.imap}\nUser ${user.user}\nPass ${user.password}\nSSLType None\nAuthMechs LOGIN\n\nIMAPStore remote\nAccount bench\n\nMaildirStore local\nPath ${maildir}/\nInbox ${maildir}/INBOX\n\nChannel inbox\nFar :remote:INBOX\nNear :local:INBOX\nCreate Near\nSync Pull\nSyncState *\n`);
      return run('mbsync', ['-c', rc, 'inbox']);
    };
    const cases: Array<{ title: string; tools: Record<string, () => number>; aim?: [string, number] }> = [
      { title: 'first page (newest 50 summaries)', tools: { letterbox: node('letterbox', 50), imapflow: node('imapflow', 50) }, aim: ['imapflow', 1.1] },
      { title: `all ${COUNT} summaries`, tools: { letterbox: node('letterbox', 0), imapflow: node('imapflow', 0), imaplib: () => run('python3', [join('bench', 'imapSummaries.py'), ...args, '0']), ...(haveMbsync ? { 'mbsync (whole messages)': mbsync } : {}) }, aim: ['imapflow', 1.2] },
    ];
    for (const bench of cases) {
      const times: Record<string, number[]> = Object.fromEntries(Object.keys(bench.tools).map((name) => [name, []]));
      for (let round = 0; round < ROUNDS; round++) for (const [name, tool] of Object.entries(bench.tools)) times[name].push(tool());
      console.log(`\n${bench.title}`);
      for (const [name, values] of Object.entries(times)) console.log(`  ${name.padEnd(26)} ${stats(values)}`);
      for (const [name, values] of Object.entries(times)) {
        if (name === 'letterbox') continue;
        const ratio = median(times.letterbox) / median(values);
        const aim = bench.aim && bench.aim[0] === name ? ` (aim: at most ${bench.aim[1]}x)` : '';
        console.log(`  letterbox / ${name}: ${ratio.toFixed(2)}x${aim}`);
      }
    }
  } finally {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

void main();
