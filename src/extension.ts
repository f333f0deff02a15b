// Composition root: builds the objects and hands each to context.subscriptions. No logic lives here.
import * as vscode from 'vscode';
import { taggedLogger } from './mail/logger';
import { outputChannelLogger } from './util/outputChannelLogger';

export function activate(context: vscode.ExtensionContext): void {
  const channel = vscode.window.createOutputChannel('Letterbox', { log: true });
  context.subscriptions.push(channel);
  const log = taggedLogger(outputChannelLogger(channel), 'letterbox');
  log.info(`activated (VS Code ${vscode.version})`);

  context.subscriptions.push(
    vscode.commands.registerCommand('letterbox.showLog', () => channel.show()),
    vscode.commands.registerCommand('letterbox.openSettings', () =>
      vscode.commands.executeCommand('workbench.action.openSettings', 'letterbox.accounts'),
    ),
  );
}

export function deactivate(): void {
  // Everything is in context.subscriptions; VS Code disposes it.
}
