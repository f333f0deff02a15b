// `npm run bench`: every benchmark in one run, against its peers, on one private Dovecot seeded with Maildir files.
// Prints one table of ratios (Letterbox's median over the peer's, measured in the same run) and writes it to
// bench/results.md and bench/results.json. Cases: imap, reopen, pop3, mime, search, threads, activation; pass ids
// to run some (`npm run bench -- pop3 mime`). BENCH_ROUNDS sets the rounds per case (default 5).
// As root on Debian it installs the peers it lacks (isync, fetchmail, getmail6, curl, python3); a peer that
// cannot be installed is reported as skipped.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { aptInstall, missingPackages } from '../test/setup/aptPackages';
import { DovecotServer } from '../test/servers/dovecot';
import { activation } from './cases/activation';
import { imapPeers } from './cases/imapPeers';
import { imapReopen } from './cases/imapReopen';
import { mimeParse } from './cases/mimeParse';
import { pop3Peers } from './cases/pop3Peers';
import { pop3Search } from './cases/pop3Search';
import { threads } from './cases/threads';
import type { BenchCase, BenchContext, PeerPackage } from './lib/context';
import { bundleEngines } from './lib/engines';
import { markdown, ratioTable, type CaseResult } from './lib/report';

const CASES: BenchCase[] = [imapPeers, imapReopen, pop3Peers, mimeParse, pop3Search, threads, activation];
const PEERS: PeerPackage[] = ['python3', 'curl', 'isync', 'fetchmail', 'getmail6'];

function installPeers(progress: (line: string) => void): Set<PeerPackage> {
  for (const name of missingPackages(PEERS)) {
    try {
      progress(`installing ${name} from Debian`);
      aptInstall([name], `The ${name} comparison`);
    } catch (error) {
      progress(`${name} is not available: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  return new Set(PEERS.filter((name) => !missingPackages([name]).length));
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((id) => !CASES.some((item) => item.id === id));
  if (unknown.length)
    throw new Error(`unknown case ${unknown.join(', ')}; the cases are ${CASES.map((item) => item.id).join(', ')}`);
  const cases = wanted.length ? CASES.filter((item) => wanted.includes(item.id)) : CASES;
  const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new Error(`BENCH_ROUNDS must be a whole number of at least 1, not "${process.env.BENCH_ROUNDS}"`);
  const started = Date.now();
  const progress = (line: string) =>
    console.error(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
  const available = installPeers(progress);
  const work = mkdtempSync(join(tmpdir(), 'letterbox-bench-'));
  // Peers that drop root to deliver (getmail as nobody) must be able to reach their folders in here.
  chmodSync(work, 0o755);
  const server = await DovecotServer.start();
  const results: CaseResult[] = [];
  const failed: string[] = [];
  try {
    const context: BenchContext = {
      server,
      rounds,
      work,
      engines: bundleEngines(join(work, 'engines')),
      has: (tool) => available.has(tool),
      progress,
    };
    for (const item of cases) {
      progress(`case ${item.id}`);
      try {
        results.push(...(await item.run(context)));
      } catch (error) {
        // One broken case (a peer that failed, a tool this user cannot install) must not hide the others' figures.
        const why = (error as Error).message.split('\n')[0].slice(0, 300);
        progress(`case ${item.id} failed: ${why}`);
        failed.push(`${item.id}: ${why}`);
      }
    }
  } finally {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
  const info = {
    date: new Date().toISOString().slice(0, 10),
    machine: `${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${(totalmem() / 1024 ** 3).toFixed(0)} GiB, Node ${process.version}`,
    rounds,
    commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: join(__dirname, '..'),
      encoding: 'utf8',
    }).trim(),
  };
  const table = markdown(results, info);
  // A partial run (some case ids, or one where a case failed) prints its table but leaves the full run's files alone.
  if (!wanted.length && !failed.length) {
    writeFileSync(join(__dirname, 'results.md'), table);
    writeFileSync(join(__dirname, 'results.json'), `${JSON.stringify({ ...info, results }, null, 2)}\n`);
    updateReadme(ratioTable(results, info));
  }
  console.log(`\n${table}`);
  if (failed.length) {
    console.error(`\nfailed cases (not in the table):\n${failed.map((line) => `  ${line}`).join('\n')}`);
    process.exitCode = 1;
  }
}

/** The README shows the latest full run's ratio table, between two markers. */
function updateReadme(table: string[]): void {
  const path = join(__dirname, '..', 'README.md');
  const readme = readFileSync(path, 'utf8');
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${start} … ${end} block for the results`);
  writeFileSync(path, `${readme.slice(0, from + start.length)}\n${table.join('\n')}\n${readme.slice(to)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
