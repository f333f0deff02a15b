// The conversation view: a thread's messages in one panel, in reply order, unread ones open and read ones closed
// (the newest open when all are read). Bodies load when a message opens; each message has its own actions. As safe
// as the message panel: the same webview code sanitises each body into a sandboxed iframe, under a policy that
// never allows remote content (the message alone, "Open", is where the user may allow it).
import * as vscode from 'vscode';
import { ExtensionChannel, type PanelHandlers } from '../../../contract/panelChannel';
import type { ConversationEntry, MessageTarget } from '../../../contract/panelMessages';
import { asMailError } from '../../mail/mailError';
import type { MailMessage } from '../../mail/types';
import type { MailNode, MessageNode, ThreadNode } from '../../mailbox/mailNodes';
import { Disposable } from '../../util/disposable';
import { openAttachment, saveAttachment } from './attachmentFiles';
import { attachmentOf, openLink, titleOf } from './messagePanel';
import { toPanelMessage } from './panelMessage';
import { preparePanel, renderPage, type ReadingPanelDeps } from './panelPage';

export const CONVERSATION_PANEL_VIEW_TYPE = 'letterbox.conversation';

/** Bodies fetched at once when a conversation opens; the rest wait their turn. */
const PARALLEL_FETCHES = 3;

export interface ConversationPanelDeps extends ReadingPanelDeps {
  /** Shows one message alone in the message panel. */
  openMessage: (node: MessageNode) => Promise<void>;
}

interface Entry {
  node: MessageNode;
  depth: number;
  expanded: boolean;
  message?: MailMessage;
  failed?: string;
}

