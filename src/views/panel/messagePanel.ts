// One message panel: a WebviewPanel showing one message at a time, answering the webview's requests through the
// typed channel, and keeping the tree and the server in step with what the user does here.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { ExtensionChannel } from '../../../contract/panelChannel';
import { assertNever, type PanelRequest, type PanelRestoreState } from '../../../contract/panelMessages';
import type { AccountSessions } from '../../accounts/accountSessions';
import type { Logger } from '../../mail/logger';
import type { MailMessage, MessageRef } from '../../mail/types';
import { Disposable } from '../../util/disposable';
import { messageSourceUri } from '../messageDocuments';
import { keys, type MessageNode } from '../model/mailNodes';
import type { MailTreeModel } from '../model/mailTreeModel';
import { renderPanelHtml } from '../panelHtml';
import type { ReadMarker } from '../readMarker';
import { openAttachment, saveAttachment } from './attachmentFiles';
import { checkLink } from './linkSafety';
import { toPanelMessage } from './panelMessage';
import { allowSender, senderAllowed } from './remoteContent';
import { showWarning } from '../../util/notify';

export const MESSAGE_PANEL_VIEW_TYPE = 'letterbox.message';

export interface MessagePanelDeps {
  extensionUri: vscode.Uri;
  sessions: AccountSessions;
  model: MailTreeModel;
  reads: ReadMarker;
  log: Logger;
  /** Private folder (in the extension's storage) for the copies of attachments the user opens. */
  attachmentsRoot: string;
}

export class MessagePanel extends Disposable {
  private readonly channel: ExtensionChannel;
  private node: MessageNode | undefined;
  private message: MailMessage | undefined;
  private allowRemoteOnce = false;
  /** The Content Security Policy the page was rendered with; remote content needs a page that permits it. */
  private renderedRemote = false;
  private loading = 0;
  private readonly closed = this._register(new vscode.EventEmitter<void>());
  readonly onDidClose = this.closed.event;
  private readonly pinnedNow = this._register(new vscode.EventEmitter<void>());
  /** The panel stopped being the reusable preview. */
  readonly onDidPin = this.pinnedNow.event;

