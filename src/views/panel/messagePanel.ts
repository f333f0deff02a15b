// One message panel: a WebviewPanel showing one message at a time, answering the webview's requests through the
// typed channel, and keeping the tree and the server in step with what the user does here.
import * as vscode from 'vscode';
import { ExtensionChannel, type PanelHandlers } from '../../../contract/panelChannel';
import type { PanelRestoreState } from '../../../contract/panelMessages';
import type { Settings } from '../../accounts/settings';
import { asMailError, isMailError } from '../../mail/mailError';
import type { MailMessage, MessageRef } from '../../mail/types';
import { WAYS_FORWARD, waysForward, type WayForward } from '../../mail/waysForward';
import { Disposable } from '../../util/disposable';
import { runWayForward, WAY_TITLES } from '../../util/failureCommands';
import { keys, type MessageNode } from '../../mailbox/mailNodes';
import { openAttachment, saveAttachment } from './attachmentFiles';
import { checkLink } from './linkSafety';
import { toPanelMessage } from './panelMessage';
import { preparePanel, renderPage, type ReadingPanelDeps } from './panelPage';
import { allowSender, senderAllowed } from './remoteContent';
import { showWarning } from '../../util/notify';
import { plainText } from '../../util/plainText';

export const MESSAGE_PANEL_VIEW_TYPE = 'letterbox.message';

export interface MessagePanelDeps extends ReadingPanelDeps {
  settings: Settings;
}

export class MessagePanel extends Disposable {
  private readonly channel: ExtensionChannel;
  private node: MessageNode | undefined;
  private message: MailMessage | undefined;
  private allowRemoteOnce = false;
  /** The Content Security Policy the page was rendered with; remote content needs a page that permits it. */
  private renderedRemote = false;
  private loading = 0;
  private failure: unknown;
  private readonly closed = this._register(new vscode.EventEmitter<void>());
  readonly onDidClose = this.closed.event;
  private readonly pinnedNow = this._register(new vscode.EventEmitter<void>());
  /** The panel stopped being the reusable preview. */
  readonly onDidPin = this.pinnedNow.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly deps: MessagePanelDeps,
    public pinned: boolean,
  ) {
    super();
    preparePanel(panel, deps.extensionUri);
    this.channel = new ExtensionChannel(
      { post: (message) => void panel.webview.postMessage(message) },
      this.handlers(),
    );
    this._register(panel.webview.onDidReceiveMessage((message) => this.channel.receive(message)));
    // Flags changed anywhere (the tree, the read marker, another panel): the toolbar follows.
    this._register(
      deps.model.onDidChange((node) => {
        if (node?.kind === 'message') this.flagsChanged(node);
      }),
    );
    this._register(
      panel.onDidDispose(() => {
        this.closed.fire();
        this.dispose();
      }),
    );
  }

  get ref(): MessageRef | undefined {
    return this.node?.summary.ref;
  }

  /** Ties a listener's life to this panel's. */
  own(listener: { dispose(): unknown }): void {
    this._register(listener);
  }

  /** The message on show, for commands run from the palette or a keybinding while this panel is active. */
  get shownNode(): MessageNode | undefined {
    return this.node;
  }

  /** Shows a message: from the tree (with its node) or after a reload (with only where it was). */
  async show(node: MessageNode): Promise<void> {
    const attempt = ++this.loading;
    this.node = node;
    this.message = undefined;
    this.failure = undefined;
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
      const failure = asMailError(error, 'opening the message');
      this.deps.log.error(failure.message);
      this.failure = failure;
      // The same ways forward as a notification or the tree's error line would offer (mail/waysForward.ts).
      const ways: WayForward[] = waysForward(failure);
      this.channel.sendEvent({
        type: 'message/failed',
        text: `${failure.message}. Close this panel or open the message again from the Mail view.`,
        kind: failure.kind,
        ways: ways.map((way) => ({ id: way, title: WAY_TITLES[way] })),
      });
    }
  }

  pin(): void {
    this.pinned = true;
    this.pinnedNow.fire();
    if (this.message) this.sendMessage();
  }

  private flagsChanged(node: MessageNode): void {
    if (node.key !== this.node?.key) return;
    this.node = node;
    this.channel.sendEvent({
      type: 'message/flags',
      flags: { seen: node.summary.flags.seen, flagged: node.summary.flags.flagged },
    });
  }

  private renderPage(allowRemote: boolean): void {
    this.renderedRemote = allowRemote;
    renderPage(this.panel, this.deps.extensionUri, this.channel, allowRemote);
  }

  private sendMessage(): void {
    const node = this.node;
    const message = this.message;
    if (!node || !message) return;
    const sender = message.from[0]?.address;
    const bySender = senderAllowed(this.deps.settings, sender);
    const allowed = this.allowRemoteOnce || bySender;
    // The sender is known only once the message is parsed, after the page was rendered with the blocking policy:
    // a page that would block what the bar says is shown is rendered again first.
    if (allowed && !this.renderedRemote) this.renderPage(true);
    const inTrash = this.deps.model.folderOf(node.account, node.summary.ref.folder)?.specialUse === 'trash';
    const restore: PanelRestoreState = { ...node.summary.ref, pinned: this.pinned };
    this.channel.sendEvent({
      type: 'message/show',
      message: {
        ...toPanelMessage(
          message,
          { seen: node.summary.flags.seen, flagged: node.summary.flags.flagged },
          inTrash,
          this.pinned,
          node.summary,
          this.deps.views.get(sender) ?? 'html',
        ),
        folder: this.deps.model.folderOf(node.account, node.summary.ref.folder)?.name,
      },
      remote: { allowed, reason: allowed ? (bySender ? 'sender' : 'once') : undefined },
      restore,
    });
  }

  /** One handler per request type (the contract's mapped type makes a missing one a compile error). */
  private handlers(): PanelHandlers {
    const shown = () => {
      if (!this.node || !this.message) throw new Error('the message is still loading');
      return { node: this.node, message: this.message };
    };
    const { actions } = this.deps;
    const closeIfRemoved = <T extends { removed: boolean }>(outcome: T) => {
      if (outcome.removed) this.panel.dispose();
      return outcome;
    };
    return {
      'message/markUnread': async () => {
        this.deps.reads.cancel();
        await actions.setSeen([shown().node], false);
      },
      'message/toggleFlag': async () => actions.toggleFlag(shown().node),
      'message/delete': async () => closeIfRemoved(await actions.delete([shown().node])),
      'message/move': async () => closeIfRemoved(await actions.move([shown().node])),
      'message/viewSource': async () => actions.viewSource(shown().node, shown().message.subject),
      'message/copySender': async () => actions.copySender(shown().node, shown().message.from[0]?.address),
      'panel/keepOpen': async () => this.pin(),
      'attachment/save': async (request) => saveAttachment(attachmentOf(shown().message, request.attachmentId)),
      'attachment/open': async (request) =>
        openAttachment(attachmentOf(shown().message, request.attachmentId), this.deps.attachmentsRoot),
      'link/open': async (request) => openLink(request.href, request.text),
      'remote/loadOnce': async () => {
        shown();
        this.allowRemoteOnce = true;
        this.renderPage(true);
        this.sendMessage();
      },
      'remote/allowSender': async () => {
        const sender = shown().message.from[0]?.address;
        if (!sender) throw new Error('this message has no sender address to allow');
        await allowSender(this.deps.settings, sender);
        this.renderPage(true);
        this.sendMessage();
      },
      'view/remember': async (request) => {
        await this.deps.views.set(shown().message.from[0]?.address, request.view);
        this.sendMessage();
      },
      'conversation/expand': async () => {
        throw new Error('this panel shows one message, not a conversation');
      },
      'conversation/openAlone': async () => {
        throw new Error('this panel shows one message, not a conversation');
      },
      'conversation/thread': async () => {
        throw new Error('this panel shows one message, not a conversation');
      },
      'failure/act': async (request) => {
        const way = WAYS_FORWARD.find((candidate) => candidate === request.way);
        if (!way || !this.node) throw new Error('that way forward is not offered here');
        await runWayForward(way, this.node.account, isMailError(this.failure) ? this.failure.certificate : undefined);
        if (way === 'retry' || way === 'enterPassword' || way === 'signIn' || way === 'trustCertificate')
          await this.show(this.node);
      },
    };
  }
}

