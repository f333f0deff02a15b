// What the Mail tree shows and how it changes: accounts -> folders (with hierarchy) -> messages, 50 at a time.
// Every mutation goes to the server (or the POP3 store) first and changes the cached view only after it worked.
import type { FlagChange, Folder, FolderPath } from '../mail/types';
import {
  keys,
  type AccountNode,
  type FolderNode,
  type LoadMoreNode,
  type MailNode,
  type MessageNode,
  type NoticeNode,
  type SearchNode,
} from './mailNodes';
import { MailTreeLive } from './mailTreeLive';

export type { MailTreeModelOptions } from './mailTreeState';

export class MailTreeModel extends MailTreeLive {
  roots(): AccountNode[] {
    return this.sessions
      .accounts()
      .map((account) => this.node({ kind: 'account', key: keys.account(account.id), account: account.id }));
  }

  async children(node: MailNode): Promise<MailNode[]> {
    switch (node.kind) {
      case 'account':
        return this.accountChildren(node);
      case 'folder':
        return this.folderChildren(node);
      case 'search':
        return this.searchChildren(node);
      default:
        return [];
    }
  }

  /** Keeps a search's results in the tree, under its account (shown again after a refresh, searched anew). */
  addSearch(account: string, words: string[], folder?: FolderPath): SearchNode {
    const node = this.node<SearchNode>({
      kind: 'search',
      key: keys.search(account, folder, words),
      account,
      words,
      folder,
      folderName: folder ? this.folderOf(account, folder)?.name : undefined,
    });
    this.searches.add(node);
    this.fire(this.nodes.get(keys.account(account)));
    return node;
  }

  removeSearch(node: SearchNode): void {
    this.searches.remove(node);
    this.nodes.delete(node.key);
    this.fire(this.nodes.get(keys.account(node.account)));
  }

  /** Appends the next page of a folder. */
  async loadMore(node: LoadMoreNode): Promise<void> {
    const key = keys.folder(node.account, node.folder);
    const page = this.pages.get(key);
    if (!page?.next) return;
    const more = await this.sessions.run(node.account, (backend) =>
      backend.listMessages(node.folder, { limit: this.pageSize, after: page.next }),
    );
    this.pages.set(key, { messages: [...page.messages, ...more.messages], next: more.next, total: more.total });
    this.fire(this.nodes.get(key));
  }

  /** Forgets what was loaded, so the next look asks the server again; POP3 accounts download new mail first. */
  async refresh(account?: string): Promise<void> {
    const accounts = account ? [account] : this.sessions.accounts().map((a) => a.id);
    for (const id of accounts) {
      this.forgetLoaded(id);
      this.synced.delete(id);
    }
    this.fire(account ? this.nodes.get(keys.account(account)) : undefined);
  }

  /** The total unread count of every loaded Inbox, for the view badge. */
  unreadInInboxes(): number {
    let unread = 0;
    for (const folders of this.folders.values())
      unread += folders.find((folder) => folder.specialUse === 'inbox')?.unread ?? 0;
    return unread;
  }

  /** Folders a message of this account can be moved to. */
  async moveTargets(account: string): Promise<Folder[]> {
    const folders = this.folders.get(account) ?? (await this.loadFolders(account));
    return folders.filter((folder) => folder.selectable);
  }

  async setFlags(nodes: MessageNode[], change: FlagChange): Promise<void> {
    for (const [account, group] of byAccount(nodes)) {
      await this.sessions.run(account, (backend) =>
        backend.setFlags(
          group.map((node) => node.summary.ref),
          change,
        ),
      );
      for (const node of group) {
        const before = node.summary.flags.seen;
        node.summary.flags = { ...node.summary.flags, ...change };
        if (change.seen !== undefined && before !== change.seen)
          this.adjustUnread(account, node.summary.ref.folder, change.seen ? -1 : 1);
        this.fire(node);
      }
      this.fireFolders(account, group);
    }
  }

  async delete(nodes: MessageNode[]): Promise<void> {
    for (const [account, group] of byAccount(nodes)) {
      await this.sessions.run(account, (backend) => backend.delete(group.map((node) => node.summary.ref)));
      await this.afterRemoval(account, group);
    }
  }

  async move(nodes: MessageNode[], target: FolderPath): Promise<void> {
    for (const [account, group] of byAccount(nodes)) {
      const refs = group.map((node) => node.summary.ref).filter((ref) => ref.folder !== target);
      if (!refs.length) continue;
      await this.sessions.run(account, (backend) => backend.move(refs, target));
      await this.afterRemoval(
        account,
        group.filter((node) => node.summary.ref.folder !== target),
      );
    }
  }

