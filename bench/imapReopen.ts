// Benchmark, not a test: a 10,000-message Inbox opened cold (empty cache) against a warm reopen (cache on disk,
// 10 flags changed elsewhere meanwhile), in time and in bytes on the socket (a counting proxy in front of a private
// Dovecot), plus the warm reopen's first paint straight from the cache. Rounds are interleaved; medians with min
// and max. Run: npx tsx bench/imapReopen.ts   (BENCH_MESSAGES, BENCH_ROUNDS to change the size)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { mailBackendFactory } from '../src/accounts/backendFactory';
import { silentLogger } from '../src/mail/logger';
import type { MailBackend } from '../src/mail/mailBackend';
import { withMailbox } from '../test/mail/mailbox';
import { buildMessage } from '../test/mail/messageBuilder';
import { CuttingProxy } from '../test/servers/cuttingProxy';
import { DovecotServer, type TestUser } from '../test/servers/dovecot';

const COUNT = Number(process.env.BENCH_MESSAGES ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

async function seed(server: DovecotServer, user: TestUser): Promise<void> {
  const batches = 4;
  await Promise.all(Array.from({ length: batches }, (_, batch) => withMailbox(server, user, async (client) => {
    for (let i = batch; i < COUNT; i += batches) {
      await client.append('INBOX', buildMessage({ subject: `Message ${i} ${'x'.repeat(i % 40)}`, from: `Sender ${i % 50} <s${i % 50}@example.org>`, text: `body ${i}\n`.repeat(1 + (i % 20)) }), i % 3 ? ['\\Seen'] : []);
    }
  })));
}

function stats(values: number[], unit: string): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  return `median ${median.toFixed(unit === 'ms' ? 1 : 0)} ${unit} (min ${sorted[0].toFixed(unit === 'ms' ? 1 : 0)}, max ${sorted.at(-1)!.toFixed(unit === 'ms' ? 1 : 0)})`;
}

async function main(): Promise<void> {
  const server = await DovecotServer.start();
  const proxy = await CuttingProxy.start(server.ports.imap);
  const user = server.addUser('bench');
  const roots: string[] = [];
  try {
    console.log(`seeding ${COUNT} messages…`);
    await seed(server, user);
    const backend = (storage: string): MailBackend => mailBackendFactory({ log: silentLogger, storageRoot: storage, bodyCacheBytes: () => 0 })(
      { id: 'bench', label: 'bench', email: '', protocol: 'imap', host: '127.0.0.1', port: proxy.port, security: 'none', user: user.user },
      async () => user.password,
    );
    const open = async (mail: MailBackend) => {
      await mail.listFolders();
      return mail.listMessages('INBOX', { limit: 50 });
    };
    const cold = { ms: [] as number[], bytes: [] as number[] };
    const warm = { ms: [] as number[], bytes: [] as number[], paint: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      const storage = mkdtempSync(join(tmpdir(), 'letterbox-bench-reopen-'));
      roots.push(storage);
      // Cold: nothing cached.
      let mail = backend(storage);
      let start = performance.now();
      await open(mail);
      cold.ms.push(performance.now() - start);
      await mail.close();
      cold.bytes.push(proxy.lastSessionBytes);
      // Elsewhere, 10 messages among the newest change flags while this window is closed.
      await withMailbox(server, user, async (client) => {
        const lock = await client.getMailboxLock('INBOX');
        try {
          await client.messageFlagsAdd(`${COUNT - 20 - round}:${COUNT - 11 - round}`, ['\\Flagged'], { uid: true });
        } finally {
          lock.release();
        }
      });
      // Warm: first paint from the cache, then the resync.
      mail = backend(storage);
      start = performance.now();
      const folders = await mail.cache?.folders();
      const page = await mail.cache?.page('INBOX', 50);
      warm.paint.push(performance.now() - start);
      if (!folders || page?.messages.length !== 50) throw new Error('the cache did not answer');
      start = performance.now();
      const resynced = await open(mail);
      warm.ms.push(performance.now() - start);
      await mail.close();
      warm.bytes.push(proxy.lastSessionBytes);
      if (resynced.messages.filter((message) => message.flags.flagged).length < 10) throw new Error('the resync missed flag changes');
    }
    console.log(`cold open (folders + newest 50):     ${stats(cold.ms, 'ms')}, ${stats(cold.bytes, 'bytes')}`);
    console.log(`warm reopen, first paint from cache:  ${stats(warm.paint, 'ms')}`);
    console.log(`warm reopen, resync with 10 changes:  ${stats(warm.ms, 'ms')}, ${stats(warm.bytes, 'bytes')}`);
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    console.log(`ratios (median): warm/cold time ${(median(warm.ms) / median(cold.ms)).toFixed(2)}, warm/cold bytes ${(median(warm.bytes) / median(cold.bytes)).toFixed(3)}`);
  } finally {
    await proxy.stop();
    await server.stop();
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  }
}

void main();
