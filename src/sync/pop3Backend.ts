// The POP3 MailBackend, built here from the wire (protocols/pop3) and the disk (store/). The server has one mailbox
// and no flags, so everything the user sees comes from the local store; sync fills it. Folders are the local Inbox
// and a local Trash that keeps deleted mail until purged.
import { rm } from 'node:fs/promises';
import type { LocalStore, SyncProgress, SyncReport } from '../mail/localStore';
import type { BackendCapabilities, FolderChange, MailBackend, Unsubscribe } from '../mail/mailBackend';
import { withTokenRetry, type AccessTokens } from '../mail/accessTokens';
import { MailError } from '../mail/mailError';
import { taggedLogger, type Logger } from '../mail/logger';
import type {
  AccountId,
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
  ServerSettings,
} from '../mail/types';
import { parseMessage } from '../protocols/mime/loadParser';
import { mimeReading } from '../protocols/mime/messageReading';
import { normalise } from '../protocols/mime/searchableText';
import type { Pop3Timeouts } from '../protocols/pop3/pop3Limits';
import { Pop3Session } from '../protocols/pop3/pop3Session';
import { MessageStore, type StoredMessage } from '../store/messageStore';
import { SearchTexts, type SearchTextOptions } from '../store/searchTexts';
import type { Pop3Policy } from './pop3Policy';
import { syncPop3 } from './pop3Sync';

export const POP3_INBOX: FolderPath = 'INBOX';
export const POP3_TRASH: FolderPath = 'Trash';

export interface Pop3BackendOptions {
  account: AccountId;
  server: ServerSettings;
  password: () => Promise<string>;
  /** Signs in with OAuth2 access tokens instead of the password. */
  oauth?: AccessTokens;
  log: Logger;
  /** Folder that holds this account's Maildir and index. */
  storeRoot: string;
  policy: Pop3Policy;
  timeouts?: Partial<Pop3Timeouts>;
  /** The clock "delete after N days" reads; tests move it forward. */
  now?: () => Date;
  /** How long a sync waits for another window's sync of the same store. */
  lockWaitMs?: number;
  /** Bounds of the search-text cache (tests make them small). */
  searchTexts?: SearchTextOptions;
}

export class Pop3Backend implements MailBackend, LocalStore {
  readonly capabilities: BackendCapabilities = { serverFolders: false, serverFlags: false, move: true, watch: true };
  readonly localStore: LocalStore = this;
  private storePromise: Promise<MessageStore> | undefined;
  private running: Promise<SyncReport> | undefined;
  /** Messages that failed to download in this window: later syncs try them last. */
  private readonly failedBefore = new Set<string>();
  private readonly searchTexts: SearchTexts;
  private readonly log: Logger;

  constructor(private readonly options: Pop3BackendOptions) {
    this.log = taggedLogger(options.log, `pop3:${options.account}`);
    this.searchTexts = new SearchTexts(options.storeRoot, mimeReading, options.searchTexts);
  }

  /** Checks that the server can be reached and logs in, and that it can honour the account's policy. */
  async connect(): Promise<void> {
    const session = await this.openSession();
    try {
      if (this.options.policy.leaveOnServer && !(await session.hasUniqueIds())) {
        throw new MailError(
          'unsupported',
          `${this.options.server.host} does not support UIDL: leaving mail on the server needs it; choose "delete from server after download" for this account`,
        );
      }
      await session.commit();
    } finally {
      session.close();
    }
  }

