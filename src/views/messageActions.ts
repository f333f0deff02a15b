// The one path for what a user does to messages: mark, flag, delete, move, copy the sender, view the source. The
// tree's commands and the message panel's toolbar both call this, and each action says what came of it, so no
// caller guesses from the tree afterwards. Server first, tree after (the model's rule); a cancelled question is
// an outcome, not an error.
import * as vscode from 'vscode';
import type { FolderPath } from '../mail/types';
import { showWarning } from '../util/notify';
import { messageSourceUri } from './messageDocuments';
import type { MessageNode } from '../mailbox/mailNodes';
import { pickFolder } from './folderPicker';
import type { MailTreeModel } from '../mailbox/mailTreeModel';

export interface ActionOutcome {
  /** False when the user cancelled. */
  done: boolean;
  /** The messages left the folder they were shown in (a panel showing one closes). */
  removed: boolean;
}

const CANCELLED: ActionOutcome = { done: false, removed: false };

export class MessageActions {
  constructor(private readonly model: MailTreeModel) {}

  async setSeen(messages: MessageNode[], seen: boolean): Promise<void> {
    await this.model.setFlags(messages, { seen });
  }

  async setFlagged(messages: MessageNode[], flagged: boolean): Promise<void> {
    await this.model.setFlags(messages, { flagged });
  }

  async toggleFlag(message: MessageNode): Promise<{ flagged: boolean }> {
    const flagged = !message.summary.flags.flagged;
    await this.model.setFlags([message], { flagged });
    return { flagged };
  }

  /** To Trash; in Trash (or with no Trash) for good, after asking. */
  async delete(messages: MessageNode[]): Promise<ActionOutcome> {
    if (await this.deletesForGood(messages)) {
      const answer = await showWarning(
        messages.length === 1
          ? `Delete "${messages[0].summary.subject || '(no subject)'}" for good?`
          : `Delete ${messages.length} messages for good?`,
        { modal: true, detail: 'This cannot be undone.' },
        'Delete',
      );
      if (answer !== 'Delete') return CANCELLED;
    }
    await this.model.delete(messages);
    return { done: true, removed: true };
  }

  /** Moves to `target`, or to a folder the user picks. */
  async move(messages: MessageNode[], target?: FolderPath): Promise<ActionOutcome> {
    const account = messages[0]?.account;
    if (!account) return CANCELLED;
    if (messages.some((message) => message.account !== account))
      throw new Error('messages of different accounts cannot be moved together');
    const destination = target ?? (await this.pickTarget(account, messages));
    if (!destination) return CANCELLED;
    const moving = messages.filter((message) => message.summary.ref.folder !== destination);
    await this.model.move(moving, destination);
    return { done: true, removed: moving.length > 0 };
  }

  async copySender(message: MessageNode, sender = message.summary.from[0]?.address): Promise<{ copied: string }> {
    if (!sender) throw new Error('this message has no sender address');
    await vscode.env.clipboard.writeText(sender);
    vscode.window.setStatusBarMessage(`Copied ${sender}`, 3000);
    return { copied: sender };
  }

  async viewSource(message: MessageNode, subject = message.summary.subject): Promise<void> {
    const document = await vscode.workspace.openTextDocument(messageSourceUri(message.summary.ref, subject));
    await vscode.window.showTextDocument(document, { preview: true });
  }

  private async pickTarget(account: string, messages: MessageNode[]): Promise<FolderPath | undefined> {
    const current = new Set(messages.map((message) => message.summary.ref.folder));
    const picked = await pickFolder(this.model, account, {
      placeHolder: `Move ${messages.length === 1 ? 'the message' : `${messages.length} messages`} to…`,
      except: (folder) => current.size === 1 && current.has(folder.path),
    });
    return typeof picked === 'string' ? picked : undefined;
  }

  /** Deleting inside a Trash folder, or where there is no Trash, removes messages for good. */
  private async deletesForGood(messages: MessageNode[]): Promise<boolean> {
    for (const message of messages) {
      const folders = await this.model.moveTargets(message.account).catch(() => []);
      const folder = folders.find((candidate) => candidate.path === message.summary.ref.folder);
      if (folder?.specialUse === 'trash' || !folders.some((candidate) => candidate.specialUse === 'trash')) return true;
    }
    return false;
  }
}