  protected async accountChildren(node: AccountNode): Promise<MailNode[]> {
    const account = this.sessions.account(node.account);
    if (!account) return [];
    const notices: NoticeNode[] = [];
    const local = this.sessions.hasLocalStore(node.account);
    if (local && !this.synced.has(node.account)) {
      // Local mail shows at once; the download runs beside it and refreshes the account when done.
      void this.checkLocalStore(node.account);
    }
    const failed = this.failures.get(node.key);
    if (failed) return [failed];
    let folders = this.folders.get(node.account);
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
        this.folders.set(node.account, cached);
        void this.liveFolders(node.account);
      } else {
        try {
          folders = await this.loadFolders(node.account);
        } catch (error) {
          const notice = this.notice(node.account, undefined, 'error', error);
          this.failures.set(node.key, notice);
          return [notice];
        }
      }
    }
    const offline = this.offline.get(node.account);
    if (offline) notices.push(offline);
    const status = this.sessions.status(node.account);
    if (local && status.error) notices.push(this.notice(node.account, undefined, 'sync-error', status.error));
    const paths = new Set(folders.map((folder) => folder.path));
    const top = folders.filter((folder) => !folder.parentPath || !paths.has(folder.parentPath));
    return [
      ...notices,
      ...top.map((folder) => this.folderNode(node.account, folder)),
      ...this.searches.of(node.account),
    ];
  }

  protected async folderChildren(node: FolderNode): Promise<MailNode[]> {
    const folders = this.folders.get(node.account) ?? [];
    const subfolders = folders
      .filter((folder) => folder.parentPath === node.folder.path)
      .map((folder) => this.folderNode(node.account, folder));
    if (!node.folder.selectable) return subfolders;
    const key = keys.folder(node.account, node.folder.path);
    let page = this.pages.get(key);
    const failed = this.failures.get(key);
    if (!page && failed) return [...subfolders, failed];
    if (!page) {
      const cached = await this.sessions
        .cacheOf(node.account)
        ?.page(node.folder.path, this.pageSize)
        .catch(() => undefined);
      if (cached) {
        page = { messages: cached.messages, next: cached.next, total: cached.total };
        this.pages.set(key, page);
        void this.livePage(node);
      }
    }
    if (!page) {
      try {
        page = await this.loadFirstPage(node);
      } catch (error) {
        const notice = this.notice(node.account, node.folder.path, 'error', error);
        this.failures.set(key, notice);
        return [...subfolders, notice];
      }
    }
    const messages = page.messages.map((summary) => this.messageNodeFor(node.account, summary));
    const rest: MailNode[] = [];
    if (page.next) {
      rest.push(
        this.node({
          kind: 'loadMore',
          key: keys.loadMore(node.account, node.folder.path),
          account: node.account,
          folder: node.folder.path,
          remaining: Math.max(0, page.total - page.messages.length),
        }),
      );
    }
    if (!messages.length && !subfolders.length) {
      rest.push(this.notice(node.account, node.folder.path, 'empty', 'No messages'));
    }
    return [...subfolders, ...messages, ...rest];
  }

  protected async searchChildren(node: SearchNode): Promise<MailNode[]> {
    let results = this.searches.resultsOf(node);
    if (!results) {
      try {
        results = (
          await this.sessions.run(node.account, (backend) =>
            backend.search({ words: node.words, folder: node.folder, limit: 200 }),
          )
        ).messages;
        this.searches.setResults(node, results);
      } catch (error) {
        return [this.notice(node.account, node.folder, `search-${node.key}`, error)];
      }
    }
    if (!results.length)
      return [this.notice(node.account, node.folder, `search-empty-${node.key}`, 'No messages match')];
    return results.map((summary) => this.messageNodeFor(node.account, summary));
  }

  protected async afterRemoval(account: string, removed: MessageNode[]): Promise<void> {
    for (const node of removed) {
      const key = keys.folder(account, node.summary.ref.folder);
      const page = this.pages.get(key);
      if (page) {
        page.messages = page.messages.filter((summary) => summary.ref.id !== node.summary.ref.id);
        page.total = Math.max(0, page.total - 1);
      }
      this.nodes.delete(node.key);
      this.searches.drop(node.summary.ref);
    }
    // Counts of the target folder (Trash, or where the messages went) come from the server, not from guessing.
    this.forgetFolders(
      account,
      this.pages,
      new Set(removed.map((node) => keys.folder(account, node.summary.ref.folder))),
    );
    try {
      await this.loadFolders(account);
    } catch {
      this.folders.delete(account);
    }
    this.fire(this.nodes.get(keys.account(account)));
  }

  /** The node of a folder (for revealing it, or listing its messages from the palette); loads the folder list. */
  async folderNodeOf(account: string, path: FolderPath): Promise<FolderNode | undefined> {
    const folders = this.folders.get(account) ?? (await this.loadFolders(account));
    const folder = folders.find((candidate) => candidate.path === path);
    return folder ? this.folderNode(account, folder) : undefined;
  }

  /** The node above this one in the tree (what TreeView.reveal needs). */
  parentOf(node: MailNode): MailNode | undefined {
    if (node.kind === 'account') return undefined;
    if (node.kind === 'folder') {
      const parentPath = node.folder.parentPath;
      const parent = parentPath
        ? this.folders.get(node.account)?.find((folder) => folder.path === parentPath)
        : undefined;
      return parent ? this.folderNode(node.account, parent) : this.accountNodeFor(node.account);
    }
    const path = node.kind === 'message' ? node.summary.ref.folder : node.folder;
    const folder =
      path === undefined ? undefined : this.folders.get(node.account)?.find((candidate) => candidate.path === path);
    return folder ? this.folderNode(node.account, folder) : this.accountNodeFor(node.account);
  }

  /** Marks every message of a folder read, on the server (or in the local store), then reloads its counts. */
  async markFolderRead(account: string, path: FolderPath): Promise<void> {
    await this.sessions.run(account, (backend) => backend.markFolderRead(path));
    for (const summary of this.pages.get(keys.folder(account, path))?.messages ?? []) {
      summary.flags = { ...summary.flags, seen: true };
      const node = this.nodes.get(keys.message(account, path, summary.ref.id));
      if (node) this.fire(node);
    }
    await this.loadFolders(account).catch(() => this.folders.delete(account));
    this.fire(this.nodes.get(keys.account(account)));
  }
}

function byAccount(nodes: MessageNode[]): Map<string, MessageNode[]> {
  const groups = new Map<string, MessageNode[]>();
  for (const node of nodes) groups.set(node.account, [...(groups.get(node.account) ?? []), node]);
  return groups;
}
