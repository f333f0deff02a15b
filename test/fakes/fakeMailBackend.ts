// An in-memory MailBackend for fast unit tests of everything above the backends (the session state machine, the
// tree model): folders and messages in maps, failures injected per method, watches that can report changes or
// be lost. It keeps the interface's promises (newest first, cursors, Trash on delete) so tests read like real use.
import type { LocalStore, SyncProgress, SyncReport } from '../../src/mail/localStore';
import {
  COUNTS_FOLDER,
  type BackendCapabilities,
  type FolderChange,
  type MailBackend,
  type Unsubscribe,
} from '../../src/mail/mailBackend';
import { MailError } from '../../src/mail/mailError';
import type {
  FlagChange,
  Folder,
  FolderPath,
  MailMessage,
  MessagePage,
  MessageRef,
  MessageSummary,
  PageRequest,
  SearchRequest,
  SearchResult,
  SpecialUse,
} from '../../src/mail/types';

type Method =
  | 'connect'
  | 'ping'
  | 'listFolders'
  | 'listMessages'
  | 'fetchMessage'
  | 'setFlags'
  | 'delete'
  | 'move'
  | 'watch'
  | 'sync'
  | 'search';

interface FakeFolder {
  path: FolderPath;
  name: string;
  parentPath?: FolderPath;
  specialUse?: SpecialUse;
  selectable: boolean;
  messages: MessageSummary[];
}

export interface FakeWatch {
  folder: FolderPath;
  onChange: (change: FolderChange) => void;
  onLost?: (error: MailError) => void;
}

export class FakeMailBackend implements MailBackend {
  readonly capabilities: BackendCapabilities = { serverFolders: true, serverFlags: true, move: true, watch: true };
  localStore?: LocalStore;
  /** Every call, in order, with its first argument where that helps ("listMessages INBOX"). */
  readonly calls: string[] = [];
  readonly watches = new Set<FakeWatch>();
  closed = 0;
  /** How long close() takes, to test that nothing overtakes a closing backend. */
  closeDelayMs = 0;
  /** Each watch is lost this long after it started, as behind a proxy that cuts long-lived connections. */
  cutWatchesAfterMs: number | undefined;
  /** The server offers IMAP NOTIFY: watchCounts works (else it is refused as unsupported). */
  notify = false;
  /** The next watch's connection closes just as it opens: its loss is reported before watch() resolves. */
  loseNextWatchWhileOpening = false;
  private readonly folders = new Map<FolderPath, FakeFolder>();
  private readonly failures = new Map<Method, MailError[]>();
  private nextUid = 1;

  constructor(
    readonly account: string,
    options: { localStore?: boolean } = {},
  ) {
    this.addFolder('INBOX', { specialUse: 'inbox', name: 'Inbox' });
    this.addFolder('Trash', { specialUse: 'trash' });
    if (options.localStore) {
      this.capabilities.serverFolders = false;
      this.localStore = {
        sync: async (onProgress?: (progress: SyncProgress) => void): Promise<SyncReport> => {
          this.record('sync');
          onProgress?.({ phase: 'checking', done: 0, total: 0 });
          return { downloaded: 0, deletedFromServer: 0, onServer: 0, skipped: [] };
        },
        deleteLocalData: async () => void this.calls.push('deleteLocalData'),
      };
    }
  }

  addFolder(
    path: FolderPath,
    options: { specialUse?: SpecialUse; parentPath?: FolderPath; name?: string; selectable?: boolean } = {},
  ): this {
    this.folders.set(path, {
      path,
      name: options.name ?? path.split('/').pop() ?? path,
      parentPath: options.parentPath,
      specialUse: options.specialUse,
      selectable: options.selectable ?? true,
      messages: [],
    });
    return this;
  }

