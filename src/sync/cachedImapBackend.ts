// IMAP with a memory: the imapflow backend (protocols/imap) combined with the cache on disk (store/). A folder's
// newest page is resynchronised from its cached state, asking the server only what changed (CONDSTORE CHANGEDSINCE
// and a UID comparison, protocols/imap/imapResync.ts); a changed UIDVALIDITY throws that folder's cache away (RFC
// 3501 2.3.1.1). Opened messages are kept, so they open again offline, and go when they leave the server. The
// cache belongs to one mailbox (host, port, user: store/cacheOwner.ts): nothing of it is read before that is
// checked. Everything else goes to the server as is.
import type { Logger } from '../mail/logger';
import type { BackendCapabilities, FolderChange, MailBackend, MailCache, Unsubscribe } from '../mail/mailBackend';
import { MailError } from '../mail/mailError';
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
} from '../mail/types';
import type { ImapBackend } from '../protocols/imap/imapBackend';
import { encodeCursor } from '../protocols/imap/imapRefs';
import { parseMessage } from '../protocols/mime/loadParser';
import type { BodyCache } from '../store/bodyCache';
import { claimCache } from '../store/cacheOwner';
import { MAX_CACHED_MESSAGES, type CachedFolder, type ImapCache } from '../store/imapCache';

export interface CacheOwnership {
  /** The folder that holds this account's cache and bodies. */
  root: string;
  /** Who the mailbox is (host, port and user, as one string). */
  owner: string;
}

export class CachedImapBackend implements MailBackend {
  readonly capabilities: BackendCapabilities;
  readonly cache: MailCache;
  private readonly known = new Map<FolderPath, CachedFolder>();
  private claimed: Promise<void> | undefined;

  constructor(
    private readonly imap: ImapBackend,
    private readonly store: ImapCache,
    private readonly bodies: BodyCache,
    private readonly log: Logger,
    private readonly ownership: CacheOwnership,
  ) {
    this.capabilities = imap.capabilities;
    this.cache = {
      folders: async () => {
        await this.owned();
        return store.folders();
      },
      page: async (folder, limit) => {
        const cached = await this.cached(folder);
        return cached ? pageOf(cached, limit) : undefined;
      },
      clear: () => this.dropCache(),
    };
  }

  /** The cache is this mailbox's (another one's is dropped first); every read and write waits for this. */
  private owned(): Promise<void> {
    this.claimed ??= claimCache(this.ownership.root, this.ownership.owner, async () => {
      this.log.info(
        "the cache on disk belongs to another mailbox (the account's server or user changed), or to an older version; it is dropped",
      );
      await this.dropCache();
    }).catch((error: Error) => {
      this.claimed = undefined;
      throw new MailError('storage', `cannot check the cache in ${this.ownership.root}: ${error.message}`, {
        cause: error,
      });
    });
    return this.claimed;
  }

  private async dropCache(): Promise<void> {
    this.known.clear();
    await this.store.clear();
    await this.bodies.clear();
  }

  isConnected(): boolean {
    return this.imap.isConnected();
  }

  connect(): Promise<void> {
    return this.imap.connect();
  }

  ping(): Promise<void> {
    return this.imap.ping();
  }

  async listFolders(): Promise<Folder[]> {
    const folders = await this.imap.listFolders();
    await this.owned();
    await this.store
      .saveFolders(folders)
      .catch((error: Error) => this.log.warn(`cannot cache the folder list: ${error.message}`));
    return folders;
  }

  async listMessages(folder: FolderPath, page: PageRequest): Promise<MessagePage> {
    if (page.after) return this.imap.listMessages(folder, page);
    const cached = await this.cached(folder);
    if (cached) {
      const resynced = await this.resync(cached, page.limit);
      if (resynced) return resynced;
    }
    const live = await this.imap.listMessages(folder, page);
    if (live.state) {
      await this.save({
        path: folder,
        validity: live.state.validity,
        modseq: live.state.modseq,
        messages: live.messages,
        total: live.total,
      });
      // Listed without a cache to compare with: kept bodies in its reach that the server no longer has go.
      await this.bodies
        .forgetUnlisted(
          folder,
          live.state.validity,
          live.messages.map((message) => message.ref.id),
        )
        .catch(() => undefined);
    }
    return live;
  }

  /** Cached first (a message never changes under its UID), then the server, keeping what it sends. */
  async fetchSource(ref: MessageRef): Promise<Uint8Array> {
    await this.owned();
    const kept = await this.bodies.get(ref).catch(() => undefined);
    if (kept) return kept;
    const bytes = await this.imap.fetchSource(ref);
    await this.bodies
      .put(ref, bytes)
      .catch((error: Error) => this.log.warn(`cannot cache message ${ref.id}: ${error.message}`));
    return bytes;
  }

  async fetchMessage(ref: MessageRef): Promise<MailMessage> {
    return parseMessage(ref, await this.fetchSource(ref));
  }

  setFlags(refs: MessageRef[], change: FlagChange): Promise<void> {
    return this.imap.setFlags(refs, change);
  }

  markFolderRead(folder: FolderPath): Promise<void> {
    return this.imap.markFolderRead(folder);
  }

  search(request: SearchRequest): Promise<SearchResult> {
    return this.imap.search(request);
  }

