// Benchmark, not a test: opening a message, as the panel does (parseMessage: charset declaration, mailparser,
// domain mapping), over a corpus of a short text mail, a large HTML newsletter and a mail with a 10 MB attachment.
// Prints p50 and p95 per message (interleaved runs) and, for the 10 MB case, the peak extra memory while parsing it,
// against its size: the aim is that the attachment is never held much more than twice (encoded and decoded).
// Run: npx tsx --expose-gc bench/mimeParse.ts   (BENCH_ROUNDS to change the count)
import { performance } from 'node:perf_hooks';
import { parseMessage } from '../src/protocols/mime/parseMessage';
import { buildMessage } from '../test/mail/messageBuilder';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);
const ref = { account: 'bench', folder: 'INBOX', id: '1' };

function newsletter(): string {
  const items = Array.from({ length: 400 }, (_, i) => `<tr><td style="padding:8px;font-family:Arial"><h3>Story ${i}</h3><p>${'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(6)}<a href="https://example.org/${i}">Read more</a></p><img src="https://img.example.org/${i}.png" width="120" height="80"></td></tr>`).join('');
  return buildMessage({ subject: 'Weekly newsletter', from: 'News <news@example.org>', html: `<table width="600">${items}</table>`, text: 'Plain version.' });
}

const corpus: Array<{ name: string; raw: Buffer }> = [
  { name: 'short text (1 KB)', raw: Buffer.from(buildMessage({ subject: 'Lunch?', text: 'Shall we try the new place on Friday?\n'.repeat(20) })) },
  { name: 'HTML newsletter', raw: Buffer.from(newsletter()) },
  { name: '10 MB attachment', raw: Buffer.from(buildMessage({ subject: 'Big file', text: 'Attached.', attachments: [{ filename: 'data.bin', contentType: 'application/octet-stream', content: Buffer.alloc(10 * 1024 * 1024, 7) }] })) },
];

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function peakDuring(run: () => Promise<unknown>): Promise<number> {
  (globalThis as { gc?: () => void }).gc?.();
  const base = process.memoryUsage();
  let peak = 0;
  const sample = () => {
    const now = process.memoryUsage();
    peak = Math.max(peak, now.heapUsed + now.arrayBuffers - base.heapUsed - base.arrayBuffers);
  };
  const timer = setInterval(sample, 1);
  await run();
  sample();
  clearInterval(timer);
  return peak;
}

async function main(): Promise<void> {
  const times = new Map<string, number[]>(corpus.map((item) => [item.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const item of corpus) {
      if (item.name.startsWith('10 MB') && round % 4) continue;
      const start = performance.now();
      await parseMessage(ref, item.raw);
      times.get(item.name)!.push(performance.now() - start);
    }
  }
  for (const item of corpus) {
    const values = times.get(item.name)!;
    console.log(`${item.name.padEnd(20)} ${(item.raw.length / 1024).toFixed(0).padStart(7)} KB raw   p50 ${percentile(values, 50).toFixed(1).padStart(7)} ms   p95 ${percentile(values, 95).toFixed(1).padStart(7)} ms   (n=${values.length})`);
  }
  const big = corpus[2];
  const peak = await peakDuring(() => parseMessage(ref, big.raw));
  console.log(`10 MB attachment: peak extra memory while parsing ${(peak / 1024 / 1024).toFixed(1)} MB for ${(big.raw.length / 1024 / 1024).toFixed(1)} MB raw (${(peak / big.raw.length).toFixed(2)}x)${(globalThis as { gc?: unknown }).gc ? '' : ' (run with --expose-gc for a steadier baseline)'}`);
}

void main();
