// The typed contract between the extension and the message panel's webview, imported by both sides (the shape
// of vscode-hexeditor's shared/protocol.ts). Events flow one way; requests get exactly one reply, which may carry
// an error that rejects the waiting promise on the other side.

export interface PanelAddress {
  name: string;
  address: string;
}

export interface PanelAttachment {
  id: string;
  filename: string;
  contentType: string;
  size: number;
}

/** What the panel shows of one message. HTML arrives unsanitised: the webview sanitises it before anything else. */
export interface PanelMessage {
  subject: string;
  from: PanelAddress[];
  to: PanelAddress[];
  cc: PanelAddress[];
  /** ISO date, shown in the user's locale by the webview. */
  date?: string;
  /** The folder it is in, by the name the tree uses ("Trash", not "INBOX.Trash"). */
  folder?: string;
  /** Set when `date` is not the message's own (it has no valid Date header): how it was found instead. */
  dateNote?: string;
  html?: string;
  text?: string;
  attachments: PanelAttachment[];
  /** Inline parts referenced by cid:, as data: URLs, keyed by Content-ID. */
  inlineImages: Record<string, string>;
  flags: { seen: boolean; flagged: boolean };
  /**
   * Which body to show when there is HTML: the HTML, or text (the message's own text part, or text made from the
   * sanitised HTML). Remembered per sender by the extension.
   */
  view: 'html' | 'text';
  /** Why the message is not shown as sent (it could not be taken apart and is shown as raw text, say). */
  notice?: string;
  /** Where the message lives, for the toolbar's wording ("Delete" in Trash deletes for good). */
  inTrash: boolean;
  pinned: boolean;
}

export interface RemoteContentPolicy {
  /** Remote images, fonts and styles may load (after "Load once", or for an allowed sender). */
  allowed: boolean;
  /** Why: 'sender' when the sender is on the allow list. */
  reason?: 'once' | 'sender';
}

/** A way forward from a failure (mail/waysForward.ts), as the panel offers it: an id to send back, a title to show. */
export interface PanelWay {
  id: string;
  title: string;
}

/**
 * One message of a conversation (a thread in one panel): its header always, its body once loaded. The same
 * PanelMessage as the message panel, sanitised the same way by the webview; remote content never loads here (the
 * page's policy blocks it): "Open" shows the message alone, where the remote-content rules apply.
 */
export interface ConversationEntry {
  /** Names the message in requests about it (MessageTarget.key). */
  key: string;
  /** How deep in the reply tree (0 at the top), for indentation. */
  depth: number;
  subject: string;
  from: PanelAddress[];
  date?: string;
  /** Set when the message lives in another folder than the conversation's (a reply kept in Sent). */
  folder?: string;
  flags: { seen: boolean; flagged: boolean };
  hasAttachments: boolean;
  /** Shown open (unread when the conversation opened, or opened by the user); its body follows when loaded. */
  expanded: boolean;
  message?: PanelMessage;
  /** Why the body could not be loaded. */
  failed?: string;
}

/** Extension -> webview, no reply. */
export type PanelEvent =
  | { type: 'message/show'; message: PanelMessage; remote: RemoteContentPolicy; restore: PanelRestoreState }
  | { type: 'message/flags'; flags: { seen: boolean; flagged: boolean } }
  /** The message could not be shown: why, the failure's kind, and what the user can do about it. */
  | { type: 'message/failed'; text: string; kind?: string; ways: PanelWay[] }
  | { type: 'conversation/show'; subject: string; entries: ConversationEntry[] }
  /** One entry changed (its body arrived, its flags changed, it failed to load). */
  | { type: 'conversation/entry'; entry: ConversationEntry }
  /** The message left the conversation (deleted or moved). */
  | { type: 'conversation/removed'; key: string };

/**
 * Which message a request is about: in a conversation, the entry's key; in the message panel, absent (the message
 * on show).
 */
export interface MessageTarget {
  key?: string;
}

