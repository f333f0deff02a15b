// Commands run from a tree item (with the multi-selection), from a notification action (with an account id) or
// from the Command Palette (with nothing): these helpers find what they act on in each case.
import * as vscode from 'vscode';
import type { AccountSessions } from '../accounts/accountSessions';
import type { MailNode } from '../views/model/mailNodes';
import { pickAccount } from './pickers';

export async function chooseAccount(sessions: AccountSessions, view: vscode.TreeView<MailNode>, arg: unknown, placeHolder: string): Promise<string | undefined> {
  if (typeof arg === 'string' && sessions.account(arg)) return arg;
  if (arg && typeof arg === 'object' && 'account' in arg && typeof (arg as MailNode).account === 'string') return (arg as MailNode).account;
  const selected = view.selection[0];
  if (selected && !arg) return selected.account;
  return pickAccount(sessions, placeHolder);
}
