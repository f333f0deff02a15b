// Opens a message as readable text in a read-only editor and marks it read (at once, or after the delay the
// user set). The message panel supersedes the text view when it lands; the read-marking rule stays the same.
import * as vscode from 'vscode';
import type { Logger } from '../mail/logger';
import { Disposable } from '../util/disposable';
import { reportError } from '../util/reportError';
import { messageUri } from './messageDocuments';
import type { MessageNode } from './model/mailNodes';
import type { MailTreeModel } from './model/mailTreeModel';

export class TextMessageOpener extends Disposable {
  private pendingRead: NodeJS.Timeout | undefined;

  constructor(private readonly model: MailTreeModel, private readonly log: Logger) {
    super();
    this._register({ dispose: () => clearTimeout(this.pendingRead) });
  }

  async open(node: MessageNode): Promise<void> {
    const document = await vscode.workspace.openTextDocument(messageUri(node.summary.ref, node.summary.subject, 'text'));
    await vscode.window.showTextDocument(document, { preview: true });
    this.scheduleRead(node);
  }

  /** Opening another message first cancels the pending mark, as in Thunderbird's "mark as read after N seconds". */
  private scheduleRead(node: MessageNode): void {
    clearTimeout(this.pendingRead);
    if (node.summary.flags.seen) return;
    const seconds = vscode.workspace.getConfiguration('letterbox').get<number>('markAsReadAfterSeconds', 0);
    const mark = () => this.model.setFlags([node], { seen: true }).catch((error: unknown) => reportError(this.log, error, node.account));
    if (seconds <= 0) void mark();
    else this.pendingRead = setTimeout(() => void mark(), seconds * 1000);
  }
}
