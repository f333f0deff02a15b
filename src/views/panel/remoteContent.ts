// Senders whose remote content (images, fonts, styles) always loads: kept in the user's own settings. The setting
// is application-scoped and only its global value is read, so a repository cannot allow trackers for the user.
import * as vscode from 'vscode';

const KEY = 'remoteContent.allowedSenders';

function allowedList(): string[] {
  const value = vscode.workspace.getConfiguration('letterbox').inspect<unknown>(KEY)?.globalValue;
  return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : [];
}

export function senderAllowed(address: string | undefined): boolean {
  if (!address) return false;
  return allowedList().some((entry) => entry.trim().toLowerCase() === address.trim().toLowerCase());
}

export async function allowSender(address: string): Promise<void> {
  if (senderAllowed(address)) return;
  await vscode.workspace.getConfiguration('letterbox').update(KEY, [...allowedList(), address.trim().toLowerCase()], vscode.ConfigurationTarget.Global);
}