  /** Adds messages (oldest first), each with a fresh id; returns their summaries. */
  addMessages(folder: FolderPath, subjects: string[], flags: { seen?: boolean } = {}): MessageSummary[] {
    const target = this.folder(folder);
    return subjects.map((subject) => {
      const id = String(this.nextUid++);
      const summary: MessageSummary = {
        ref: { account: this.account, folder, id, validity: '1' },
        subject,
        from: [{ name: 'Sender', address: 'sender@example.org' }],
        to: [],
        size: 100,
        hasAttachments: false,
        date: new Date(Date.UTC(2026, 10, 1, 0, 0, Number(id))),
        flags: { seen: flags.seen ?? false, flagged: false, answered: false, draft: false },
      };
      target.messages.push(summary);
      return summary;
    });
  }

  messagesIn(folder: FolderPath): MessageSummary[] {
    return [...this.folder(folder).messages];
  }

  /** The next call of `method` fails with `error` (several calls queue several failures). */
  failNext(method: Method, error: MailError): this {
    this.failures.set(method, [...(this.failures.get(method) ?? []), error]);
    return this;
  }

  /** The server pushes a change to every watch of `folder`. */
  emit(folder: FolderPath, change: Omit<FolderChange, 'folder'> = { kind: 'unknown' }): void {
    for (const watch of this.watches) if (watch.folder === folder) watch.onChange({ folder, ...change });
  }

  /** Every watching connection is lost. */
  loseWatches(error = new MailError('network', 'the watching connection was lost')): void {
    const lost = [...this.watches];
    this.watches.clear();
    for (const watch of lost) watch.onLost?.(error);
  }

  async connect(): Promise<void> {
    this.record('connect');
  }

  async ping(): Promise<void> {
    this.record('ping');
  }

  async listFolders(): Promise<Folder[]> {
    this.record('listFolders');
    return [...this.folders.values()].map((folder) => ({
      path: folder.path,
      name: folder.name,
      delimiter: '/',
      parentPath: folder.parentPath,
      specialUse: folder.specialUse,
      selectable: folder.selectable,
      total: folder.messages.length,
      unread: folder.messages.filter((message) => !message.flags.seen).length,
    }));
  }

  /** Set: listings are answered as the folder is now, but arrive only when it resolves (a slow server). */
  holdListings: Promise<void> | undefined;

  async listMessages(folder: FolderPath, page: PageRequest): Promise<MessagePage> {
    this.record('listMessages', folder);
    const answer = this.listNow(folder, page);
    if (this.holdListings) await this.holdListings;
    return answer;
  }

  private listNow(folder: FolderPath, page: PageRequest): MessagePage {
    const newestFirst = [...this.folder(folder).messages].sort((a, b) => Number(b.ref.id) - Number(a.ref.id));
    const start = page.after ? newestFirst.findIndex((message) => Number(message.ref.id) < Number(page.after)) : 0;
    const slice = start < 0 ? [] : newestFirst.slice(start, start + page.limit);
    const last = slice.at(-1);
    return {
      messages: slice.map((message) => ({ ...message, flags: { ...message.flags } })),
      total: newestFirst.length,
      next: last && start + slice.length < newestFirst.length ? last.ref.id : undefined,
    };
  }

  async fetchMessage(ref: MessageRef): Promise<MailMessage> {
    this.record('fetchMessage', ref.id);
    const summary = this.find(ref);
    return {
      ref,
      subject: summary.subject,
      from: summary.from,
      to: [],
      cc: [],
      bcc: [],
      replyTo: [],
      references: [],
      text: `body of ${summary.subject}`,
      attachments: [],
    };
  }

  async fetchSource(ref: MessageRef): Promise<Uint8Array> {
    return Buffer.from(`Subject: ${this.find(ref).subject}\r\n\r\nbody\r\n`);
  }

  async setFlags(refs: MessageRef[], change: FlagChange): Promise<void> {
    this.record('setFlags', refs.map((ref) => ref.id).join(','));
    for (const ref of refs) {
      const message = this.find(ref);
      message.flags = { ...message.flags, ...change };
    }
  }

