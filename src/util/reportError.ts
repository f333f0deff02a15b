// The edge where failures meet the user: log the full message, then show it with the ways forward that the one
// table (mail/waysForward.ts) gives for its kind.
import { isMailError } from '../mail/mailError';
import type { Logger } from '../mail/logger';
import { waysForward, type WayForward } from '../mail/waysForward';
import { runWayForward, WAY_TITLES } from './failureCommands';
import { showError } from './notify';

export async function reportError(log: Logger, error: unknown, accountId?: string): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  log.error(message);
  // Without an account there is nothing to retry or edit: only the log helps.
  const ways: WayForward[] = isMailError(error) && accountId ? waysForward(error) : ['showLog'];
  const chosen = await showError(message, ...ways.map((way) => WAY_TITLES[way]));
  const way = ways.find((candidate) => WAY_TITLES[candidate] === chosen);
  if (way) await runWayForward(way, accountId, isMailError(error) ? error.certificate : undefined);
}

/** Wraps a command so that no failure is silent. */
export function guarded<A extends unknown[]>(log: Logger, accountOf: (...args: A) => string | undefined, run: (...args: A) => Promise<unknown>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await run(...args);
    } catch (error) {
      await reportError(log, error, accountOf(...args));
    }
  };
}
