// What a backend that keeps mail on this computer (POP3 now; a local Maildir account later) offers beyond
// MailBackend: a download from the server into the store, and removing the store. Callers ask for
// `backend.localStore` instead of testing which protocol they hold.

export interface SyncProgress {
  phase: 'waiting' | 'checking' | 'downloading' | 'cleaning';
  done: number;
  total: number;
}

/** A message the server would not send, or sent broken; the others were stored. */
export interface SkippedMessage {
  id: string;
  size: number;
  reason: string;
}

export interface SyncReport {
  downloaded: number;
  deletedFromServer: number;
  onServer: number;
  skipped: SkippedMessage[];
  /** Why the policy deleted nothing this time although it would have (files missing from the store). */
  deletionsHeld?: string;
}

export interface LocalStore {
  /** Downloads new mail and applies the account's server-copy policy. */
  sync(onProgress?: (progress: SyncProgress) => void): Promise<SyncReport>;
  /** Deletes every downloaded message of the account from this computer. Call after close(). */
  deleteLocalData(): Promise<void>;
}
