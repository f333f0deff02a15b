// How every benchmark measures: each tool as a whole process (or, where the work only exists inside Letterbox,
// every side in-process), rounds interleaved with a rotating order so no tool always runs first or last on a
// noisy machine, and medians with min and max rather than a best run.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export interface Summary {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function summarize(values: number[]): Summary {
  if (!values.length) throw new RangeError('no samples');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(middle)] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], n: sorted.length };
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * Runs every tool once per round, the order rotating by one each round, and collects what each returns (a time,
 * or any other figure). A tool that throws fails the whole case: a benchmark that silently dropped a failing peer
 * would report a ratio against nothing.
 */
export async function interleave<T extends string>(
  rounds: number,
  tools: Record<T, () => number | Promise<number>>,
): Promise<Record<T, number[]>> {
  const names = Object.keys(tools) as T[];
  const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<T, number[]>;
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + round) % names.length];
      samples[name].push(await tools[name]());
    }
  }
  return samples;
}

/** Wall time of one whole process, start to exit; a non-zero exit is an error with the tool's own words. */
export function timeProcess(command: string, args: string[], options: SpawnSyncOptions = {}): number {
  const start = performance.now();
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  const elapsed = performance.now() - start;
  if (result.error) throw new Error(`${command} could not run: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited with ${result.status}: ${String(result.stderr ?? '').slice(-1200) || String(result.stdout ?? '').slice(-1200)}`,
    );
  }
  return elapsed;
}

export async function timeInProcess(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}
