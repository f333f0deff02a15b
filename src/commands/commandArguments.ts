// Commands run from a tree item (with the multi-selection), from a notification action (with an account id) or
// from the Command Palette (with nothing): these helpers find what they act on in each case.
import * as vscode from 'vscode';
import type { AccountSessions } from '../accounts/accountSessions';
import type { MailNode } from '../mailbox/mailNodes';
import { showWarning } from '../util/notify';
import { pickAccount } from './pickers';

/** The account an argument names: an account id (a notification's action), or any tree node's account. */
export function accountIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object' && 'account' in arg && typeof (arg as MailNode).account === 'string')
    return (arg as MailNode).account;
  return undefined;
}

/** The account an argument names, else the tree's selection, else one the user picks. */
export async function chooseAccount(
  sessions: AccountSessions,
  view: vscode.TreeView<MailNode>,
  arg: unknown,
  placeHolder: string,
): Promise<string | undefined> {
  const named = accountIdOf(arg);
  if (named && sessions.account(named)) return named;
  const selected = view.selection[0];
  if (selected && !arg) return selected.account;
  return pickAccount(sessions, placeHolder);
}

/**
 * A command run from a tree item's menu or inline button gets that item (and the selection); from the palette or a
 * keybinding it gets no arguments. When the item left the tree while its menu was open (moved or deleted elsewhere,
 * or its folder reloaded), VS Code passes undefined in its place. Falling back to the open panel, the selection or a
 * pick would then act on something the user did not choose (the panel's message, another folder): nothing is done,
 * and the user is told. True when that happened.
 */
export function treeItemVanished(args: readonly unknown[], what: string): boolean {
  if (args.length === 0 || (args[0] !== undefined && args[0] !== null)) return false;
  void showWarning(
    `Nothing was done: the ${what} left the Mail view while its menu was open (moved, deleted or reloaded). Try again.`,
  );
  return true;
}
