// The edge where failures meet the user: log the full message, then show it with the ways forward that the one
// table (mail/waysForward.ts) gives for its kind.
import { asMailError } from '../mail/mailError';
import type { Logger } from '../mail/logger';
import { waysForward, type WayForward } from '../mail/waysForward';
import { runWayForward, WAY_TITLES } from './failureCommands';
import { showError } from './notify';

export async function reportError(log: Logger, error: unknown, accountId?: string): Promise<void> {
  const failure = asMailError(error, 'running that command');
  log.error(failure.message);
  if (failure.kind === 'internal' && failure.cause instanceof Error && failure.cause.stack)
    log.error(failure.cause.stack);
  // Without an account there is nothing to retry or edit: only the log (and, for a bug of ours, a report) helps.
  const ways: WayForward[] = accountId
    ? waysForward(failure)
    : failure.kind === 'internal'
      ? ['showLog', 'reportIssue']
      : ['showLog'];
  const chosen = await showError(failure.message, ...ways.map((way) => WAY_TITLES[way]));
  const way = ways.find((candidate) => WAY_TITLES[candidate] === chosen);
  if (way) await runWayForward(way, accountId, failure.certificate);
}

/** Wraps a command so that no failure is silent. */
export function guarded<A extends unknown[]>(
  log: Logger,
  accountOf: (...args: A) => string | undefined,
  run: (...args: A) => Promise<unknown>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await run(...args);
    } catch (error) {
      await reportError(log, error, accountOf(...args));
    }
  };
}