  /**
   * Downloads new mail and applies the server-copy policy. Concurrent calls in this window share one run; runs in
   * other windows on the same store wait for each other (the store's lock).
   */
  sync(onProgress?: (progress: SyncProgress) => void): Promise<SyncReport> {
    this.running ??= this.store()
      .then((store) =>
        syncPop3({
          open: () => this.openSession(),
          store,
          policy: this.options.policy,
          log: this.log,
          onProgress,
          now: this.options.now,
          failedBefore: this.failedBefore,
          lockWaitMs: this.options.lockWaitMs,
        }),
      )
      .then((report) => {
        for (const skipped of report.skipped) this.failedBefore.add(skipped.id);
        return report;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  async listFolders(): Promise<Folder[]> {
    const messages = (await this.fresh()).messages();
    const count = (trashed: boolean) => {
      const inFolder = messages.filter((message) => message.file.flags.has('T') === trashed);
      return { total: inFolder.length, unread: inFolder.filter((message) => !message.file.flags.has('S')).length };
    };
    return [
      { path: POP3_INBOX, name: 'Inbox', delimiter: '', specialUse: 'inbox', selectable: true, ...count(false) },
      { path: POP3_TRASH, name: 'Trash', delimiter: '', specialUse: 'trash', selectable: true, ...count(true) },
    ];
  }

  async listMessages(folder: FolderPath, page: PageRequest): Promise<MessagePage> {
    const trashed = this.folderFlag(folder);
    const all = newestFirst(
      (await this.fresh()).messages().filter((message) => message.file.flags.has('T') === trashed),
    );
    // The cursor is the sort key of the last message shown, so mail synced in between does not shift the pages.
    const start = page.after ? all.findIndex((item) => item.key < page.after!) : 0;
    const slice = start < 0 ? [] : all.slice(start, start + page.limit);
    const last = slice.at(-1);
    return {
      messages: slice.map(({ message }) => this.toSummary(folder, message)),
      total: all.length,
      next: last && start + slice.length < all.length ? last.key : undefined,
    };
  }

  async fetchSource(ref: MessageRef): Promise<Uint8Array> {
    return (await this.store()).read(ref.id);
  }

  async fetchMessage(ref: MessageRef): Promise<MailMessage> {
    return parseMessage(ref, await this.fetchSource(ref));
  }

  /** Read state is local: the POP3 server has no flags (RFC 1939). */
  async setFlags(refs: MessageRef[], change: FlagChange): Promise<void> {
    const store = await this.store();
    for (const ref of refs) await store.setFlags(ref.id, { seen: change.seen, flagged: change.flagged });
  }

  /**
   * Local search: headers from the index, text from the search cache (made at the first search, then kept within
   * its bound: the newest messages' text; older ones are matched by sender and subject, and the result says so).
   */
  async search(request: SearchRequest): Promise<SearchResult> {
    const store = await this.fresh();
    const all = newestFirst(store.messages());
    const { texts, headersOnly } = await this.searchTexts.textsOf(
      all.map(({ message }) => ({ base: message.file.base, read: () => store.read(message.uid) })),
    );
    const trashed = request.folder === undefined ? undefined : this.folderFlag(request.folder);
    const needles = request.words.map(normalise).filter(Boolean);
    const hits = all.filter(({ message }) => {
      if (trashed !== undefined && message.file.flags.has('T') !== trashed) return false;
      const { subject, from, to } = message.summary;
      const haystack = `${normalise([subject, ...[...from, ...to].map((address) => `${address.name} ${address.address}`)].join(' '))} ${texts.get(message.file.base) ?? ''}`;
      return needles.every((needle) => haystack.includes(needle));
    });
    return {
      messages: hits
        .slice(0, request.limit)
        .map(({ message }) => this.toSummary(message.file.flags.has('T') ? POP3_TRASH : POP3_INBOX, message)),
      total: hits.length,
      ...(headersOnly
        ? {
            note: `the text of the ${headersOnly} oldest messages was not searched (the search index keeps the text of the newest ones); they were matched by sender and subject`,
          }
        : {}),
    };
  }

  async markFolderRead(folder: FolderPath): Promise<void> {
    const trashed = this.folderFlag(folder);
    const store = await this.fresh();
    for (const message of store.messages()) {
      if (message.file.flags.has('T') === trashed && !message.file.flags.has('S'))
        await store.setFlags(message.uid, { seen: true });
    }
  }

  /** Inbox -> local Trash; in Trash, gone for good. The server copy follows the policy at the next sync. */
  async delete(refs: MessageRef[]): Promise<void> {
    const store = await this.store();
    const purged = refs.filter((ref) => this.folderFlag(ref.folder));
    for (const ref of refs) if (!purged.includes(ref)) await store.setFlags(ref.id, { trashed: true });
    // A purge writes the index, which is shared with every other window: it waits its turn for the store's lock.
    if (purged.length)
      await store.exclusive(async () => {
        for (const ref of purged) await store.purge(ref.id);
      });
  }

  async move(refs: MessageRef[], target: FolderPath): Promise<void> {
    const trashed = this.folderFlag(target);
    const store = await this.store();
    for (const ref of refs) await store.setFlags(ref.id, { trashed });
  }

  /**
   * POP3 cannot tell about new mail (Letterbox checks on a schedule), but other windows share this store: what they
   * download, read or delete is reported here, so every window shows the same mailbox.
   */
  async watch(_folder: FolderPath, onChange: (change: FolderChange) => void): Promise<Unsubscribe> {
    const store = await this.store();
    // A change to the shared store can move mail between the two local folders: both are reported.
    return store.watchChanges(() => {
      onChange({ folder: POP3_INBOX, kind: 'unknown' });
      onChange({ folder: POP3_TRASH, kind: 'unknown' });
    });
  }

  /** Removes this account's downloaded mail, waiting for any other window's work on it to end first. */
  async deleteLocalData(): Promise<void> {
    await this.close();
    const store = await this.store().catch(() => undefined);
    const remove = () => rm(this.options.storeRoot, { recursive: true, force: true });
    if (store) await store.exclusive(remove).catch(remove);
    else await remove();
    this.storePromise = undefined;
  }

  async close(): Promise<void> {
    this.searchTexts.dispose();
    await this.running?.catch(() => undefined);
    await (await this.storePromise?.catch(() => undefined))?.flush();
  }

  private store(): Promise<MessageStore> {
    this.storePromise ??= MessageStore.open(this.options.storeRoot, this.log, mimeReading).catch((error: unknown) => {
      this.storePromise = undefined;
      throw new MailError(
        'storage',
        `cannot open the local mail store in ${this.options.storeRoot}: ${(error as Error).message}`,
        { cause: error },
      );
    });
    return this.storePromise;
  }

  /** The store as it is on disk now: other windows may have downloaded or deleted mail since this one looked. */
  private async fresh(): Promise<MessageStore> {
    const store = await this.store();
    await store.refresh();
    return store;
  }

  /** A signed-in session: with the password, or an OAuth2 token (renewed once if the server refuses it). */
  private async openSession(): Promise<Pop3Session> {
    const base = { server: this.options.server, log: this.log, timeouts: this.options.timeouts };
    const oauth = this.options.oauth;
    if (!oauth) return Pop3Session.open({ ...base, password: await this.options.password() });
    return withTokenRetry(
      oauth,
      (token) => Pop3Session.open({ ...base, accessToken: token }),
      (error) => error instanceof MailError && error.kind === 'auth',
    );
  }

  private folderFlag(folder: FolderPath): boolean {
    if (folder === POP3_INBOX) return false;
    if (folder === POP3_TRASH) return true;
    throw new MailError('notFound', `a POP3 account has only ${POP3_INBOX} and ${POP3_TRASH}, not "${folder}"`);
  }

  private toSummary(folder: FolderPath, message: StoredMessage): MessageSummary {
    const flags = message.file.flags;
    return {
      ref: { account: this.options.account, folder, id: message.uid },
      subject: message.summary.subject,
      from: message.summary.from,
      to: message.summary.to,
      date: message.summary.date ? new Date(message.summary.date) : message.firstSeen,
      ...(message.summary.date ? {} : { dateSource: 'downloaded' as const }),
      size: message.summary.size,
      flags: { seen: flags.has('S'), flagged: flags.has('F'), answered: flags.has('R'), draft: flags.has('D') },
      hasAttachments: message.summary.hasAttachments,
      messageId: message.summary.messageId,
      inReplyTo: message.summary.inReplyTo,
      references: message.summary.references,
    };
  }
}

function newestFirst(messages: StoredMessage[]): Array<{ message: StoredMessage; key: string }> {
  return messages
    .map((message) => ({ message, key: sortKey(message) }))
    .sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0));
}

/** Newest first by date (the download time when the Date header is missing), ties broken by UIDL. */
function sortKey(message: StoredMessage): string {
  const time = message.summary.date ? Date.parse(message.summary.date) : message.firstSeen.getTime();
  return `${String(time).padStart(15, '0')}|${message.uid}`;
}