/** Opens a mail's link outside VS Code, after showing where a link that hides its target really leads. */
export async function openLink(href: string, text: string): Promise<void> {
  const check = checkLink(href, text);
  if (!check.target) throw new Error(`Letterbox opens only web and mail links, not "${href.slice(0, 80)}"`);
  if (check.mismatch) {
    const answer = await showWarning(
      `This link says ${check.mismatch.shown} but leads to ${check.mismatch.actual}.`,
      {
        modal: true,
        detail: `The real address is:\n${check.target}\n\nLinks that hide where they go are a common phishing trick. Open it only if you trust it.`,
      },
      'Open Anyway',
    );
    if (answer !== 'Open Anyway') return;
  }
  await vscode.env.openExternal(vscode.Uri.parse(check.target, true));
}

export function attachmentOf(message: MailMessage, id: string) {
  const attachment = message.attachments.find((candidate) => candidate.id === id);
  if (!attachment) throw new Error('that attachment is no longer part of the message');
  return attachment;
}

export function titleOf(subject: string): string {
  const text = plainText(subject.trim() || '(no subject)');
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** A node for a message the tree does not show (a panel restored after a reload). */
export function restoredNode(state: PanelRestoreState): MessageNode {
  const ref: MessageRef = { account: state.account, folder: state.folder, id: state.id, validity: state.validity };
  return {
    kind: 'message',
    key: keys.message(ref.account, ref.folder, ref.id),
    account: ref.account,
    summary: {
      ref,
      subject: '',
      from: [],
      to: [],
      size: 0,
      flags: { seen: true, flagged: false, answered: false, draft: false },
      hasAttachments: false,
    },
  };
}
