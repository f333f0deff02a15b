// mailbox/: the application core, the mailbox logic without VS Code (ESLint: no 'vscode', no views/ or commands/
// import here), so it is tested against a real server or the fake backend. Views only present it: the tree
// provider maps these nodes to TreeItems (through views/mailTreePresentation.ts).
import type { MailError } from '../mail/mailError';
import type { Folder, FolderPath, MessageSummary } from '../mail/types';

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

export type MailNode = AccountNode | FolderNode | MessageNode | LoadMoreNode | NoticeNode | SearchNode;

export const keys = {
  account: (account: string) => `account/${account}`,
  folder: (account: string, path: FolderPath) => `folder/${account}/${path}`,
  message: (account: string, path: FolderPath, id: string) => `message/${account}/${path}/${id}`,
  loadMore: (account: string, path: FolderPath) => `more/${account}/${path}`,
  notice: (account: string, path: FolderPath | undefined, what: string) => `notice/${account}/${path ?? ''}/${what}`,
  search: (account: string, path: FolderPath | undefined, words: string[]) =>
    `search/${account}/${path ?? '*'}/${JSON.stringify(words)}`,
};
