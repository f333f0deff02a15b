// The edge where failures meet the user: log the full message, then show it with the actions that can fix it.
import * as vscode from 'vscode';
import { isMailError } from '../mail/mailError';
import type { Logger } from '../mail/logger';
import { showError } from './notify';

export async function reportError(log: Logger, error: unknown, accountId?: string): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  log.error(message);
  const actions: Array<{ title: string; run: () => Thenable<unknown> }> = [];
  if (isMailError(error) && accountId) {
    if (error.kind === 'auth') actions.push({ title: 'Enter Password', run: () => vscode.commands.executeCommand('letterbox.enterPassword', accountId) });
    if (error.kind === 'tls' && error.certificate) actions.push({ title: 'Trust Certificate…', run: () => vscode.commands.executeCommand('letterbox.trustCertificate', accountId, error.certificate) });
    if (error.kind === 'network') actions.push({ title: 'Retry', run: () => vscode.commands.executeCommand('letterbox.retryAccount', accountId) });
    actions.push({ title: 'Edit Account', run: () => vscode.commands.executeCommand('letterbox.editAccount', accountId) });
  }
  actions.push({ title: 'Show Log', run: () => vscode.commands.executeCommand('letterbox.showLog') });
  const chosen = await showError(message, ...actions.map((action) => action.title));
  await actions.find((action) => action.title === chosen)?.run();
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