export class ConversationPanel extends Disposable {
  private readonly channel: ExtensionChannel;
  private thread: ThreadNode | MessageNode | undefined;
  private entries = new Map<string, Entry>();
  private showing = 0;
  private readonly closed = this._register(new vscode.EventEmitter<void>());
  readonly onDidClose = this.closed.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly deps: ConversationPanelDeps,
  ) {
    super();
    preparePanel(panel, deps.extensionUri);
    this.channel = new ExtensionChannel(
      { post: (message) => void panel.webview.postMessage(message) },
      this.handlers(),
    );
    this._register(panel.webview.onDidReceiveMessage((message) => this.channel.receive(message)));
    this._register(deps.model.onDidChange((node) => this.changed(node)));
    this._register(
      panel.onDidDispose(() => {
        this.closed.fire();
        this.dispose();
      }),
    );
  }

  /** The thread on show (for thread commands run while this panel is active). */
  get shownThread(): ThreadNode | MessageNode | undefined {
    return this.thread;
  }

  async show(thread: ThreadNode | MessageNode): Promise<void> {
    const showing = ++this.showing;
    this.thread = thread;
    const ordered = inReplyOrder(thread);
    const anyUnread = ordered.some(({ node }) => !node.summary.flags.seen);
    this.entries = new Map(
      ordered.map(({ node, depth }, index) => [
        node.key,
        // Unread messages open; when all are read, the newest does (what the reader came back for).
        { node, depth, expanded: anyUnread ? !node.summary.flags.seen : index === newestIndex(ordered) },
      ]),
    );
    const subject = thread.kind === 'thread' ? thread.thread.subject : thread.summary.subject;
    this.panel.title = titleOf(subject);
    this.renderPage();
    this.channel.sendEvent({
      type: 'conversation/show',
      subject,
      entries: [...this.entries.values()].map((entry) => this.toEntry(entry)),
    });
    const opened = [...this.entries.values()].filter((entry) => entry.expanded);
    const loaded = await inBatches(opened, PARALLEL_FETCHES, (entry) => this.load(entry, showing));
    if (showing !== this.showing || this.isDisposed) return;
    this.deps.reads.opened(loaded.filter((entry) => entry.message).map((entry) => entry.node));
  }

  private renderPage(): void {
    renderPage(this.panel, this.deps.extensionUri, this.channel, false);
  }

  /** Fetches one entry's body and sends it; a failure is shown in its place, never for the whole thread. */
  private async load(entry: Entry, showing = this.showing): Promise<Entry> {
    try {
      entry.message = await this.deps.sessions.run(entry.node.account, (backend) =>
        backend.fetchMessage(entry.node.summary.ref),
      );
      entry.failed = undefined;
    } catch (error) {
      const failure = asMailError(error, 'opening the message');
      this.deps.log.error(failure.message);
      entry.failed = `${failure.message}. Close and open it again, or open it alone.`;
    }
    if (showing === this.showing && !this.isDisposed)
      this.channel.sendEvent({ type: 'conversation/entry', entry: this.toEntry(entry) });
    return entry;
  }

  private toEntry(entry: Entry): ConversationEntry {
    const { node } = entry;
    const folder = this.deps.model.folderOf(node.account, node.summary.ref.folder);
    const home = this.thread?.kind === 'thread' ? this.thread.folder : this.thread?.summary.ref.folder;
    const flags = { seen: node.summary.flags.seen, flagged: node.summary.flags.flagged };
    const sender = entry.message?.from[0]?.address ?? node.summary.from[0]?.address;
    return {
      key: node.key,
      depth: entry.depth,
      subject: node.summary.subject,
      from: node.summary.from,
      date: node.summary.date?.toISOString(),
      folder: node.summary.ref.folder === home ? undefined : (folder?.name ?? node.summary.ref.folder),
      flags,
      hasAttachments: node.summary.hasAttachments,
      expanded: entry.expanded,
      message: entry.message
        ? toPanelMessage(
            entry.message,
            flags,
            folder?.specialUse === 'trash',
            true,
            node.summary,
            this.deps.views.get(sender) ?? 'html',
          )
        : undefined,
      failed: entry.failed,
    };
  }

  /** Flags changed anywhere (the tree, another panel, the server): the entry follows. */
  private changed(node: MailNode | undefined): void {
    if (node?.kind !== 'message') return;
    for (const entry of this.entries.values()) {
      const ref = entry.node.summary.ref;
      if (ref.account !== node.account || ref.folder !== node.summary.ref.folder || ref.id !== node.summary.ref.id)
        continue;
      entry.node.summary.flags = node.summary.flags;
      this.channel.sendEvent({ type: 'conversation/entry', entry: this.toEntry(entry) });
    }
  }

  /**
   * The whole thread at once, as the thread commands do: read and unread over every message; move and delete over
   * the folder's own (the user's replies stay in Sent), after which the panel closes.
   */
  private async threadAction(action: 'markRead' | 'markUnread' | 'move' | 'delete'): Promise<{ done: boolean }> {
    const all = [...this.entries.values()];
    const nodes = all.map((entry) => entry.node);
    if (action === 'markRead' || action === 'markUnread') {
      const read = action === 'markRead';
      if (!read) this.deps.reads.cancel();
      const changing = nodes.filter((node) => node.summary.flags.seen !== read);
      if (changing.length) await this.deps.actions.setSeen(changing, read);
      return { done: true };
    }
    const own = all.filter((entry) => !entry.node.joinedFrom);
    if (!own.length) return { done: false };
    const outcome =
      action === 'move'
        ? await this.deps.actions.move(own.map((entry) => entry.node))
        : await this.deps.actions.delete(own.map((entry) => entry.node));
    // The thread left this folder: what is left here (the replies in Sent) is not a conversation of it any more.
    if (outcome.removed) this.panel.dispose();
    return { done: outcome.done };
  }

  private removed(entry: Entry): void {
    this.entries.delete(entry.node.key);
    this.channel.sendEvent({ type: 'conversation/removed', key: entry.node.key });
    if (!this.entries.size) this.panel.dispose();
  }

  /** One handler per request type; those about one message name it by key. */
  private handlers(): PanelHandlers {
    const target = (request: MessageTarget): Entry => {
      const entry = request.key ? this.entries.get(request.key) : undefined;
      if (!entry) throw new Error('that message is no longer part of this conversation');
      return entry;
    };
    const opened = (request: MessageTarget): { entry: Entry; message: MailMessage } => {
      const entry = target(request);
      if (!entry.message) throw new Error('the message is still loading');
      return { entry, message: entry.message };
    };
    const notHere = async () => {
      throw new Error('open the message alone for that');
    };
    const { actions } = this.deps;
    return {
      'message/markUnread': async (request) => {
        this.deps.reads.cancel();
        await actions.setSeen([target(request).node], false);
      },
      'message/toggleFlag': async (request) => actions.toggleFlag(target(request).node),
      'message/delete': async (request) => {
        const entry = target(request);
        const outcome = await actions.delete([entry.node]);
        if (outcome.removed) this.removed(entry);
        return outcome;
      },
      'message/move': async (request) => {
        const entry = target(request);
        const outcome = await actions.move([entry.node]);
        if (outcome.removed) this.removed(entry);
        return outcome;
      },
      'message/viewSource': async (request) => {
        const { entry, message } = opened(request);
        await actions.viewSource(entry.node, message.subject);
      },
      'message/copySender': async (request) => {
        const entry = target(request);
        return actions.copySender(entry.node, entry.message?.from[0]?.address);
      },
      'attachment/save': async (request) => saveAttachment(attachmentOf(opened(request).message, request.attachmentId)),
      'attachment/open': async (request) =>
        openAttachment(attachmentOf(opened(request).message, request.attachmentId), this.deps.attachmentsRoot),
      'link/open': async (request) => openLink(request.href, request.text),
      'view/remember': async (request) => {
        const { entry, message } = opened(request);
        await this.deps.views.set(message.from[0]?.address, request.view);
        this.channel.sendEvent({ type: 'conversation/entry', entry: this.toEntry(entry) });
      },
      'conversation/expand': async (request) => {
        const entry = target(request);
        entry.expanded = request.expanded;
        this.channel.sendEvent({ type: 'conversation/entry', entry: this.toEntry(entry) });
        if (!entry.expanded) return;
        if (!entry.message) await this.load(entry);
        if (entry.message) this.deps.reads.opened(entry.node);
      },
      'conversation/openAlone': async (request) => this.deps.openMessage(target(request).node),
      'conversation/thread': async (request) => this.threadAction(request.action),
      'panel/keepOpen': notHere,
      'remote/loadOnce': notHere,
      'remote/allowSender': notHere,
      'failure/act': notHere,
    };
  }
}

/** The thread's messages depth first (each reply after what it answers), with their depth; a lone message alone. */
function inReplyOrder(thread: ThreadNode | MessageNode): Array<{ node: MessageNode; depth: number }> {
  if (thread.kind === 'message') return [{ node: thread, depth: 0 }];
  const ordered: Array<{ node: MessageNode; depth: number }> = [];
  const walk = (node: MessageNode, depth: number) => {
    ordered.push({ node, depth });
    node.replies?.forEach((reply) => walk(reply, depth + 1));
  };
  thread.branches.forEach((branch) => walk(branch, 0));
  return ordered;
}

function newestIndex(ordered: Array<{ node: MessageNode }>): number {
  let newest = 0;
  ordered.forEach(({ node }, index) => {
    if ((node.summary.date?.getTime() ?? 0) >= (ordered[newest].node.summary.date?.getTime() ?? 0)) newest = index;
  });
  return newest;
}

/** Runs `work` over `items`, at most `parallel` at a time, in order; resolves with every result. */
async function inBatches<T, R>(items: T[], parallel: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += parallel)
    results.push(...(await Promise.all(items.slice(start, start + parallel).map(work))));
  return results;
}
