// mail/: the backend-neutral domain. Nothing here knows about IMAP, POP3 or VS Code; every backend translates
// its own objects into these types in exactly one place.

export type AccountId = string;
/** A folder's full path in Unicode, with the server's delimiter ("Archive/2024", "INBOX"). */
export type FolderPath = string;
export type Protocol = 'imap' | 'pop3';
/** tls: encrypted from the first byte; starttls: upgraded and required; none: clear text, only when asked for. */
export type Security = 'tls' | 'starttls' | 'none';

/** Where and how to reach one account's server. The password is passed separately and never stored here. */
export interface ServerSettings {
  host: string;
  port: number;
  security: Security;
  user: string;
  /**
   * SHA-256 fingerprint of a certificate the user chose to trust although no authority vouches for it
   * (self-signed, or issued for another name). Only that exact certificate is trusted, never "any certificate".
   */
  pinnedCertificateSha256?: string;
}

export type SpecialUse = 'inbox' | 'sent' | 'drafts' | 'trash' | 'junk' | 'archive' | 'all' | 'flagged';

export interface Folder {
  path: FolderPath;
  /** Last segment of the path, for display. */
  name: string;
  /** Hierarchy delimiter ('/' or '.'); empty for a flat store. */
  delimiter: string;
  /** Path of the parent folder, undefined at the top level. */
  parentPath?: FolderPath;
  specialUse?: SpecialUse;
  /** False for \Noselect containers that hold folders but no messages. */
  selectable: boolean;
  total: number;
  unread: number;
}

export interface Flags {
  seen: boolean;
  flagged: boolean;
  answered: boolean;
  draft: boolean;
}

/** A flag change: only the named flags change. */
export interface FlagChange {
  seen?: boolean;
  flagged?: boolean;
}

/**
 * Names one message. `id` is the backend's stable id within the folder (an IMAP UID, a POP3 UIDL);
 * `validity` (IMAP UIDVALIDITY) tells when every id of that folder became meaningless.
 */
export interface MessageRef {
  account: AccountId;
  folder: FolderPath;
  id: string;
  validity?: string;
}

export interface Address {
  name: string;
  address: string;
}

/** What a message's header block says, for a list (read without the body: protocols/mime/summarizeHeaders.ts). */
export interface HeaderSummary {
  subject: string;
  from: Address[];
  to: Address[];
  /** ISO date from the Date header, if it had a valid one. */
  date?: string;
  hasAttachments: boolean;
  size: number;
  /** Threading headers, ids without angle brackets (mail/messageIds.ts). */
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
}

/**
 * How a store reads the mail it keeps: the store itself parses no MIME (that stays in protocols/mime), so whoever
 * opens a store hands it these.
 */
export interface MessageReading {
  /** The list's summary, from the first bytes of a message (at most HEADER_BYTES) and its size. */
  summarize(start: Buffer, size: number): Promise<HeaderSummary>;
  /** What a person could search for in a message: its text, decoded and lower-cased, at most `limit` characters. */
  searchableText(raw: Buffer, limit: number): Promise<string>;
}

export interface MessageSummary {
  ref: MessageRef;
  subject: string;
  from: Address[];
  to: Address[];
  date?: Date;
  /**
   * Where `date` comes from when the message has no valid Date header: the time the server received it (IMAP
   * INTERNALDATE) or the time Letterbox downloaded it (POP3). Absent when `date` is the message's own.
   */
  dateSource?: 'received' | 'downloaded';
  size: number;
  flags: Flags;
  hasAttachments: boolean;
  /** A short plain-text preview, where the backend can get one cheaply. */
  preview?: string;
  /** Message-ID, without angle brackets: what replies name in In-Reply-To and References. */
  messageId?: string;
  inReplyTo?: string;
  /** At most a dozen, the first and the newest (mail/messageIds.ts boundedReferences). */
  references?: string[];
  /** The server's thread id where it has one (RFC 8474 THREADID, Gmail X-GM-THRID). */
  threadId?: string;
}

/** Paging is by cursor, not offset, so that mail arriving between two pages neither repeats nor skips one. */
export interface PageRequest {
  limit: number;
  /** Opaque cursor from the previous page's `next`; absent for the newest page. */
  after?: string;
}

export interface MessagePage {
  /** Newest first. */
  messages: MessageSummary[];
  /** Messages in the folder in all. */
  total: number;
  /** Cursor for the next (older) page; absent when this page reached the oldest message. */
  next?: string;
  /** IMAP: the folder's UIDVALIDITY and HIGHESTMODSEQ when listed, what a cache resynchronises from. */
  state?: { validity: string; modseq?: string };
}

/** What changed in a folder since a known state (IMAP CONDSTORE, RFC 7162, plus a UID comparison for expunges). */
export type FolderDelta =
  /** UIDVALIDITY changed: every cached id is meaningless (RFC 3501 2.3.1.1). */
  | { kind: 'rebuilt' }
  | {
      kind: 'changes';
      validity: string;
      modseq?: string;
      /** Known messages whose flags changed. */
      flags: Array<{ id: string; flags: Flags }>;
      /** Known messages that are gone. */
      removed: string[];
      /** Messages newer than every known one, newest first (at most the limit asked). */
      added: MessageSummary[];
      total: number;
    };

export interface Attachment {
  /** Stable within one parsed message; used to ask for this attachment again. */
  id: string;
  filename: string;
  contentType: string;
  size: number;
  /** Content-ID without angle brackets, for cid: references from the HTML body. */
  contentId?: string;
  /** True for parts the HTML body shows inline (cid images); false for real attachments. */
  inline: boolean;
  content: Uint8Array;
}

export interface MailMessage {
  ref: MessageRef;
  subject: string;
  from: Address[];
  to: Address[];
  cc: Address[];
  bcc: Address[];
  replyTo: Address[];
  date?: Date;
  messageId?: string;
  inReplyTo?: string;
  references: string[];
  /** Plain-text body, decoded to Unicode. */
  text?: string;
  /** HTML body as sent: hostile until the panel sanitises it. */
  html?: string;
  attachments: Attachment[];
  /** Said above the message when it could not be shown as sent (shown as raw text instead, say). */
  notice?: string;
}

/** Words to find (each must match; sender, subject or text), in one folder or in all folders of an account. */
export interface SearchRequest {
  words: string[];
  /** Absent: every folder of the account. */
  folder?: FolderPath;
  /** The most results to return (newest first). */
  limit: number;
}

export interface SearchResult {
  /** Newest first, across the folders searched. */
  messages: MessageSummary[];
  /** All matches, of which `messages` are the newest `limit`. */
  total: number;
  /** Said beside the results when the search had to be narrower than asked (a server refusing a charset). */
  note?: string;
}
