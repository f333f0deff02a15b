// sync/: moves state between a server and the local store; never touches views, never imports 'vscode'.

/** What happens to the server copy of POP3 mail, as in Thunderbird's "Server Settings". */
export interface Pop3Policy {
  /** Keep messages on the server after downloading them. Off means: delete each right after it is safely stored. */
  leaveOnServer: boolean;
  /** With leaveOnServer: delete from the server once downloaded at least this many days ago. */
  deleteAfterDays?: number;
  /** With leaveOnServer: delete from the server when the message is deleted here (moved to Trash or purged). */
  deleteWhenDeletedLocally: boolean;
}

export const DEFAULT_POP3_POLICY: Pop3Policy = { leaveOnServer: true, deleteWhenDeletedLocally: false };

const DAY_MS = 24 * 60 * 60 * 1000;

export interface StoredState {
  firstSeen: Date;
  deletedLocally: boolean;
}

/** Whether a message that is safely stored here should now be deleted from the server. */
export function shouldDeleteFromServer(policy: Pop3Policy, state: StoredState, now: Date): boolean {
  if (!policy.leaveOnServer) return true;
  if (policy.deleteWhenDeletedLocally && state.deletedLocally) return true;
  if (policy.deleteAfterDays !== undefined && policy.deleteAfterDays >= 0) {
    return now.getTime() - state.firstSeen.getTime() >= policy.deleteAfterDays * DAY_MS;
  }
  return false;
}