  /** Deleted (moved to Trash, or expunged there): the kept bodies under these references go either way. */
  async delete(refs: MessageRef[]): Promise<void> {
    try {
      await this.imap.delete(refs);
      await this.forgetListed(refs);
    } finally {
      // Even when the outcome is unknown: losing a kept body costs one fetch, keeping a deleted one keeps mail.
      await this.bodies.forget(refs).catch(() => undefined);
    }
  }

  /** A moved message has a new UID in its new folder (unknown without COPYUID), so its kept body is dropped. */
  async move(refs: MessageRef[], target: FolderPath): Promise<void> {
    try {
      await this.imap.move(refs, target);
      await this.forgetListed(refs.filter((ref) => ref.folder !== target));
    } finally {
      await this.bodies.forget(refs.filter((ref) => ref.folder !== target)).catch(() => undefined);
    }
  }

  watch(
    folder: FolderPath,
    onChange: (change: FolderChange) => void,
    onLost?: (error: MailError) => void,
  ): Promise<Unsubscribe> {
    return this.imap.watch(folder, onChange, onLost);
  }

  watchCounts(onChange: (change: FolderChange) => void, onLost?: (error: MailError) => void): Promise<Unsubscribe> {
    return this.imap.watchCounts(onChange, onLost);
  }

  close(): Promise<void> {
    return this.imap.close();
  }

  /** The cached page brought up to date, or undefined when the cache cannot be used (rebuilt folder, big gap). */
  private async resync(cached: CachedFolder, limit: number): Promise<MessagePage | undefined> {
    const delta = await this.imap.changesSince(
      cached.path,
      { validity: cached.validity, modseq: cached.modseq, ids: cached.messages.map((message) => message.ref.id) },
      MAX_CACHED_MESSAGES,
    );
    if (delta.kind === 'rebuilt') {
      this.log.info(`${cached.path} was rebuilt on the server (UIDVALIDITY changed); its cache is dropped`);
      this.known.delete(cached.path);
      await this.store.forgetFolder(cached.path);
      await this.bodies.forgetFolder(cached.path).catch(() => undefined);
      return undefined;
    }
    // Expunged elsewhere (VANISHED, or missing from the UID comparison): their kept bodies go too.
    if (delta.removed.length) {
      await this.bodies
        .forget(delta.removed.map((id) => ({ account: '', folder: cached.path, id, validity: cached.validity })))
        .catch(() => undefined);
    }
    // More new mail than one fetch brings: a gap between it and the cache would hide messages, so start afresh.
    if (delta.added.length >= MAX_CACHED_MESSAGES) return undefined;
    const removed = new Set(delta.removed);
    const flags = new Map(delta.flags.map((change) => [change.id, change.flags]));
    const kept = cached.messages
      .filter((message) => !removed.has(message.ref.id))
      .map((message) => (flags.has(message.ref.id) ? { ...message, flags: flags.get(message.ref.id)! } : message));
    const state: CachedFolder = {
      path: cached.path,
      validity: delta.validity,
      modseq: delta.modseq,
      messages: [...delta.added, ...kept],
      total: delta.total,
    };
    await this.save(state);
    return pageOf(state, limit);
  }

  /**
   * A folder's cached state, read from disk once per window: painting a folder and resynchronising it right after
   * use the same read. Another window's newer file is not missed for long: a resync from an older state is still
   * right (the server reports everything since it), and its result is written back.
   */
  private async cached(folder: FolderPath): Promise<CachedFolder | undefined> {
    await this.owned();
    const known = this.known.get(folder) ?? (await this.store.folder(folder));
    if (known) this.known.set(folder, known);
    return known;
  }

  /**
   * Messages this window deleted or moved leave the cached lists at once: a cached page shown next (a folder
   * reloaded after the server's EXPUNGE, a window opened offline) must not show them again. The server's count
   * comes with the next resync.
   */
  private async forgetListed(refs: MessageRef[]): Promise<void> {
    const byFolder = new Map<FolderPath, Set<string>>();
    for (const ref of refs) byFolder.set(ref.folder, (byFolder.get(ref.folder) ?? new Set()).add(ref.id));
    for (const [folder, ids] of byFolder) {
      const cached = await this.cached(folder).catch(() => undefined);
      if (!cached) continue;
      const messages = cached.messages.filter((message) => !ids.has(message.ref.id));
      const gone = cached.messages.length - messages.length;
      if (gone) await this.save({ ...cached, messages, total: Math.max(0, cached.total - gone) });
    }
  }

  private async save(full: CachedFolder): Promise<void> {
    const state = { ...full, messages: full.messages.slice(0, MAX_CACHED_MESSAGES) };
    this.known.set(state.path, state);
    await this.store
      .saveFolder(state)
      .catch((error: Error) => this.log.warn(`cannot cache ${state.path}: ${error.message}`));
  }
}

/** The newest `limit` of a cached folder as a page, with the cursor the server backend understands. */
function pageOf(state: CachedFolder, limit: number): MessagePage {
  const messages: MessageSummary[] = state.messages.slice(0, limit);
  const last = messages.at(-1);
  const more = state.total > messages.length && last !== undefined;
  return {
    messages,
    total: state.total,
    next: more ? encodeCursor({ validity: state.validity, beforeUid: Number(last.ref.id) }) : undefined,
    state: { validity: state.validity, modseq: state.modseq },
  };
}
