// mailbox/: the application core, the mailbox logic without VS Code (ESLint: no 'vscode', no views/ or commands/
// import here), so it is tested against a real server or the fake backend. Views only present it: the tree
// provider maps these nodes to TreeItems (through views/mailTreePresentation.ts).
import type { MailError } from '../mail/mailError';
import type { Folder, FolderPath, MessageSummary } from '../mail/types';
import type { MailThread } from './mailThreads';

export interface AccountNode {
  kind: 'account';
  key: string;
  account: string;
}

export interface FolderNode {
  kind: 'folder';
  key: string;
  account: string;
  folder: Folder;
}

export interface MessageNode {
  kind: 'message';
  key: string;
  account: string;
  summary: MessageSummary;
  /** In a folder shown as threads: the replies shown under this message, oldest first. */
  replies?: MessageNode[];
  /** In a folder shown as threads: the thread or message this one is shown under. */
  shownUnder?: ThreadNode | MessageNode;
  /** A message of another folder shown in this folder's thread (a reply kept in Sent): that folder's name. */
  joinedFrom?: string;
  /** Listed by a kept search or by All Inboxes rather than its folder: what it is shown under. */
  foundBy?: SearchNode | UnifiedNode;
}

/** A thread of a folder shown as threads: its messages as a tree of replies below it. */
export interface ThreadNode {
  kind: 'thread';
  key: string;
  account: string;
  folder: FolderPath;
  thread: MailThread;
  /** The messages at the top of the thread (more than one when their common parent is missing). */
  branches: MessageNode[];
}

export interface LoadMoreNode {
  kind: 'loadMore';
  key: string;
  account: string;
  folder: FolderPath;
  /** Messages not shown yet. */
  remaining: number;
}

/** A line that tells something instead of showing mail: an error with its way forward, or "no messages". */
export interface NoticeNode {
  kind: 'notice';
  key: string;
  account: string;
  folder?: FolderPath;
  text: string;
  error?: MailError;
}

/** Search results kept in the tree ("Search: <words>"), under their account, until removed. */
export interface SearchNode {
  kind: 'search';
  key: string;
  account: string;
  words: string[];
  /** Absent: all folders of the account. */
  folder?: FolderPath;
  /** The folder's display name, for the label. */
  folderName?: string;
}

/** "All Inboxes": every account's Inbox in one list, above the accounts (off unless the user turns it on). */
export interface UnifiedNode {
  kind: 'unified';
  key: string;
  /** Belongs to no account. */
  account: '';
}

export type MailNode =
  AccountNode | FolderNode | MessageNode | ThreadNode | LoadMoreNode | NoticeNode | SearchNode | UnifiedNode;

export const keys = {
  account: (account: string) => `account/${account}`,
  folder: (account: string, path: FolderPath) => `folder/${account}/${path}`,
  message: (account: string, path: FolderPath, id: string) => `message/${account}/${path}/${id}`,
  thread: (account: string, path: FolderPath, thread: string) => `thread/${account}/${path}/${thread}`,
  /** A message of another folder (Sent) shown in a thread of `path`: a key of its own, since VS Code allows one. */
  joined: (account: string, path: FolderPath, home: FolderPath, id: string) =>
    `joined/${account}/${path}/${home}/${id}`,
  /** A message listed by a search or All Inboxes, which may also show in its folder: a key of its own. */
  hit: (listing: string, account: string, path: FolderPath, id: string) => `hit/${listing}/${account}/${path}/${id}`,
  unified: () => 'unified',
  loadMore: (account: string, path: FolderPath) => `more/${account}/${path}`,
  notice: (account: string, path: FolderPath | undefined, what: string) => `notice/${account}/${path ?? ''}/${what}`,
  search: (account: string, path: FolderPath | undefined, words: string[]) =>
    `search/${account}/${path ?? '*'}/${JSON.stringify(words)}`,
};
