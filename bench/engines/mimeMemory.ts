// Engine for bench/cases/mimeParse.ts: parses one message file in a fresh process and prints, as JSON, how far the
// parse raised the process's peak RSS (garbage included: what the machine had to give) and how much memory the
// parsed result still holds after a full GC (what stays held while the panel shows it).
// argv: letterbox|mailparser path   (run with --expose-gc)
import { simpleParser } from 'mailparser';
import { readFileSync } from 'node:fs';
import { parseMessage } from '../../src/protocols/mime/parseMessage';

const ref = { account: 'bench', folder: 'INBOX', id: '1' };

/**
 * This process's peak RSS: VmHWM belongs to the address space, new at exec. (getrusage's maxRSS does not do:
 * Linux carries it over exec, so a child of a large parent starts with the parent's peak.)
 */
function peakRss(): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  if (!match) throw new Error('no VmHWM in /proc/self/status (Linux only)');
  return Number(match[1]) * 1024;
}

async function main(): Promise<void> {
  const [side, path] = process.argv.slice(2);
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const source = readFileSync(path);
  const parse = (raw: Buffer) => (side === 'letterbox' ? parseMessage(ref, raw) : simpleParser(raw));
  // Warm up on a small message, so loading code is not counted as parsing.
  await parse(Buffer.from('Subject: warm-up\r\n\r\nhello\r\n'));
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  const before = process.memoryUsage();
  const peakBefore = peakRss();
  const parsed = await parse(source);
  const peakAfter = peakRss();
  // External memory (Buffers) is released by callbacks after a GC: collect, let them run, collect again.
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  const after = process.memoryUsage();
  const held = after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers;
  process.stdout.write(
    `${JSON.stringify({ peakRise: peakAfter - Math.max(peakBefore, before.rss), held, parts: parsed ? 1 : 0 })}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
