// What the message panel and the conversation panel share about their webview: its options (scripts on, files only
// from dist/webview), its icon, and its page (panelHtml.ts, rendered with a fresh nonce each time, the channel
// reset so nothing meant for the old page reaches the new one).
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { ExtensionChannel } from '../../../contract/panelChannel';
import type { AccountSessions } from '../../accounts/accountSessions';
import type { Logger } from '../../mail/logger';
import type { MailTreeModel } from '../../mailbox/mailTreeModel';
import type { MessageActions } from '../messageActions';
import { renderPanelHtml } from '../panelHtml';
import type { ReadMarker } from '../readMarker';
import type { ViewPreferences } from './viewPreferences';

/** What both reading panels work with. */
export interface ReadingPanelDeps {
  extensionUri: vscode.Uri;
  sessions: AccountSessions;
  model: MailTreeModel;
  actions: MessageActions;
  reads: ReadMarker;
  log: Logger;
  /** Private folder (in the extension's storage) for the copies of attachments the user opens. */
  attachmentsRoot: string;
  views: ViewPreferences;
}

export function preparePanel(panel: vscode.WebviewPanel, extensionUri: vscode.Uri): void {
  const media = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
  panel.webview.options = { enableScripts: true, localResourceRoots: [media] };
  panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'letterbox.svg');
}

/** A new page: remote content allowed by its policy only when `allowRemote` (never in a conversation). */
export function renderPage(
  panel: vscode.WebviewPanel,
  extensionUri: vscode.Uri,
  channel: ExtensionChannel,
  allowRemote: boolean,
): void {
  const webview = panel.webview;
  const media = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
  channel.reset();
  webview.html = renderPanelHtml({
    cspSource: webview.cspSource,
    nonce: randomBytes(16).toString('base64'),
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'main.js')).toString(),
    codiconsUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'codicon.css')).toString(),
    stylesUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'panel.css')).toString(),
    allowRemote,
  });
}
