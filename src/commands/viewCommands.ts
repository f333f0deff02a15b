// How the Mail view is laid out: Show All Inboxes / Hide All Inboxes turn the user's own letterbox.unifiedInbox
// on and off (the view redraws when the setting changes, from here or from the Settings editor).
import * as vscode from 'vscode';
import type { Settings } from '../accounts/settings';

export function registerViewCommands(settings: Settings): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('letterbox.showAllInboxes', () => settings.update('unifiedInbox', true)),
    vscode.commands.registerCommand('letterbox.hideAllInboxes', () => settings.update('unifiedInbox', false)),
  ];
}
