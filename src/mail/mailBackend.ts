// The one interface every mail backend implements (IMAP, POP3). Callers read `capabilities` and `localStore`
// instead of testing which protocol they hold, as aerc's Backend does.
import type { LocalStore } from './localStore';
import type { MailError } from './mailError';
import type {
  FlagChange,
  Flags,
  Folder,
  FolderPath,
  MailMessage,
  MessagePage,
  MessageRef,
  PageRequest,
  SearchRequest,
  SearchResult,
} from './types';

export interface BackendCapabilities {
  /** Folders live on the server and can be listed, and messages moved between them. */
  serverFolders: boolean;
  /** Flags (seen, flagged) are stored by the server rather than locally. */
  serverFlags: boolean;
  /** move() is available. */
  move: boolean;
  /** watch() reports changes made elsewhere: pushed by the server (IMAP IDLE), or by another window (shared store). */
  watch: boolean;
}

/**
 * What changed in a watched folder: new mail arrived, messages went away, or one message's flags changed (with
 * its id and flags when the server said them, so a list can update in place instead of reloading).
 */
export interface FolderChange {
  folder: FolderPath;
  /**
   * resumed: the watch was down for a while and is back; anything may have arrived meanwhile. counts: some
   * folders' counts changed (from watchCounts; `folder` is COUNTS_FOLDER).
   */
  kind: 'arrived' | 'removed' | 'flags' | 'unknown' | 'resumed' | 'counts';
  /** With 'arrived': how many messages arrived, where the server said. */
  count?: number;
  id?: string;
  flags?: Flags;
}

/** The pseudo-folder a counts watch reports under (no real folder has this path: it is not a valid mailbox name). */
export const COUNTS_FOLDER = '\u0000counts';

export interface Unsubscribe {
  dispose(): void;
}

/** What a backend remembers on disk of a server's state, shown at once at start and while offline. */
export interface MailCache {
  /** The folder list (with counts) as last seen. */
  folders(): Promise<Folder[] | undefined>;
  /** A folder's newest messages as last seen. */
  page(folder: FolderPath, limit: number): Promise<MessagePage | undefined>;
  /** Forgets everything cached for the account (Remove Account). */
  clear(): Promise<void>;
}

export interface MailBackend {
  readonly capabilities: BackendCapabilities;
  /** Present when the backend keeps a cache of a server's state (IMAP). */
  readonly cache?: MailCache;
  /** Present when mail is downloaded into a store on this computer (POP3): what the tree reads, what sync fills. */
  readonly localStore?: LocalStore;
  /**
   * Whether the backend is connected right now; absent where that is not a question (a local store). An operation
   * answered from a cache while offline succeeds without making the account "online".
   */
  isConnected?(): boolean;
  /** Connects and authenticates; rejects with a MailError saying why not. Other methods connect on demand. */
  connect(): Promise<void>;
  /**
   * One round trip on the working connection (opening it if needed): is the server still there? A connection that
   * died silently (a laptop that slept) looks connected until something is sent on it.
   */
  ping?(): Promise<void>;
  listFolders(): Promise<Folder[]>;
  listMessages(folder: FolderPath, page: PageRequest): Promise<MessagePage>;
  /** Fetches and parses one message. Reading does not mark it seen: that is the caller's explicit choice. */
  fetchMessage(ref: MessageRef): Promise<MailMessage>;
  /** The raw RFC 5322 source, for "View Source". */
  fetchSource(ref: MessageRef): Promise<Uint8Array>;
  setFlags(refs: MessageRef[], change: FlagChange): Promise<void>;
  /** Finds messages by words in sender, subject or text (IMAP: on the server; local stores: here). */
  search(request: SearchRequest): Promise<SearchResult>;
  /** Marks every message in the folder read (IMAP: one STORE over all UIDs). */
  markFolderRead(folder: FolderPath): Promise<void>;
  /** Deletes the way the protocol and the account's policy say (IMAP: to Trash, or expunge exactly these). */
  delete(refs: MessageRef[]): Promise<void>;
  move(refs: MessageRef[], target: FolderPath): Promise<void>;
  /**
   * Reports server-side changes to a folder until disposed. If the watching connection is lost, `onLost` is called
   * once and the watch is over: the caller (AccountSessions, the one reconnect policy) decides when to watch again.
   */
  watch(
    folder: FolderPath,
    onChange: (change: FolderChange) => void,
    onLost?: (error: MailError) => void,
  ): Promise<Unsubscribe>;
  /**
   * Reports that folder counts changed anywhere in the account ('counts' changes), on one connection, until
   * disposed; rejects with an 'unsupported' MailError where the server cannot (no IMAP NOTIFY): then the caller
   * polls the counts. Lost like watch(): `onLost` once, and the caller decides when to try again.
   */
  watchCounts?(onChange: (change: FolderChange) => void, onLost?: (error: MailError) => void): Promise<Unsubscribe>;
  /** Says goodbye to the server (LOGOUT/QUIT) and frees the connection. Safe to call twice. */
  close(): Promise<void>;
}