/** Webview -> extension, each answered by one reply. */
export type PanelRequest =
  | ({ type: 'message/markUnread' } & MessageTarget)
  | ({ type: 'message/toggleFlag' } & MessageTarget)
  | ({ type: 'message/delete' } & MessageTarget)
  | ({ type: 'message/move' } & MessageTarget)
  | ({ type: 'message/viewSource' } & MessageTarget)
  | ({ type: 'message/copySender' } & MessageTarget)
  | { type: 'panel/keepOpen' }
  | ({ type: 'attachment/save'; attachmentId: string } & MessageTarget)
  | ({ type: 'attachment/open'; attachmentId: string } & MessageTarget)
  | { type: 'link/open'; href: string; text: string }
  | { type: 'remote/loadOnce' }
  | { type: 'remote/allowSender' }
  | { type: 'failure/act'; way: string }
  /** Show this sender's mail as HTML or as text from now on (the extension shows the message again). */
  | ({ type: 'view/remember'; view: 'html' | 'text' } & MessageTarget)
  /** Open a conversation's entry (its body follows as a conversation/entry event), or close it. */
  | { type: 'conversation/expand'; key: string; expanded: boolean }
  /** Show a conversation's message alone in the message panel (where remote content can be allowed). */
  | { type: 'conversation/openAlone'; key: string }
  /** The whole thread: mark read or unread, move or delete (the folder's own messages; replies stay in Sent). */
  | { type: 'conversation/thread'; action: 'markRead' | 'markUnread' | 'move' | 'delete' };

/** What each request's reply carries. A mapped type, so every request has its row and the handler its return type. */
export interface PanelReplies {
  'message/markUnread': void;
  'message/toggleFlag': { flagged: boolean };
  /** done: false when the user cancelled; removed: the message left this folder (the panel closes). */
  'message/delete': { done: boolean; removed: boolean };
  'message/move': { done: boolean; removed: boolean };
  'message/viewSource': void;
  'message/copySender': { copied: string };
  'panel/keepOpen': void;
  'attachment/save': void;
  'attachment/open': void;
  'link/open': void;
  'remote/loadOnce': void;
  'remote/allowSender': void;
  'failure/act': void;
  'view/remember': void;
  'conversation/expand': void;
  'conversation/openAlone': void;
  /** done: false when the user cancelled. */
  'conversation/thread': { done: boolean };
}

export type PanelRequestType = PanelRequest['type'];
export type RequestOf<T extends PanelRequestType> = Extract<PanelRequest, { type: T }>;
export type ReplyTo<T extends PanelRequestType> = PanelReplies[T];

/**
 * How long the webview waits for a reply before giving up with an error. Requests that may wait on the user (a
 * confirmation, a folder or file picker) have none.
 */
export const REPLY_TIMEOUT_MS: Record<PanelRequestType, number | undefined> = {
  'message/markUnread': 30_000,
  'message/toggleFlag': 30_000,
  'message/delete': undefined,
  'message/move': undefined,
  'message/viewSource': 30_000,
  'message/copySender': 10_000,
  'panel/keepOpen': 10_000,
  'attachment/save': undefined,
  'attachment/open': undefined,
  'link/open': undefined,
  'remote/loadOnce': 10_000,
  'remote/allowSender': 30_000,
  'failure/act': undefined,
  'view/remember': 10_000,
  'conversation/expand': 60_000,
  'conversation/openAlone': 30_000,
  'conversation/thread': undefined,
};

/** Kept by the webview (vscode.setState) so the panel can reopen the same message after a window reload. */
export interface PanelRestoreState {
  account: string;
  folder: string;
  id: string;
  validity?: string;
  pinned: boolean;
}

/** The envelope every message travels in. */
export type WireMessage =
  | { kind: 'ready' }
  | { kind: 'event'; event: PanelEvent }
  | { kind: 'request'; id: number; request: PanelRequest }
  | { kind: 'reply'; id: number; error?: string; value?: unknown };

export function isWireMessage(value: unknown): value is WireMessage {
  const kind = (value as WireMessage | undefined)?.kind;
  return kind === 'ready' || kind === 'event' || kind === 'request' || kind === 'reply';
}

/** For handlers' exhaustive switches: a new message type that is not handled fails to compile. */
export function assertNever(value: never): never {
  throw new Error(`unhandled message: ${JSON.stringify(value)}`);
}
