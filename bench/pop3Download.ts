// Benchmark, not a test: downloads the same 1,000 messages from a private Dovecot with Letterbox, Python's poplib
// and fetchmail, in one run, and prints how many times faster Letterbox is than each, twice:
//   protocol: every tool retrieves all messages and discards them (what the POP3 engine itself costs);
//   stored:   Letterbox's real sync (Maildir, fsync, index) against poplib writing a file per message and
//             fetchmail writing one BSMTP file.
// Run: npm run bench   (as root on Debian it installs fetchmail if missing)
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { silentLogger } from '../src/mail/logger';
import { Pop3Backend } from '../src/sync/pop3Backend';
import { Pop3Client } from '../src/protocols/pop3/pop3Client';
import { DovecotServer, type TestUser } from '../test/servers/dovecot';
import { withMailbox } from '../test/mail/mailbox';
import { buildMessage } from '../test/mail/messageBuilder';

const COUNT = Number(process.env.BENCH_MESSAGES ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

type Run = (server: DovecotServer, user: TestUser, out: string) => Promise<void>;

const MODES: Array<{ title: string; tools: Record<string, Run> }> = [
  {
    title: 'protocol only: retrieve every message, discard it',
    tools: {
      letterbox: async (server, user) => letterboxClientOnly(server, user),
      poplib: async (server, user) => poplib(server, user, '-'),
      fetchmail: async (server, user, out) => fetchmail(server, user, out, '/dev/null'),
    },
  },
  {
    title: 'stored: the real download into local mail storage',
    tools: {
      letterbox: (server, user, out) => letterbox(server, user, out),
      poplib: async (server, user, out) => poplib(server, user, out),
      fetchmail: async (server, user, out) => fetchmail(server, user, out, join(out, 'mail.bsmtp')),
    },
  },
];

async function main(): Promise<void> {
  ensureFetchmail();
  const server = await DovecotServer.start();
  const work = mkdtempSync(join(tmpdir(), 'letterbox-bench-'));
  try {
    // POP3 downloads leave the mail on the server, so one seeded mailbox serves every tool and every round.
    const user = await seededUser(server);
    console.log(`POP3 download of ${COUNT} messages (${megabytes(user)} MB) from Dovecot on loopback, plain POP3, best of ${ROUNDS} rounds`);
    for (const mode of MODES) {
      const names = Object.keys(mode.tools);
      const results: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
      for (let round = 0; round < ROUNDS; round++) {
        // The order rotates so that no tool always runs first.
        for (let i = 0; i < names.length; i++) {
          const name = names[(i + round) % names.length];
          const out = join(work, `${mode.title.split(':')[0]}-${name}-${round}`);
          mkdirSync(out, { recursive: true });
          const started = performance.now();
          await mode.tools[name](server, user, out);
          results[name].push(performance.now() - started);
        }
      }
      const best = (name: string) => Math.min(...results[name]);
      console.log(`\n${mode.title}`);
      for (const name of names) {
        console.log(`  ${name.padEnd(10)} ${best(name).toFixed(0).padStart(6)} ms   (runs: ${results[name].map((ms) => ms.toFixed(0)).join(', ')})`);
      }
      for (const peer of names.filter((name) => name !== 'letterbox')) {
        console.log(`  letterbox is ${(best(peer) / best('letterbox')).toFixed(2)}x as fast as ${peer}`);
      }
    }
    console.log('\nletterbox: UIDL then pipelined RETR; stored = each message fsynced into Maildir tmp/ -> new/, then an fsynced index.');
    console.log('poplib: UIDL then RETR one at a time; stored = one file per message, no fsync.');
    console.log('fetchmail: keep, fetchall, one command at a time; stored = one BSMTP file, no fsync.');
  } finally {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

const sizes = new Map<string, number>();
function megabytes(user: TestUser): string {
  return ((sizes.get(user.user) ?? 0) / 1024 / 1024).toFixed(1);
}

async function seededUser(server: DovecotServer): Promise<TestUser> {
  const user = server.addUser('bench');
  let total = 0;
  await withMailbox(server, user, async (client) => {
    for (let i = 0; i < COUNT; i++) {
      // A realistic spread: mostly short mail, some newsletters, a few with attachments.
      const paragraphs = i % 10 === 0 ? 200 : i % 3 === 0 ? 40 : 8;
      const raw = buildMessage({ subject: `Benchmark message ${i}`, text: `Paragraph of mail text number ${i}, with some words in it.\n`.repeat(paragraphs) });
      total += raw.length;
      await client.append('INBOX', raw);
    }
  });
  sizes.set(user.user, total);
  return user;
}

async function letterbox(server: DovecotServer, user: TestUser, storeRoot: string): Promise<void> {
  const backend = new Pop3Backend({
    account: 'bench',
    server: { host: server.host, port: server.ports.pop3, security: 'none', user: user.user },
    password: async () => user.password,
    log: silentLogger,
    storeRoot,
    policy: { leaveOnServer: true, deleteWhenDeletedLocally: false },
  });
  const report = await backend.sync();
  await backend.close();
  if (report.downloaded !== COUNT) throw new Error(`letterbox downloaded ${report.downloaded} of ${COUNT}`);
}

function poplib(server: DovecotServer, user: TestUser, out: string): void {
  const result = spawnSync('python3', [join(__dirname, 'poplibDownload.py'), server.host, String(server.ports.pop3), user.user, user.password, out], { encoding: 'utf8' });
  if (result.status !== 0 || Number(result.stdout.trim()) !== COUNT) throw new Error(`poplib failed: ${result.stderr || result.stdout}`);
}

function fetchmail(server: DovecotServer, user: TestUser, out: string, bsmtp: string): void {
  const rc = join(out, 'fetchmailrc');
  writeFileSync(rc, `poll ${server.host} service ${server.ports.pop3} protocol POP3 uidl no dns\n  user "${user.user}" password "${user.password}" keep fetchall\n`);
  chmodSync(rc, 0o600);
  const result = spawnSync('fetchmail', ['-f', rc, '--bsmtp', bsmtp, '--nosoftbounce', '--sslproto', '', '-v'], {
    encoding: 'utf8',
    env: { ...process.env, FETCHMAILHOME: out, HOME: out },
  });
  if (result.status !== 0 || !existsSync(bsmtp) || (bsmtp !== '/dev/null' && statSync(bsmtp).size === 0)) {
    throw new Error(`fetchmail failed (exit ${result.status}): ${result.stderr.slice(-800)}`);
  }
  const fetched = (result.stderr + result.stdout).match(/reading message/g)?.length ?? 0;
  if (fetched !== COUNT) throw new Error(`fetchmail read ${fetched} of ${COUNT} messages`);
}

/** The POP3 engine alone: UIDL, then every RETR pipelined, into a sink that keeps nothing. */
async function letterboxClientOnly(server: DovecotServer, user: TestUser): Promise<void> {
  const client = await Pop3Client.connect({
    server: { host: server.host, port: server.ports.pop3, security: 'none', user: user.user },
    password: user.password,
    log: silentLogger,
  });
  const ids = await client.uidl();
  let bytes = 0;
  await Promise.all(ids.map((id) => client.retr(id.number, (chunk) => (bytes += chunk.length))));
  await client.quit();
  if (ids.length !== COUNT || bytes === 0) throw new Error(`letterbox retrieved ${ids.length} of ${COUNT}`);
}

function ensureFetchmail(): void {
  if (spawnSync('which', ['fetchmail']).status === 0) return;
  if (userInfo().uid !== 0) throw new Error('fetchmail is not installed: sudo apt-get install fetchmail');
  execFileSync('apt-get', ['install', '-y', '-q', 'fetchmail'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
