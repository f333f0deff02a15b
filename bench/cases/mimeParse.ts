// Opening a message, as the panel does (parseMessage: charset sniffing, mailparser, mapping to MailMessage),
// against mailparser's simpleParser alone on the same bytes, in-process on both sides and interleaved, over a
// short text mail, a large HTML newsletter and a mail with a 10 MB attachment. p50 and p95 per message, and the
// peak extra memory while the 10 MB mail is parsed (aim: the attachment never held twice, so at most 2x its size).
import { simpleParser } from 'mailparser';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseMessage } from '../../src/protocols/mime/parseMessage';
import { buildMessage } from '../../test/mail/messageBuilder';
import { corpusMessage } from '../lib/corpus';
import type { BenchCase, BenchContext } from '../lib/context';
import { interleave, percentile } from '../lib/measure';
import { measured, newCase, ratio, type CaseResult } from '../lib/report';

const ref = { account: 'bench', folder: 'INBOX', id: '1' };
const ATTACHMENT = 10 * 1024 * 1024;

function newsletter(): Buffer {
  const items = Array.from(
    { length: 400 },
    (_, i) =>
      `<tr><td style="padding:8px;font-family:Arial"><h3>Story ${i}</h3><p>${'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(6)}<a href="https://example.org/${i}">Read more</a></p><img src="https://img.example.org/${i}.png" width="120" height="80"></td></tr>`,
  ).join('');
  return Buffer.from(
    buildMessage({
      subject: 'Weekly newsletter',
      from: 'News <news@example.org>',
      html: `<table width="600">${items}</table>`,
      text: 'Plain version.',
    }),
  );
}

export const mimeParse: BenchCase = {
  id: 'mime',
  async run(context: BenchContext): Promise<CaseResult[]> {
    const messages = [
      { name: 'short text', raw: corpusMessage(4, 0).raw, rounds: 60 },
      { name: 'HTML newsletter', raw: newsletter(), rounds: 60 },
      {
        name: '10 MB attachment',
        raw: Buffer.from(
          buildMessage({
            subject: 'Big file',
            text: 'Attached.',
            attachments: [
              { filename: 'data.bin', contentType: 'application/octet-stream', content: Buffer.alloc(ATTACHMENT, 7) },
            ],
          }),
        ),
        rounds: 12,
      },
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
        {
          tool: `letterbox p50, ${message.name} (${size})`,
          unit: 'ms',
          median: percentile(ours, 50),
          min: Math.min(...ours),
          max: Math.max(...ours),
          n: ours.length,
        },
        {
          tool: `letterbox p95, ${message.name} (${size})`,
          unit: 'ms',
          median: percentile(ours, 95),
          min: Math.min(...ours),
          max: Math.max(...ours),
          n: ours.length,
        },
        {
          tool: `mailparser alone p50, ${message.name}`,
          unit: 'ms',
          median: percentile(theirs, 50),
          min: Math.min(...theirs),
          max: Math.max(...theirs),
          n: theirs.length,
        },
      );
      result.ratios.push({
        label: `${message.name}: letterbox / mailparser alone (p50)`,
        value: percentile(ours, 50) / percentile(theirs, 50),
      });
      // The aim for mail below 1 MB: p95 under 50 ms, shown as a share of that budget.
      if (message.raw.length < 1024 * 1024)
        result.ratios.push({
          label: `${message.name}: letterbox p95 / 50 ms budget`,
          value: percentile(ours, 95) / 50,
          aim: 1,
          share: true,
        });
    }
    context.progress('MIME: measuring memory for the 10 MB attachment, one fresh process per run');
    const file = join(context.work, 'ten-megabytes.eml');
    writeFileSync(file, messages[2].raw);
    const memory = (side: string) => {
      const run = spawnSync(process.execPath, ['--expose-gc', context.engines.mimeMemory, side, file], {
        encoding: 'utf8',
      });
      if (run.status !== 0) throw new Error(`${side} memory run failed: ${run.stderr}`);
      return JSON.parse(run.stdout) as { peakRise: number; held: number };
    };
    // interleave collects each run's peak; what the parsed message still holds is kept beside it.
    const held = { letterbox: [] as number[], mailparser: [] as number[] };
    const run = (side: 'letterbox' | 'mailparser') => () => {
      const figures = memory(side);
      held[side].push(figures.held);
      return figures.peakRise;
    };
    const peaks = await interleave(context.rounds, { letterbox: run('letterbox'), mailparser: run('mailparser') });
    const mb = (values: number[]) => values.map((value) => value / 1024 / 1024);
    const ourPeak = measured(result, 'letterbox: peak RSS rise, 10 MB attachment', mb(peaks.letterbox), 'MB');
    const theirPeak = measured(result, 'mailparser alone: peak RSS rise, 10 MB attachment', mb(peaks.mailparser), 'MB');
    const ourHeld = measured(result, 'letterbox: held by the parsed message after GC', mb(held.letterbox), 'MB');
    measured(result, 'mailparser alone: held by the parsed message after GC', mb(held.mailparser), 'MB');
    ratio(result, 'peak RSS rise: letterbox / mailparser alone', ourPeak, theirPeak);
    result.ratios.push({
      label: 'held after parsing / attachment size (10 MB)',
      value: (ourHeld.median * 1024 * 1024) / ATTACHMENT,
      aim: 2,
      share: true,
    });
    result.notes.push(
      `memory: one fresh process per run; the peak RSS rise counts garbage V8 had not collected yet (the source, ${(messages[2].raw.length / 1024 / 1024).toFixed(1)} MB, was read before); "held" is what the parsed message keeps after a full GC`,
    );
    return [result];
  },
};

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}
