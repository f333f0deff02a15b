// The tree's structure, read from what is held (loadedMail.ts), loading what is missing: accounts, then folders
// (with their hierarchy; the cache's first, offline too), then a folder's messages (50 at a time) and kept searches.
import type { AccountSessions } from '../accounts/accountSessions';
import type { Folder, FolderPath, MessagePage } from '../mail/types';
import type { LiveUpdates } from './liveUpdates';
import type { LoadedMail } from './loadedMail';
import {
  keys,
  type AccountNode,
  type FolderNode,
  type MailNode,
  type NoticeNode,
  type SearchNode,
  type UnifiedNode,
} from './mailNodes';
import type { ThreadedFolders } from './threadedFolders';
import { UnifiedInbox } from './unifiedInbox';

export class MailTreeStructure {
  constructor(
    private readonly mail: LoadedMail,
    private readonly sessions: AccountSessions,
    private readonly live: LiveUpdates,
    private readonly threads: ThreadedFolders,
    unifiedInbox: () => boolean,
  ) {
    this.unified = new UnifiedInbox(mail, sessions, this, unifiedInbox);
  }

  private readonly unified: UnifiedInbox;

  roots(): Array<AccountNode | UnifiedNode> {
    return [
      ...this.unified.roots(),
      ...this.sessions
        .accounts()
        .map((account) =>
          this.mail.node<AccountNode>({ kind: 'account', key: keys.account(account.id), account: account.id }),
        ),
    ];
  }

  async children(node: MailNode): Promise<MailNode[]> {
    switch (node.kind) {
      case 'account':
        return this.accountChildren(node);
      case 'folder':
        return this.folderChildren(node);
      case 'search':
        return this.searchChildren(node);
      case 'thread':
        return node.branches;
      case 'unified':
        return this.unified.children(node);
      case 'message':
        return node.replies ?? [];
      default:
        return [];
    }
  }

  /** The total unread count of every loaded Inbox, for the view badge. */
  unreadInInboxes(): number {
    let unread = 0;
    for (const folders of this.mail.folders.values())
      unread += folders.find((folder) => folder.specialUse === 'inbox')?.unread ?? 0;
    return unread;
  }

  /** Folders a message of this account can be moved to. */
  async moveTargets(account: string): Promise<Folder[]> {
    const folders = this.mail.folders.get(account) ?? (await this.mail.loadFolders(account));
    return folders.filter((folder) => folder.selectable);
  }

  private async accountChildren(node: AccountNode): Promise<MailNode[]> {
    const account = this.sessions.account(node.account);
    if (!account) return [];
    const notices: NoticeNode[] = [];
    const local = this.sessions.hasLocalStore(node.account);
    if (local && !this.mail.synced.has(node.account)) {
      // Local mail shows at once; the download runs beside it and refreshes the account when done.
      void this.live.checkLocalStore(node.account);
    }
    const failed = this.mail.failures.get(node.key);
    if (failed) return [failed];
    let folders = this.mail.folders.get(node.account);
    if (!folders) {
      // What the cache remembers shows at once (offline too); the server's answer replaces it when it comes.
      const cached = local
        ? undefined
        : await this.sessions
            .cacheOf(node.account)
            ?.folders()
            .catch(() => undefined);
      if (cached) {
        folders = cached;
        this.mail.folders.set(node.account, cached);
        void this.live.liveFolders(node.account);
      } else {
        try {
          folders = await this.mail.loadFolders(node.account);
        } catch (error) {
          const notice = this.mail.notice(node.account, undefined, 'error', error);
          this.mail.failures.set(node.key, notice);
          return [notice];
        }
      }
    }
    const offline = this.mail.offline.get(node.account);
    if (offline) notices.push(offline);
    const status = this.sessions.status(node.account);
    if (local && status.error) notices.push(this.mail.notice(node.account, undefined, 'sync-error', status.error));
    const paths = new Set(folders.map((folder) => folder.path));
    const top = folders.filter((folder) => !folder.parentPath || !paths.has(folder.parentPath));
    return [
      ...notices,
      ...top.map((folder) => this.mail.folderNode(node.account, folder)),
      ...this.mail.searches.of(node.account),
    ];
  }

