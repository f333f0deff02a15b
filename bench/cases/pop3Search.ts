// Local search in a POP3 store of 10,000 messages from the benchmark corpus, as Search Mail runs it: headers
// from the index, bodies from the search-text cache. The first search builds the cache; then, interleaved, a
// search by a fresh backend (a new window: the cache read from disk) and by the same backend (cache in memory).
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger } from '../../src/mail/logger';
import { MessageStore } from '../../src/store/messageStore';
import { mimeReading } from '../../src/protocols/mime/messageReading';
import { Pop3Backend } from '../../src/sync/pop3Backend';
import { corpusMessage } from '../lib/corpus';
import type { BenchCase, BenchContext } from '../lib/context';
import { timeInProcess } from '../lib/measure';
import { measured, newCase, type CaseResult } from '../lib/report';

const COUNT = Number(process.env.BENCH_SEARCH_MESSAGES ?? 10_000);
const WORDS = [['budget'], ['zoë'], ['déjà', 'review'], ['nothing-matches-this']];

async function seed(root: string): Promise<void> {
  const store = await MessageStore.open(root, silentLogger, mimeReading);
  await store.exclusive(async () => {
    const pending: Array<Promise<void>> = [];
    for (let i = 0; i < COUNT; i++) {
      const download = store.beginDownload(`uid-${i}`);
      download.write(corpusMessage(5, i).raw);
      pending.push(download.deliver());
      if (pending.length >= 64) await Promise.all(pending.splice(0));
    }
    await Promise.all(pending);
  }, 120_000);
}

function backend(root: string): Pop3Backend {
  return new Pop3Backend({
    account: 'bench',
    server: { host: '127.0.0.1', port: 1, security: 'none', user: 'x' },
    password: async () => '',
    log: silentLogger,
    storeRoot: root,
    policy: { leaveOnServer: true, deleteWhenDeletedLocally: false },
  });
}

export const pop3Search: BenchCase = {
  id: 'search',
  async run(context: BenchContext): Promise<CaseResult[]> {
    const root = mkdtempSync(join(context.work, 'search-'));
    context.progress(`search: storing ${COUNT} messages locally`);
    await seed(root);
    const result = newCase('pop3-search', `POP3 local search, ${COUNT.toLocaleString('en-US')} messages`);
    const first = backend(root);
    measured(result, 'first search (builds the text cache)', [
      await timeInProcess(() => first.search({ words: ['budget'], limit: 50 })),
    ]);
    await first.close();
    const fresh: number[] = [];
    const warm: number[] = [];
    const same = backend(root);
    await same.search({ words: ['warm-up'], limit: 50 });
    const totals: string[] = [];
    for (let round = 0; round < context.rounds; round++) {
      for (const words of WORDS) {
        const other = backend(root);
        fresh.push(await timeInProcess(() => other.search({ words, limit: 50 })));
        await other.close();
        warm.push(
          await timeInProcess(async () => {
            const found = await same.search({ words, limit: 50 });
            if (round === 0) totals.push(`"${words.join(' ')}" ${found.total}`);
          }),
        );
      }
    }
    await same.close();
    measured(result, 'search in a new window (text cache read from disk)', fresh);
    measured(result, 'search again in the same window', warm);
    result.notes.push(`matches: ${totals.join(', ')}; no peer: the search runs over Letterbox's own store`);
    return [result];
  },
};
