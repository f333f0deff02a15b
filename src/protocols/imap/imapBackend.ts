// The IMAP MailBackend: mail, folders and flags stay on the server; bodies are fetched only when opened.
// imapflow discipline: every mailbox operation holds a mailbox lock released in `finally`; UIDs everywhere;
// no command is issued inside a `for await` over fetch() (collect first, then act).
import type { ImapFlow, MailboxObject } from 'imapflow';
import type { BackendCapabilities, FolderChange, MailBackend, Unsubscribe } from '../../mail/mailBackend';
import { MailError } from '../../mail/mailError';
import { taggedLogger, type Logger } from '../../mail/logger';
import type {
  AccountId,
  FlagChange,
  Folder,
  FolderDelta,
  FolderPath,
  MailMessage,
  MessagePage,
  MessageRef,
  MessageSummary,
  PageRequest,
  SearchRequest,
  SearchResult,
  ServerSettings,
} from '../../mail/types';
import { parseMessage } from '../mime/loadParser';
import { openImapSession, type ImapSession, type ImapTimeouts } from './imapConnection';
import { toMailError } from './imapErrors';
import { decodeCursor, encodeCursor, groupByFolder, uidSet } from './imapRefs';
import { layoutFolders } from './folderLayout';
import { folderDelta, qresyncDelta, qresyncListener, type KnownState } from './imapResync';
import { newestFirst, searchFolder } from './imapSearch';
import { fetchNewest, newestBySequence, olderBySearch, olderBySequence } from './imapSummaries';
import { toFolder } from './imapTranslate';
import { watchFolder, type WatchContext } from './imapWatch';
import { watchCounts } from './imapNotify';
import { expungeExactly, moveExactly } from './imapMoves';
import { withTokenRetry, type AccessTokens } from '../../mail/accessTokens';

export interface ImapBackendOptions {
  account: AccountId;
  server: ServerSettings;
  /** Asked on every (re)connect, so a password changed in SecretStorage is used without a restart. */
  password: () => Promise<string>;
  /** Signs in with OAuth2 access tokens instead of the password (XOAUTH2 or OAUTHBEARER, as the server offers). */
  oauth?: AccessTokens;
  log: Logger;
  timeouts?: Partial<ImapTimeouts>;
  /** How often a watched folder is polled (NOOP) on a server without IDLE; imapflow polls at most every 2 min. */
  pollMs?: () => number;
}

export class ImapBackend implements MailBackend {
  readonly capabilities: BackendCapabilities = { serverFolders: true, serverFlags: true, move: true, watch: true };
  private session: ImapSession | undefined;
  private opening: Promise<ImapSession> | undefined;
  private trashPath: FolderPath | null | undefined;
  /** Display names by real path, so messages name folders as the tree does ("Trash", not "INBOX.Trash"). */
  private folderNames = new Map<FolderPath, string>();
  private readonly log: Logger;
  private readonly watchers = new Set<ImapFlow>();
  private closed = false;

  constructor(private readonly options: ImapBackendOptions) {
    this.log = taggedLogger(options.log, `imap:${options.account}`);
  }

  private get server(): ServerSettings {
    return this.options.server;
  }

  isConnected(): boolean {
    return this.session?.client.usable === true;
  }

  async connect(): Promise<void> {
    await this.open();
  }

  async ping(): Promise<void> {
    const { client } = await this.open();
    try {
      await client.noop();
    } catch (error) {
      throw toMailError(error, `cannot reach ${this.server.host}`, this.server);
    }
    // imapflow answers a NOOP on a connection that died under it without throwing; it is no longer usable then.
    if (!client.usable) throw new MailError('network', `the connection to ${this.server.host} was lost`);
  }

  async listFolders(): Promise<Folder[]> {
    const { client } = await this.open();
    try {
      // The selected mailbox's counts can be stale until the server reports its news, which it does on NOOP.
      if (client.mailbox) await client.noop();
      // LIST-STATUS (RFC 5819) where offered: one round trip for the whole tree with counts; imapflow falls back
      // to one STATUS per folder otherwise.
      const entries = await client.list({ statusQuery: { messages: true, unseen: true } });
      // NAMESPACE (RFC 2342), which imapflow reads at login: the personal prefix and other users' and shared folders.
      const folders = layoutFolders(entries.map(toFolder), client.namespaces ?? undefined);
      this.folderNames = new Map(folders.map((folder) => [folder.path, folder.name]));
      this.trashPath = folders.find((folder) => folder.specialUse === 'trash')?.path ?? null;
      return folders;
    } catch (error) {
      throw toMailError(error, `cannot list the folders of ${this.server.host}`, this.server);
    }
  }

