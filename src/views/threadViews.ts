// Which folders show threads: the user's choice per folder (Show as Threads / Show as Messages), remembered in the
// extension's global state and so shared by every window; folders never chosen follow letterbox.threads.defaultView.
// Bounded: the oldest choices go past MAX_FOLDERS.
import type * as vscode from 'vscode';
import type { Settings } from '../accounts/settings';
import type { FolderPath } from '../mail/types';
import type { ThreadViews } from '../mailbox/threadedFolders';

const KEY = 'letterbox.threadedFolders';
const MAX_FOLDERS = 500;

export class StoredThreadViews implements ThreadViews {
  constructor(
    private readonly state: vscode.Memento,
    private readonly settings: Settings,
  ) {}

  threaded(account: string, folder: FolderPath): boolean {
    return this.all()[keyOf(account, folder)] ?? this.settings.get('threads.defaultView') === 'threads';
  }

  async setThreaded(account: string, folder: FolderPath, threaded: boolean): Promise<void> {
    const key = keyOf(account, folder);
    const next = { ...this.all() };
    delete next[key];
    next[key] = threaded;
    const entries = Object.entries(next);
    await this.state.update(KEY, Object.fromEntries(entries.slice(Math.max(0, entries.length - MAX_FOLDERS))));
  }

  bySubject(): boolean {
    return this.settings.get('threads.joinBySubject');
  }

  private all(): Record<string, boolean> {
    return this.state.get<Record<string, boolean>>(KEY) ?? {};
  }
}

function keyOf(account: string, folder: FolderPath): string {
  return JSON.stringify([account, folder]);
}
