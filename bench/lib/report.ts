// What a benchmark case reports, and the one table `npm run bench` prints and writes (bench/results.md and
// bench/results.json). Ratios are Letterbox's figure divided by the peer's, measured in the same run: below 1 is
// better for Letterbox, whatever the unit.
import { summarize, type Summary } from './measure';

export type Unit = 'ms' | 'bytes' | 'MB' | 'x';

export interface Measurement extends Summary {
  tool: string;
  unit: Unit;
}

export interface Ratio {
  /** "first page: letterbox / imapflow" */
  label: string;
  value: number;
  /** The aim for this ratio, as an upper bound (0.2 = five times faster than the peer). */
  aim?: number;
  /** A share of a budget (p95 / 50 ms) or of a size, not a comparison with a peer: no "x faster". */
  share?: boolean;
}

export interface CaseResult {
  id: string;
  title: string;
  measurements: Measurement[];
  ratios: Ratio[];
  notes: string[];
  /** Why the case, or one of its peers, did not run (a tool that could not be installed). */
  skipped: string[];
}

export function newCase(id: string, title: string): CaseResult {
  return { id, title, measurements: [], ratios: [], notes: [], skipped: [] };
}

export function measured(result: CaseResult, tool: string, values: number[], unit: Unit = 'ms'): Measurement {
  const measurement = { tool, unit, ...summarize(values) };
  result.measurements.push(measurement);
  return measurement;
}

export function ratio(result: CaseResult, label: string, ours: Measurement, theirs: Measurement, aim?: number): void {
  // "x faster" is said of times only; a ratio of bytes or memory is shown plain.
  result.ratios.push({
    label,
    value: ours.median / theirs.median,
    ...(aim === undefined ? {} : { aim }),
    ...(ours.unit === 'ms' ? {} : { share: true }),
  });
}

function figure(value: number, unit: Unit): string {
  if (unit === 'bytes') return `${Math.round(value).toLocaleString('en-US')} B`;
  if (unit === 'MB') return `${value.toFixed(1)} MB`;
  if (unit === 'x') return `${value.toFixed(2)}x`;
  return value >= 100 ? `${Math.round(value).toLocaleString('en-US')} ms` : `${value.toFixed(1)} ms`;
}

function ratioText(value: number): string {
  return value < 1 ? `${value.toFixed(2)} (${(1 / value).toFixed(1)}x faster)` : `${value.toFixed(2)}`;
}

function verdict(item: Ratio): string {
  if (item.aim === undefined) return '';
  return item.value <= item.aim ? `≤ ${item.aim} ✓` : `≤ ${item.aim} ✗ missed`;
}

export interface RunInfo {
  date: string;
  machine: string;
  rounds: number;
  commit: string;
}

/** The date, the machine and the ratio table: what the README shows. */
export function ratioTable(results: CaseResult[], info: RunInfo): string[] {
  const lines = [
    `Measured ${info.date} on ${info.machine}, commit ${info.commit}, ${info.rounds} interleaved rounds per case;`,
    'every figure is a median, and every ratio compares tools measured in the same run on the same server.',
    '',
    '| Case | Letterbox ÷ peer (median) | Aim |',
    '| --- | --- | --- |',
  ];
  for (const result of results) {
    for (const item of result.ratios)
      lines.push(
        `| ${result.title} | ${item.label}: ${item.share ? item.value.toFixed(2) : ratioText(item.value)} | ${verdict(item)} |`,
      );
  }
  // Cases without a peer (search over Letterbox's own store, activation, sizes) show their figures instead.
  const alone = results.filter((result) => !result.ratios.length);
  if (alone.length) {
    lines.push('', '| Case | Figure | Median (min, max) |', '| --- | --- | --- |');
    for (const result of alone) {
      for (const m of result.measurements) {
        const spread = m.n > 1 ? ` (${figure(m.min, m.unit)}, ${figure(m.max, m.unit)})` : '';
        lines.push(`| ${result.title} | ${m.tool} | ${figure(m.median, m.unit)}${spread} |`);
      }
    }
  }
  return lines;
}

export function markdown(results: CaseResult[], info: RunInfo): string {
  const lines = ratioTable(results, info);
  lines.push('', '| Case | Tool | Median | Min | Max | n |', '| --- | --- | --- | --- | --- | --- |');
  for (const result of results) {
    for (const m of result.measurements)
      lines.push(
        `| ${result.title} | ${m.tool} | ${figure(m.median, m.unit)} | ${figure(m.min, m.unit)} | ${figure(m.max, m.unit)} | ${m.n} |`,
      );
  }
  const notes = results.flatMap((result) => [
    ...result.skipped.map((why) => `${result.title}: skipped: ${why}`),
    ...result.notes.map((note) => `${result.title}: ${note}`),
  ]);
  if (notes.length) lines.push('', ...notes.map((note) => `- ${note}`));
  return `${lines.join('\n')}\n`;
}