  async listMessages(folder: FolderPath, page: PageRequest): Promise<MessagePage> {
    return this.inFolder(
      folder,
      `cannot list messages in ${this.nameOf(folder)}`,
      async (client, mailbox, selectedNow) => {
        // A folder selected earlier on this connection shows new mail only once the server may report it (RFC 3501
        // 6.1.2): the newest page asks with a NOOP first, so mail that IDLE announced is really in it. A SELECT made
        // just now has reported everything already.
        if (!page.after && !selectedNow) await client.noop();
        const validity = String(mailbox.uidValidity);
        const cursor = page.after ? decodeCursor(page.after) : undefined;
        if (cursor && cursor.validity !== validity) {
          // RFC 3501 2.3.1.1: a new UIDVALIDITY means every UID we handed out is meaningless now.
          throw new MailError(
            'stale',
            `folder ${this.nameOf(folder)} was rebuilt on the server (UIDVALIDITY changed); reload it from the top`,
          );
        }
        if (mailbox.exists === 0 || (cursor && cursor.beforeUid <= 1)) return { messages: [], total: mailbox.exists };
        const base = { account: this.options.account, folder, validity };
        const state = { validity, modseq: mailbox.highestModseq?.toString() };
        const fetched = cursor
          ? ((await olderBySequence(client, cursor, page.limit, base, selectedNow)) ??
            (await olderBySearch(client, cursor, page.limit, base)))
          : await newestBySequence(client, mailbox.exists, page.limit, base);
        const oldest = fetched.at(-1);
        return {
          messages: fetched.map((message) => message.summary),
          total: mailbox.exists,
          // Sequence number 1 is the oldest message: nothing below it.
          next:
            oldest && oldest.seq > 1 ? encodeCursor({ validity, beforeUid: oldest.uid, seq: oldest.seq }) : undefined,
          state,
        };
      },
    );
  }

  async fetchSource(ref: MessageRef): Promise<Uint8Array> {
    return this.inFolder(
      ref.folder,
      `cannot fetch message ${ref.id} from ${this.nameOf(ref.folder)}`,
      async (client, mailbox) => {
        this.checkValidity(ref, mailbox);
        // imapflow fetches `source` with BODY.PEEK[], so reading never sets \Seen behind the user's back.
        const message = await client.fetchOne(ref.id, { uid: true, source: true }, { uid: true });
        if (!message || !message.source) {
          throw new MailError(
            'notFound',
            `it is no longer in ${this.nameOf(ref.folder)} (moved or deleted elsewhere); refresh the folder`,
          );
        }
        // A Buffer is a Uint8Array: handed on as it is, not copied (a 10 MB message would be held twice).
        return message.source;
      },
    );
  }

  async fetchMessage(ref: MessageRef): Promise<MailMessage> {
    return parseMessage(ref, await this.fetchSource(ref));
  }

  async setFlags(refs: MessageRef[], change: FlagChange): Promise<void> {
    const add: string[] = [];
    const remove: string[] = [];
    if (change.seen !== undefined) (change.seen ? add : remove).push('\\Seen');
    if (change.flagged !== undefined) (change.flagged ? add : remove).push('\\Flagged');
    for (const [folder, group] of groupByFolder(refs)) {
      await this.inFolder(folder, `cannot change flags in ${this.nameOf(folder)}`, async (client, mailbox) => {
        group.forEach((ref) => this.checkValidity(ref, mailbox));
        const set = uidSet(group.map((ref) => Number(ref.id)));
        if (add.length && !(await client.messageFlagsAdd(set, add, { uid: true })))
          this.refused(client, 'setting flags');
        if (remove.length && !(await client.messageFlagsRemove(set, remove, { uid: true })))
          this.refused(client, 'clearing flags');
      });
    }
  }

