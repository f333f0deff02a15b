// views/: the thin VS Code adapter over the Mail tree model: TreeItems, progress while loading, the unread
// badge, and drag and drop of messages onto folders.
import * as vscode from 'vscode';
import type { AccountSessions } from '../accounts/accountSessions';
import type { Logger } from '../mail/logger';
import type { Folder, FolderPath } from '../mail/types';
import { Disposable } from '../util/disposable';
import { reportError } from '../util/reportError';
import type { MailNode, MessageNode } from '../mailbox/mailNodes';
import type { MailTreeModel } from '../mailbox/mailTreeModel';
import { present } from './mailTreePresentation';
import { showWarning } from '../util/notify';
import { withIcon } from '../util/plainText';

export const MAIL_VIEW_ID = 'letterbox.mail';
const DRAG_MIME = 'application/vnd.code.tree.letterbox.mail';

export class MailTreeProvider
  extends Disposable
  implements vscode.TreeDataProvider<MailNode>, vscode.TreeDragAndDropController<MailNode>
{
  readonly dragMimeTypes = [DRAG_MIME];
  readonly dropMimeTypes = [DRAG_MIME];
  private readonly changed = this._register(new vscode.EventEmitter<MailNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<MailNode>;
  /** The unread count of the inboxes in the status bar too, which opens the Mail view. */
  private readonly unread = this._register(
    vscode.window.createStatusBarItem('letterbox.unread', vscode.StatusBarAlignment.Left, 50),
  );
  /** When activation began (performance.now()), until the Mail view first got its items (`npm run bench` reads it). */
  private activationStarted: number | undefined;

  constructor(
    private readonly model: MailTreeModel,
    private readonly sessions: AccountSessions,
    private readonly log: Logger,
    activationStarted?: number,
    /** Whether a folder's new mail is announced (newMailPolicy.ts), for its menu. */
    private readonly notifies?: (account: string, folder: Folder) => boolean,
  ) {
    super();
    this.view = this._register(
      vscode.window.createTreeView(MAIL_VIEW_ID, {
        treeDataProvider: this,
        dragAndDropController: this,
        canSelectMany: true,
        showCollapseAll: true,
      }),
    );
    this._register(
      model.onDidChange((node) => {
        this.changed.fire(node);
        this.updateBadge();
      }),
    );
    this.updateBadge();
    this.activationStarted = activationStarted;
  }

  /** Re-renders a node (or everything) whose look changed without its data changing, e.g. an account's state. */
  redraw(node?: MailNode): void {
    this.changed.fire(node);
  }

  getTreeItem(node: MailNode): vscode.TreeItem {
    const look = present(node, {
      account: (id) => this.sessions.account(id),
      status: (id) => this.sessions.status(id),
      threaded: (account, folder) => this.model.isThreaded(account, folder),
      notifies: this.notifies,
      unifiedUnread: () => this.model.unreadInInboxes(),
    });
    const state = {
      none: vscode.TreeItemCollapsibleState.None,
      collapsed: vscode.TreeItemCollapsibleState.Collapsed,
      expanded: vscode.TreeItemCollapsibleState.Expanded,
    }[look.collapsible];
    // eslint-disable-next-line no-restricted-syntax -- the one place tree items are made, from present()'s plain text
    const item = new vscode.TreeItem(look.label, state);
    item.id = node.key;
    item.description = look.description;
    item.tooltip = look.tooltip;
    item.contextValue = look.contextValue;
    // VS Code names a tree item by its tooltip unless told otherwise; the label is what a screen reader should say.
    item.accessibilityInformation = { label: [look.label, look.description].filter(Boolean).join(', ') };
    if (look.icon)
      item.iconPath = new vscode.ThemeIcon(
        look.icon,
        look.iconColor ? new vscode.ThemeColor(look.iconColor) : undefined,
      );
    if (look.command === 'open') item.command = { command: 'letterbox.openMessage', title: 'Open', arguments: [node] };
    if (look.command === 'openThread')
      item.command = { command: 'letterbox.openThread', title: 'Open Conversation', arguments: [node] };
    if (look.command === 'loadMore')
      item.command = { command: 'letterbox.loadMore', title: 'Load More', arguments: [node] };
    if (look.command === 'retry')
      item.command = { command: 'letterbox.retryAccount', title: 'Retry', arguments: [node] };
    return item;
  }

  /** Shows a folder in the Mail view, selected and expanded ("Show" on a new-mail notice). */
  async revealFolder(account: string, folder: FolderPath): Promise<void> {
    const node = await this.model.folderNodeOf(account, folder);
    if (node) await this.view.reveal(node, { select: true, focus: true, expand: true });
  }

  /** What reveal() needs to expand the path to a node ("Go to Folder…"). */
  getParent(node: MailNode): MailNode | undefined {
    return this.model.parentOf(node);
  }

  getChildren(node?: MailNode): vscode.ProviderResult<MailNode[]> {
    if (!node) {
      const roots = this.model.roots();
      if (this.activationStarted !== undefined) {
        this.log.info(
          `Mail view: first ${roots.length} item(s) ready ${(performance.now() - this.activationStarted).toFixed(0)} ms after activation began`,
        );
        this.activationStarted = undefined;
      }
      return roots;
    }
    return vscode.window.withProgress({ location: { viewId: MAIL_VIEW_ID } }, async () => {
      const children = await this.model.children(node);
      // Showing a node can load counts (an account's folders) without any change event: the badge follows here.
      this.updateBadge();
      return children;
    });
  }

  handleDrag(source: readonly MailNode[], data: vscode.DataTransfer): void {
    // A thread drags its folder's own messages (the user's replies stay in Sent).
    const messages = source.flatMap((node): MessageNode[] =>
      node.kind === 'message'
        ? [node]
        : node.kind === 'thread'
          ? this.model.threadMessages(node).filter((message) => !message.joinedFrom)
          : [],
    );
    if (messages.length) data.set(DRAG_MIME, new vscode.DataTransferItem(messages));
  }

  async handleDrop(target: MailNode | undefined, data: vscode.DataTransfer): Promise<void> {
    const dropped = data.get(DRAG_MIME)?.value as MessageNode[] | undefined;
    if (!dropped?.length || target?.kind !== 'folder' || !target.folder.selectable) return;
    const sameAccount = dropped.filter((node) => node.account === target.account);
    if (sameAccount.length < dropped.length) {
      void showWarning('Messages can only be dragged to folders of their own account.');
    }
    try {
      await this.model.move(sameAccount, target.folder.path);
    } catch (error) {
      await reportError(this.log, error, target.account);
    }
  }

  private updateBadge(): void {
    const unread = this.model.unreadInInboxes();
    this.view.badge = unread ? { value: unread, tooltip: `${unread} unread in your inboxes` } : undefined;
    this.unread.name = 'Letterbox: unread mail';
    this.unread.text = withIcon(unread ? 'mail' : 'mail-read', unread ? String(unread) : '');
    this.unread.tooltip = unread
      ? `${unread} unread in your inboxes: open the Mail view`
      : 'No unread mail in your inboxes: open the Mail view';
    this.unread.command = 'workbench.view.extension.letterbox';
    this.unread.accessibilityInformation = { label: unread ? `${unread} unread messages` : 'No unread messages' };
    if (this.sessions.accounts().length) this.unread.show();
    else this.unread.hide();
  }
}
