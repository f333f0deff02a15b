// Senders whose remote content (images, fonts, styles) always loads: kept in the user's settings.
import * as vscode from 'vscode';

const KEY = 'remoteContent.allowedSenders';

export function senderAllowed(address: string | undefined): boolean {
  if (!address) return false;
  const allowed = vscode.workspace.getConfiguration('letterbox').get<string[]>(KEY, []);
  return allowed.some((entry) => entry.trim().toLowerCase() === address.trim().toLowerCase());
}

export async function allowSender(address: string): Promise<void> {
  const configuration = vscode.workspace.getConfiguration('letterbox');
  const allowed = configuration.get<string[]>(KEY, []);
  if (senderAllowed(address)) return;
  await configuration.update(KEY, [...allowed, address.trim().toLowerCase()], vscode.ConfigurationTarget.Global);
}