  /**
   * What changed in a folder since a cached state (for the cache in sync/; see imapResync.ts). Where the server
   * offers QRESYNC (RFC 7162) and the folder is not open on this connection yet, the SELECT itself reports the
   * changed flags and the vanished UIDs; otherwise CONDSTORE and a UID comparison find them.
   */
  async changesSince(folder: FolderPath, known: KnownState, limit: number): Promise<FolderDelta> {
    const base = { account: this.options.account, folder };
    const { client } = await this.open();
    if (known.modseq && client.enabled.has('QRESYNC') && (!client.mailbox || client.mailbox.path !== folder)) {
      const reported = qresyncListener(folder);
      return this.inFolder(
        folder,
        `cannot update ${this.nameOf(folder)}`,
        async (selected, mailbox) => {
          reported.stop(selected);
          return qresyncDelta(selected, mailbox, known, reported, base, limit);
        },
        {
          before: (selecting) => reported.start(selecting),
          options: { changedSince: known.modseq, uidValidity: known.validity },
        },
      );
    }
    return this.inFolder(folder, `cannot update ${this.nameOf(folder)}`, async (selected, mailbox) => {
      await selected.noop();
      return folderDelta(selected, mailbox, known, base, limit);
    });
  }

  async search(request: SearchRequest): Promise<SearchResult> {
    const folders = request.folder
      ? [request.folder]
      : (await this.listFolders()).filter((folder) => folder.selectable).map((folder) => folder.path);
    const found: MessageSummary[] = [];
    const notes = new Set<string>();
    let total = 0;
    for (const folder of folders) {
      await this.inFolder(folder, `cannot search ${this.nameOf(folder)}`, async (client, mailbox) => {
        if (!mailbox.exists) return;
        const matches = await searchFolder(client, request.words);
        if (matches.note) notes.add(matches.note);
        total += matches.uids.length;
        const base = { account: this.options.account, folder, validity: String(mailbox.uidValidity) };
        found.push(...(await fetchNewest(client, matches.uids, request.limit, base)));
      });
    }
    return { messages: found.sort(newestFirst).slice(0, request.limit), total, note: [...notes][0] };
  }

  async markFolderRead(folder: FolderPath): Promise<void> {
    await this.inFolder(folder, `cannot mark ${this.nameOf(folder)} as read`, async (client, mailbox) => {
      if (!mailbox.exists) return;
      if (!(await client.messageFlagsAdd('1:*', ['\\Seen'], { uid: true })))
        this.refused(client, 'marking the folder as read');
    });
  }

  async delete(refs: MessageRef[]): Promise<void> {
    const trash = await this.trashFolder();
    for (const [folder, group] of groupByFolder(refs)) {
      if (trash && folder !== trash) {
        await this.moveGroup(
          folder,
          group,
          trash,
          `cannot move ${describe(group)} from ${this.nameOf(folder)} to ${this.nameOf(trash)}`,
        );
        continue;
      }
      // Inside Trash, or with no Trash at all: remove exactly these UIDs.
      await this.inFolder(
        folder,
        `cannot delete ${describe(group)} from ${this.nameOf(folder)}`,
        async (client, mailbox) => {
          group.forEach((ref) => this.checkValidity(ref, mailbox));
          const set = uidSet(group.map((ref) => Number(ref.id)));
          await expungeExactly(client, set, (refusing, what) => this.refused(refusing, what), this.server.host);
        },
      );
    }
  }

  async move(refs: MessageRef[], target: FolderPath): Promise<void> {
    for (const [folder, group] of groupByFolder(refs)) {
      if (folder === target) continue;
      await this.moveGroup(
        folder,
        group,
        target,
        `cannot move ${describe(group)} from ${this.nameOf(folder)} to ${this.nameOf(target)}`,
      );
    }
  }

  watch(
    folder: FolderPath,
    onChange: (change: FolderChange) => void,
    onLost?: (error: MailError) => void,
  ): Promise<Unsubscribe> {
    return watchFolder(this.watchContext(), folder, onChange, onLost);
  }

  watchCounts(onChange: (change: FolderChange) => void, onLost?: (error: MailError) => void): Promise<Unsubscribe> {
    return watchCounts(this.watchContext(), onChange, onLost);
  }