  private async folderChildren(node: FolderNode): Promise<MailNode[]> {
    const folders = this.mail.folders.get(node.account) ?? [];
    const subfolders = folders
      .filter((folder) => folder.parentPath === node.folder.path)
      .map((folder) => this.mail.folderNode(node.account, folder));
    if (!node.folder.selectable) return subfolders;
    const page = await this.pageOf(node);
    if ('kind' in page) return [...subfolders, page];
    const messages = await this.threads.children(node, page);
    const rest: MailNode[] = [];
    if (page.next) {
      rest.push(
        this.mail.node({
          kind: 'loadMore',
          key: keys.loadMore(node.account, node.folder.path),
          account: node.account,
          folder: node.folder.path,
          remaining: Math.max(0, page.total - page.messages.length),
        }),
      );
    }
    if (!messages.length && !subfolders.length) {
      rest.push(this.mail.notice(node.account, node.folder.path, 'empty', 'No messages'));
    }
    return [...subfolders, ...messages, ...rest];
  }

  /**
   * A folder's loaded page: what is held, else the cache's (the server's answer follows), else the server's; or the
   * notice saying why it could not be loaded (remembered until a refresh or retry).
   */
  async pageOf(node: FolderNode): Promise<MessagePage | NoticeNode> {
    const key = keys.folder(node.account, node.folder.path);
    let page = this.mail.pages.get(key);
    const failed = this.mail.failures.get(key);
    if (!page && failed) return failed;
    if (!page) {
      const cached = await this.sessions
        .cacheOf(node.account)
        ?.page(node.folder.path, this.mail.pageSize)
        .catch(() => undefined);
      if (cached) {
        // Without what this window removed, should the cache be older than the removal.
        page = this.mail.removals.since(key, 0, { messages: cached.messages, next: cached.next, total: cached.total });
        this.mail.pages.set(key, page);
        void this.live.livePage(node);
      }
    }
    if (!page) {
      try {
        page = await this.mail.loadFirstPage(node);
      } catch (error) {
        const notice = this.mail.notice(node.account, node.folder.path, 'error', error);
        this.mail.failures.set(key, notice);
        return notice;
      }
    }
    return page;
  }

  private async searchChildren(node: SearchNode): Promise<MailNode[]> {
    let results = this.mail.searches.resultsOf(node);
    if (!results) {
      try {
        results = (
          await this.sessions.run(node.account, (backend) =>
            backend.search({ words: node.words, folder: node.folder, limit: 200 }),
          )
        ).messages;
        this.mail.searches.setResults(node, results);
      } catch (error) {
        return [this.mail.notice(node.account, node.folder, `search-${node.key}`, error)];
      }
    }
    if (!results.length)
      return [this.mail.notice(node.account, node.folder, `search-empty-${node.key}`, 'No messages match')];
    // Nodes of their own: a result may also show in its folder, and VS Code allows an id once in a tree.
    return results.map((summary) => this.mail.listedNodeFor(node, summary));
  }

  /** The node of a folder (for revealing it, or listing its messages from the palette); loads the folder list. */
  async folderNodeOf(account: string, path: FolderPath): Promise<FolderNode | undefined> {
    const folders = this.mail.folders.get(account) ?? (await this.mail.loadFolders(account));
    const folder = folders.find((candidate) => candidate.path === path);
    return folder ? this.mail.folderNode(account, folder) : undefined;
  }

  /** The node above this one in the tree (what TreeView.reveal needs). */
  parentOf(node: MailNode): MailNode | undefined {
    if (node.kind === 'account' || node.kind === 'unified') return undefined;
    if (node.kind === 'folder') {
      const parentPath = node.folder.parentPath;
      const parent = parentPath
        ? this.mail.folders.get(node.account)?.find((folder) => folder.path === parentPath)
        : undefined;
      return parent ? this.mail.folderNode(node.account, parent) : this.mail.accountNodeFor(node.account);
    }
    if (node.kind === 'message' && node.shownUnder) return node.shownUnder;
    if (node.kind === 'message' && node.foundBy) return node.foundBy;
    const path = node.kind === 'message' ? node.summary.ref.folder : node.folder;
    const folder =
      path === undefined
        ? undefined
        : this.mail.folders.get(node.account)?.find((candidate) => candidate.path === path);
    return folder ? this.mail.folderNode(node.account, folder) : this.mail.accountNodeFor(node.account);
  }
}
