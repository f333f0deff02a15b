// Opening a message, as the panel does (parseMessage: charset sniffing, mailparser, mapping to MailMessage),
// against mailparser's simpleParser alone on the same bytes, in-process on both sides and interleaved, over a
// short text mail, a large HTML newsletter and a mail with a 10 MB attachment. p50 and p95 per message, and the
// peak extra memory while the 10 MB mail is parsed (aim: the attachment never held twice, so at most 2x its size).
import { simpleParser } from 'mailparser';
import { performance } from 'node:perf_hooks';
import { parseMessage } from '../../src/protocols/mime/parseMessage';
import { buildMessage } from '../../test/mail/messageBuilder';
import { corpusMessage } from '../lib/corpus';
import type { BenchCase, BenchContext } from '../lib/context';
import { percentile } from '../lib/measure';
import { newCase, type CaseResult } from '../lib/report';

const ref = { account: 'bench', folder: 'INBOX', id: '1' };
const ATTACHMENT = 10 * 1024 * 1024;

function newsletter(): Buffer {
  const items = Array.from({ length: 400 }, (_, i) => `<tr><td style="padding:8px;font-family:Arial"><h3>Story ${i}</h3><p>${'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(6)}<a href="https://example.org/${i}">Read more</a></p><img src="https://img.example.org/${i}.png" width="120" height="80"></td></tr>`).join('');
  return Buffer.from(buildMessage({ subject: 'Weekly newsletter', from: 'News <news@example.org>', html: `<table width="600">${items}</table>`, text: 'Plain version.' }));
}

async function peakDuring(run: () => Promise<unknown>): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
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

export const mimeParse: BenchCase = {
  id: 'mime',
  async run(context: BenchContext): Promise<CaseResult[]> {
    const messages = [
      { name: 'short text', raw: corpusMessage(4, 0).raw, rounds: 60 },
      { name: 'HTML newsletter', raw: newsletter(), rounds: 60 },
      { name: '10 MB attachment', raw: Buffer.from(buildMessage({ subject: 'Big file', text: 'Attached.', attachments: [{ filename: 'data.bin', contentType: 'application/octet-stream', content: Buffer.alloc(ATTACHMENT, 7) }] })), rounds: 12 },
    ];
    const result = newCase('mime-parse', 'Message open (MIME parse)');
    for (const message of messages) {
      const ours: number[] = [];
      const theirs: number[] = [];
      for (let round = 0; round < message.rounds; round++) {
        // Alternate which side goes first, so neither always inherits the other's garbage.
        const sides = [
          async () => ours.push(await timed(() => parseMessage(ref, message.raw))),
          async () => theirs.push(await timed(() => simpleParser(message.raw))),
        ];
        if (round % 2) sides.reverse();
        for (const side of sides) await side();
      }
      const size = `${(message.raw.length / 1024).toFixed(0)} KB`;
      result.measurements.push(
        { tool: `letterbox p50, ${message.name} (${size})`, unit: 'ms', median: percentile(ours, 50), min: Math.min(...ours), max: Math.max(...ours), n: ours.length },
        { tool: `letterbox p95, ${message.name} (${size})`, unit: 'ms', median: percentile(ours, 95), min: Math.min(...ours), max: Math.max(...ours), n: ours.length },
        { tool: `mailparser alone p50, ${message.name}`, unit: 'ms', median: percentile(theirs, 50), min: Math.min(...theirs), max: Math.max(...theirs), n: theirs.length },
      );
      result.ratios.push({ label: `${message.name}: letterbox / mailparser alone (p50)`, value: percentile(ours, 50) / percentile(theirs, 50) });
      if (message.raw.length < 1024 * 1024) result.notes.push(`${message.name}: p95 ${percentile(ours, 95).toFixed(1)} ms (aim: under 50 ms below 1 MB)`);
    }
    context.progress('MIME: measuring peak memory for the 10 MB attachment');
    const big = messages[2].raw;
    const ourPeaks: number[] = [];
    const theirPeaks: number[] = [];
    for (let round = 0; round < 3; round++) {
      ourPeaks.push(await peakDuring(() => parseMessage(ref, big)));
      theirPeaks.push(await peakDuring(() => simpleParser(big)));
    }
    const ourPeak = Math.min(...ourPeaks);
    const theirPeak = Math.min(...theirPeaks);
    result.measurements.push({ tool: 'letterbox peak extra memory, 10 MB attachment', unit: 'MB', median: ourPeak / 1024 / 1024, min: Math.min(...ourPeaks) / 1024 / 1024, max: Math.max(...ourPeaks) / 1024 / 1024, n: ourPeaks.length });
    result.measurements.push({ tool: 'mailparser alone peak extra memory, 10 MB attachment', unit: 'MB', median: theirPeak / 1024 / 1024, min: Math.min(...theirPeaks) / 1024 / 1024, max: Math.max(...theirPeaks) / 1024 / 1024, n: theirPeaks.length });
    result.ratios.push({ label: 'peak extra memory / attachment size (10 MB)', value: ourPeak / ATTACHMENT, aim: 2 });
    result.ratios.push({ label: 'peak extra memory: letterbox / mailparser alone', value: ourPeak / theirPeak });
    if (!(globalThis as { gc?: unknown }).gc) result.notes.push('run with --expose-gc (npm run bench does) for a steady memory baseline');
    result.notes.push('peak memory: the lowest of 3 runs per side, sampled every millisecond (heap + array buffers above the baseline before parsing)');
    return [result];
  },
};

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}
