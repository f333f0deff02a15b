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
  html?: string;
  text?: string;
  attachments: PanelAttachment[];
  /** Inline parts referenced by cid:, as data: URLs, keyed by Content-ID. */
  inlineImages: Record<string, string>;
  flags: { seen: boolean; flagged: boolean };
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

/** Extension -> webview, no reply. */
export type PanelEvent =
  | { type: 'message/show'; message: PanelMessage; remote: RemoteContentPolicy; restore: PanelRestoreState }
  | { type: 'message/flags'; flags: { seen: boolean; flagged: boolean } }
  | { type: 'message/gone'; text: string }
  | { type: 'message/failed'; text: string };

/** Webview -> extension, each answered by one reply. */
export type PanelRequest =
  | { type: 'message/markUnread' }
  | { type: 'message/toggleFlag' }
  | { type: 'message/delete' }
  | { type: 'message/move' }
  | { type: 'message/viewSource' }
  | { type: 'message/copySender' }
  | { type: 'panel/keepOpen' }
  | { type: 'attachment/save'; attachmentId: string }
  | { type: 'attachment/open'; attachmentId: string }
  | { type: 'link/open'; href: string; text: string }
  | { type: 'remote/loadOnce' }
  | { type: 'remote/allowSender' };

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
  | { kind: 'reply'; id: number; error?: string };

export function isWireMessage(value: unknown): value is WireMessage {
  const kind = (value as WireMessage | undefined)?.kind;
  return kind === 'ready' || kind === 'event' || kind === 'request' || kind === 'reply';
}

/** For handlers' exhaustive switches: a new message type that is not handled fails to compile. */
export function assertNever(value: never): never {
  throw new Error(`unhandled message: ${JSON.stringify(value)}`);
}