  constructor(readonly panel: vscode.WebviewPanel, private readonly deps: MessagePanelDeps, public pinned: boolean) {
    super();
    const media = vscode.Uri.joinPath(deps.extensionUri, 'dist', 'webview');
    panel.webview.options = { enableScripts: true, localResourceRoots: [media] };
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'letterbox.svg');
    this.channel = new ExtensionChannel({ post: (message) => void panel.webview.postMessage(message) }, (request) => this.handle(request));
    this._register(panel.webview.onDidReceiveMessage((message) => this.channel.receive(message)));
    this._register(panel.onDidDispose(() => {
      this.closed.fire();
      this.dispose();
    }));
  }

  get ref(): MessageRef | undefined {
    return this.node?.summary.ref;
  }

  /** Shows a message: from the tree (with its node) or after a reload (with only where it was). */
  async show(node: MessageNode): Promise<void> {
    const attempt = ++this.loading;
    this.node = node;
    this.message = undefined;
    this.allowRemoteOnce = false;
    this.panel.title = titleOf(node.summary.subject);
    this.renderPage(false);
    try {
      const message = await this.deps.sessions.run(node.account, (backend) => backend.fetchMessage(node.summary.ref));
      if (attempt !== this.loading || this.isDisposed) return;
      this.message = message;
      this.panel.title = titleOf(message.subject);
      this.sendMessage();
      this.deps.reads.opened(node);
    } catch (error) {
      if (attempt !== this.loading || this.isDisposed) return;
      const text = error instanceof Error ? error.message : String(error);
      this.deps.log.error(text);
      this.channel.sendEvent({ type: 'message/failed', text: `${text}. Close this panel or open the message again from the Mail view.` });
    }
  }

  pin(): void {
    this.pinned = true;
    this.pinnedNow.fire();
    if (this.message) this.sendMessage();
  }

  /** Flags changed elsewhere (tree, read marker): the toolbar follows. */
  flagsChanged(node: MessageNode): void {
    if (node.key !== this.node?.key) return;
    this.node = node;
    this.channel.sendEvent({ type: 'message/flags', flags: { seen: node.summary.flags.seen, flagged: node.summary.flags.flagged } });
  }

  private renderPage(allowRemote: boolean): void {
    this.renderedRemote = allowRemote;
    const webview = this.panel.webview;
    const media = vscode.Uri.joinPath(this.deps.extensionUri, 'dist', 'webview');
    this.channel.reset();
    webview.html = renderPanelHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'main.js')).toString(),
      codiconsUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'codicon.css')).toString(),
      stylesUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'panel.css')).toString(),
      allowRemote,
    });
  }

  private sendMessage(): void {
    const node = this.node;
    const message = this.message;
    if (!node || !message) return;
    const sender = message.from[0]?.address;
    const bySender = senderAllowed(sender);
    const allowed = this.allowRemoteOnce || bySender;
    // The sender is known only once the message is parsed, after the page was rendered with the blocking policy:
    // a page that would block what the bar says is shown is rendered again first.
    if (allowed && !this.renderedRemote) this.renderPage(true);
    const inTrash = this.deps.model.folderOf(node.account, node.summary.ref.folder)?.specialUse === 'trash';
    const restore: PanelRestoreState = { ...node.summary.ref, pinned: this.pinned };
    this.channel.sendEvent({
      type: 'message/show',
      message: toPanelMessage(message, { seen: node.summary.flags.seen, flagged: node.summary.flags.flagged }, inTrash, this.pinned),
      remote: { allowed, reason: allowed ? (bySender ? 'sender' : 'once') : undefined },
      restore,
    });
  }

  private async handle(request: PanelRequest): Promise<void> {
    const node = this.node;
    const message = this.message;
    if (!node || !message) throw new Error('the message is still loading');
    const { model } = this.deps;
    switch (request.type) {
      case 'message/markUnread':
        this.deps.reads.cancel();
        await model.setFlags([node], { seen: false });
        return this.flagsChanged(node);
      case 'message/toggleFlag':
        await model.setFlags([node], { flagged: !node.summary.flags.flagged });
        return this.flagsChanged(node);
      case 'message/delete':
        await vscode.commands.executeCommand('letterbox.deleteMessage', node);
        if (!model.messageNode(node.summary.ref)) this.panel.dispose();
        return;
      case 'message/move':
        await vscode.commands.executeCommand('letterbox.moveMessage', node);
        if (!model.messageNode(node.summary.ref)) this.panel.dispose();
        return;
      case 'message/viewSource':
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(messageSourceUri(node.summary.ref, message.subject)), { preview: true });
        return;
      case 'message/copySender': {
        const sender = message.from[0]?.address;
        if (!sender) throw new Error('this message has no sender address');
        await vscode.env.clipboard.writeText(sender);
        vscode.window.setStatusBarMessage(`Copied ${sender}`, 3000);
        return;
      }
      case 'panel/keepOpen':
        return this.pin();
      case 'attachment/save':
        return saveAttachment(attachmentOf(message, request.attachmentId));
      case 'attachment/open':
        return openAttachment(attachmentOf(message, request.attachmentId), this.deps.attachmentsRoot);
      case 'link/open':
        return openLink(request.href, request.text);
      case 'remote/loadOnce':
        this.allowRemoteOnce = true;
        this.renderPage(true);
        return this.sendMessage();
      case 'remote/allowSender': {
        const sender = message.from[0]?.address;
        if (!sender) throw new Error('this message has no sender address to allow');
        await allowSender(sender);
        this.renderPage(true);
        return this.sendMessage();
      }
      default:
        assertNever(request);
    }
  }
}

async function openLink(href: string, text: string): Promise<void> {
  const check = checkLink(href, text);
  if (!check.target) throw new Error(`Letterbox opens only web and mail links, not "${href.slice(0, 80)}"`);
  if (check.mismatch) {
    const answer = await showWarning(
      `This link says ${check.mismatch.shown} but leads to ${check.mismatch.actual}.`,
      { modal: true, detail: `The real address is:\n${check.target}\n\nLinks that hide where they go are a common phishing trick. Open it only if you trust it.` },
      'Open Anyway');
    if (answer !== 'Open Anyway') return;
  }
  await vscode.env.openExternal(vscode.Uri.parse(check.target, true));
}

function attachmentOf(message: MailMessage, id: string) {
  const attachment = message.attachments.find((candidate) => candidate.id === id);
  if (!attachment) throw new Error('that attachment is no longer part of the message');
  return attachment;
}

function titleOf(subject: string): string {
  const text = subject.trim() || '(no subject)';
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** A node for a message the tree does not show (a panel restored after a reload). */
export function restoredNode(state: PanelRestoreState): MessageNode {
  const ref: MessageRef = { account: state.account, folder: state.folder, id: state.id, validity: state.validity };
  return {
    kind: 'message',
    key: keys.message(ref.account, ref.folder, ref.id),
    account: ref.account,
    summary: { ref, subject: '', from: [], to: [], size: 0, flags: { seen: true, flagged: false, answered: false, draft: false }, hasAttachments: false },
  };
}