  async search(request: SearchRequest): Promise<SearchResult> {
    this.record('search', request.words.join(' '));
    const folders = request.folder ? [this.folder(request.folder)] : [...this.folders.values()];
    const hits = folders
      .flatMap((folder) => folder.messages)
      .filter((message) =>
        request.words.every((word) =>
          `${message.subject} ${message.from.map((address) => address.address).join(' ')}`
            .toLowerCase()
            .includes(word.toLowerCase()),
        ),
      )
      .sort((a, b) => Number(b.ref.id) - Number(a.ref.id));
    return { messages: hits.slice(0, request.limit), total: hits.length };
  }

  async markFolderRead(folder: FolderPath): Promise<void> {
    this.record('setFlags', `all of ${folder}`);
    for (const message of this.folder(folder).messages) message.flags = { ...message.flags, seen: true };
  }

  async delete(refs: MessageRef[]): Promise<void> {
    this.record('delete', refs.map((ref) => ref.id).join(','));
    for (const ref of refs) {
      if (ref.folder === 'Trash') this.take(ref);
      else this.put(this.take(ref), 'Trash');
    }
  }

  async move(refs: MessageRef[], target: FolderPath): Promise<void> {
    this.record('move', target);
    for (const ref of refs) this.put(this.take(ref), target);
  }

  async watch(
    folder: FolderPath,
    onChange: (change: FolderChange) => void,
    onLost?: (error: MailError) => void,
  ): Promise<Unsubscribe> {
    this.record('watch', folder);
    const watch: FakeWatch = { folder, onChange, onLost };
    this.watches.add(watch);
    if (this.loseNextWatchWhileOpening) {
      this.loseNextWatchWhileOpening = false;
      this.watches.delete(watch);
      watch.onLost?.(new MailError('network', 'the connection closed as the watch opened'));
    }
    if (this.cutWatchesAfterMs !== undefined) {
      setTimeout(() => {
        if (this.watches.delete(watch))
          watch.onLost?.(new MailError('network', 'the proxy cut the watching connection'));
      }, this.cutWatchesAfterMs);
    }
    return { dispose: () => this.watches.delete(watch) };
  }

  /** Every folder's counts (IMAP NOTIFY), when `notify` says the server offers it; `emit(COUNTS_FOLDER)` reports. */
  async watchCounts(
    onChange: (change: FolderChange) => void,
    onLost?: (error: MailError) => void,
  ): Promise<Unsubscribe> {
    if (!this.notify) throw new MailError('unsupported', 'this server does not offer NOTIFY');
    return this.watch(COUNTS_FOLDER, onChange, onLost);
  }

  async close(): Promise<void> {
    this.calls.push('close');
    if (this.closeDelayMs) await new Promise((resolve) => setTimeout(resolve, this.closeDelayMs));
    this.closed++;
    this.calls.push('closed');
  }

  private record(method: Method, detail?: string): void {
    this.calls.push(detail === undefined ? method : `${method} ${detail}`);
    const failure = this.failures.get(method)?.shift();
    if (failure) throw failure;
  }

  private folder(path: FolderPath): FakeFolder {
    const folder = this.folders.get(path);
    if (!folder) throw new MailError('notFound', `no folder ${path}`);
    return folder;
  }

  private find(ref: MessageRef): MessageSummary {
    const message = this.folder(ref.folder).messages.find((candidate) => candidate.ref.id === ref.id);
    if (!message) throw new MailError('notFound', `message ${ref.id} is no longer in ${ref.folder}`);
    return message;
  }

  private take(ref: MessageRef): MessageSummary {
    const folder = this.folder(ref.folder);
    const message = this.find(ref);
    folder.messages = folder.messages.filter((candidate) => candidate !== message);
    return message;
  }

  private put(message: MessageSummary, target: FolderPath): void {
    const id = String(this.nextUid++);
    this.folder(target).messages.push({ ...message, ref: { ...message.ref, folder: target, id } });
  }
}