  /** What a watching connection needs: its own signed-in session, kept among the backend's watchers. */
  private watchContext(): WatchContext {
    return {
      open: () => this.signIn(true),
      watchers: this.watchers,
      closed: () => this.closed,
      server: this.server,
      log: this.log,
      pollMs: this.options.pollMs,
      nameOf: (path) => this.nameOf(path),
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    const watchers = [...this.watchers];
    this.watchers.clear();
    const session = this.session ?? (await this.opening?.catch(() => undefined));
    this.session = undefined;
    await Promise.all([...watchers, ...(session ? [session.client] : [])].map(logout));
  }

  private async moveGroup(folder: FolderPath, group: MessageRef[], target: FolderPath, action: string): Promise<void> {
    await this.inFolder(folder, action, async (client, mailbox) => {
      group.forEach((ref) => this.checkValidity(ref, mailbox));
      const refused = (refusing: ImapFlow, what: string) => this.refused(refusing, what);
      await moveExactly(client, uidSet(group.map((ref) => Number(ref.id))), target, refused, this.server.host);
    });
  }

  /** The folder as the tree names it (quoted when it is not simply its path). */
  private nameOf(path: FolderPath): string {
    const name = this.folderNames.get(path);
    return name && name.toLowerCase() !== path.toLowerCase() ? `${name} (${path})` : path;
  }

  private async trashFolder(): Promise<FolderPath | null> {
    if (this.trashPath === undefined) await this.listFolders();
    return this.trashPath ?? null;
  }

  private checkValidity(ref: MessageRef, mailbox: MailboxObject): void {
    if (ref.validity !== undefined && ref.validity !== String(mailbox.uidValidity)) {
      throw new MailError(
        'stale',
        `folder ${this.nameOf(ref.folder)} was rebuilt on the server (UIDVALIDITY changed); refresh it`,
      );
    }
  }

  /**
   * imapflow answers `false` both when the server said NO and when the connection died under the command. The two
   * mean different things to the user: a refusal is final; a lost connection leaves the outcome unknown, so the
   * error says so (the tree reloads what the server really holds).
   */
  private refused(client: ImapFlow, what: string): never {
    if (!client.usable) {
      throw new MailError(
        'network',
        `the connection to ${this.server.host} was lost while ${what}; it may or may not have been done. Refresh to see the current state`,
      );
    }
    const answer = this.session?.lastRefusal();
    throw new MailError('protocol', `${this.server.host} refused ${what}${answer ? `: ${answer}` : ''}`);
  }

  /** `work` learns whether the folder was selected just now: then the server has just reported its state. */
  private async inFolder<T>(
    folder: FolderPath,
    action: string,
    work: (client: ImapFlow, mailbox: MailboxObject, selectedNow: boolean) => Promise<T>,
    select?: {
      before?: (client: ImapFlow) => Promise<void> | void;
      options?: { changedSince?: string; uidValidity?: string };
    },
  ): Promise<T> {
    const { client } = await this.open();
    let lock;
    let selectedNow = false;
    try {
      await select?.before?.(client);
      selectedNow = !client.mailbox || client.mailbox.path !== folder;
      lock = await client.getMailboxLock(folder, select?.options);
    } catch (error) {
      throw toMailError(error, `${action}: cannot open folder ${this.nameOf(folder)}`, this.server);
    }
    try {
      return await work(client, client.mailbox as MailboxObject, selectedNow);
    } catch (error) {
      throw toMailError(error, action, this.server);
    } finally {
      lock.release();
    }
  }

  private async open(): Promise<ImapSession> {
    if (this.closed) throw new MailError('network', `the connection to ${this.server.host} was closed`);
    if (this.session?.client.usable) return this.session;
    this.opening ??= this.signIn(false)
      .then((session) => {
        this.session = session;
        this.trashPath = undefined;
        return session;
      })
      .finally(() => {
        this.opening = undefined;
      });
    return this.opening;
  }

  /** A signed-in session of the working or a watching connection: with the password, or an OAuth2 token. */
  private async signIn(idle: boolean): Promise<ImapSession> {
    const oauth = this.options.oauth;
    if (!oauth) return openImapSession({ ...this.sessionOptions(await this.options.password()), idle });
    return withTokenRetry(
      oauth,
      (token) => openImapSession({ ...this.sessionOptions(undefined, token), idle }),
      (error) => error instanceof MailError && error.kind === 'auth',
    );
  }

  private sessionOptions(password: string | undefined, accessToken?: string) {
    return { server: this.server, password, accessToken, log: this.log, timeouts: this.options.timeouts };
  }
}

function describe(group: MessageRef[]): string {
  return group.length === 1 ? `message ${group[0].id}` : `${group.length} messages`;
}

async function logout(client: ImapFlow): Promise<void> {
  try {
    if (client.usable) await client.logout();
  } catch {
    client.close();
  }
}
