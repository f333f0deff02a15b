// Benchmark, not a test: local search in a POP3 store of 10,000 messages (varied sizes, text and HTML, non-ASCII),
// as Search Mail runs it: headers from the index, bodies from the search-text cache. Prints medians with min and
// max for the first search (which builds the cache), a search by a fresh backend (cache read from disk) and a
// search by the same backend (cache in memory), interleaved over the rounds.
// Run: npx tsx bench/pop3Search.ts   (BENCH_MESSAGES, BENCH_ROUNDS to change the size)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { silentLogger } from '../src/mail/logger';
import { MessageStore } from '../src/store/messageStore';
import { Pop3Backend } from '../src/sync/pop3Backend';
import { buildMessage } from '../test/mail/messageBuilder';

const COUNT = Number(process.env.BENCH_MESSAGES ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const WORDS = ['zeppelin', 'quarterly', 'smørrebrød', 'build failed', 'nothing-matches-this'];

function lorem(seed: number, bytes: number): string {
  const words = ['mail', 'project', 'review', 'deadline', 'invoice', 'meeting', 'release', 'report', 'draft', 'update', 'Grüße', 'café'];
  let text = '';
  for (let i = 0; text.length < bytes; i++) text += `${words[(seed * 7 + i * 13) % words.length]}${i % 12 === 11 ? '.\n' : ' '}`;
  return text;
}

async function seed(root: string): Promise<void> {
  const store = await MessageStore.open(root, silentLogger);
  await store.exclusive(async () => {
    const pending: Array<Promise<void>> = [];
    for (let i = 0; i < COUNT; i++) {
      const size = 1_000 + ((i * 7919) % 20_000);
      const special = i % 997 === 0 ? ' zeppelin' : i % 101 === 0 ? ' smørrebrød' : '';
      const raw = buildMessage({
        subject: i % 50 === 0 ? `Quarterly numbers ${i}` : i % 333 === 0 ? `Build failed #${i}` : `Message ${i}`,
        from: `Sender ${i % 40} <sender${i % 40}@example.org>`,
        date: new Date(Date.UTC(2026, 0, 1) + i * 60_000),
        ...(i % 3 === 0 ? { html: `<p>${lorem(i, size)}${special}</p>` } : { text: `${lorem(i, size)}${special}` }),
      });
      const download = store.beginDownload(`uid-${i}`);
      download.write(Buffer.from(raw));
      pending.push(download.deliver());
      if (pending.length >= 64) await Promise.all(pending.splice(0));
    }
    await Promise.all(pending);
  }, 60_000);
}

function backend(root: string): Pop3Backend {
  return new Pop3Backend({ account: 'bench', server: { host: '127.0.0.1', port: 1, security: 'none', user: 'x' }, password: async () => '', log: silentLogger, storeRoot: root, policy: { leaveOnServer: true, deleteWhenDeletedLocally: false } });
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

function stats(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  return `median ${median.toFixed(1)} ms (min ${sorted[0].toFixed(1)}, max ${sorted.at(-1)!.toFixed(1)}, n=${values.length})`;
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'letterbox-bench-search-'));
  try {
    console.log(`seeding ${COUNT} messages…`);
    await seed(root);
    const first = backend(root);
    const cold = await timed(() => first.search({ words: ['zeppelin'], limit: 50 }));
    console.log(`first search (builds the text cache): ${cold.toFixed(0)} ms`);
    await first.close();
    const fresh: number[] = [];
    const warm: number[] = [];
    const counts: Record<string, number> = {};
    const same = backend(root);
    await same.search({ words: ['warm-up'], limit: 50 });
    for (let round = 0; round < ROUNDS; round++) {
      for (const word of WORDS) {
        const other = backend(root);
        fresh.push(await timed(() => other.search({ words: word.split(' '), limit: 50 })));
        await other.close();
        warm.push(await timed(async () => {
          counts[word] = (await same.search({ words: word.split(' '), limit: 50 })).total;
        }));
      }
    }
    await same.close();
    console.log(`matches: ${Object.entries(counts).map(([word, count]) => `"${word}" ${count}`).join(', ')}`);
    console.log(`search, fresh backend (cache read from disk): ${stats(fresh)}`);
    console.log(`search, same backend (cache in memory):       ${stats(warm)}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

void main();
