// Marks an opened message read: at once, or after the delay the user set. Opening another message first cancels
// the pending mark, as Thunderbird's "mark as read after N seconds" does.
import type * as vscode from 'vscode';
import type { Settings } from '../accounts/settings';
import type { Logger } from '../mail/logger';
import type { MessageNode } from '../mailbox/mailNodes';
import { reportError } from '../util/reportError';
import type { MessageActions } from './messageActions';

export class ReadMarker implements vscode.Disposable {
  private pending: NodeJS.Timeout | undefined;

  constructor(
    private readonly settings: Settings,
    private readonly actions: MessageActions,
    private readonly log: Logger,
  ) {}

  /** One message opened, or the messages a conversation shows expanded (marked together: one STORE per folder). */
  opened(opened: MessageNode | MessageNode[]): void {
    this.cancel();
    const unread = (Array.isArray(opened) ? opened : [opened]).filter((node) => !node.summary.flags.seen);
    if (!unread.length) return;
    const seconds = this.settings.get('markAsReadAfterSeconds');
    if (seconds <= 0) void this.mark(unread);
    else this.pending = setTimeout(() => void this.mark(unread), seconds * 1000);
  }

  cancel(): void {
    clearTimeout(this.pending);
    this.pending = undefined;
  }

  dispose(): void {
    this.cancel();
  }

  /** \Seen on the server (or in the store) through the one path every action takes; a failure is shown. */
  private async mark(nodes: MessageNode[]): Promise<void> {
    await this.actions.setSeen(nodes, true).catch((error: unknown) => reportError(this.log, error, nodes[0].account));
  }
}
