// One conversation panel, reused for the next thread opened (as the message panel's preview is); it closes when
// its last message left. Not restored after a window reload: the thread is opened again from the tree.
import * as vscode from 'vscode';
import type { MessageNode, ThreadNode } from '../../mailbox/mailNodes';
import { Disposable } from '../../util/disposable';
import { CONVERSATION_PANEL_VIEW_TYPE, ConversationPanel, type ConversationPanelDeps } from './conversationPanel';

export class ConversationPanels extends Disposable {
  private current: ConversationPanel | undefined;

  constructor(private readonly deps: ConversationPanelDeps) {
    super();
    this._register({ dispose: () => this.current?.panel.dispose() });
  }

  async open(thread: ThreadNode | MessageNode): Promise<void> {
    if (!this.current) {
      const panel = vscode.window.createWebviewPanel(
        CONVERSATION_PANEL_VIEW_TYPE,
        'Conversation',
        { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
        { enableScripts: true, enableFindWidget: true },
      );
      const conversation = new ConversationPanel(panel, this.deps);
      conversation.onDidClose(() => {
        if (this.current === conversation) this.current = undefined;
      });
      this.current = conversation;
    } else {
      this.current.panel.reveal(undefined, false);
    }
    await this.current.show(thread);
  }

  /** The thread of the conversation panel when it is the active one. */
  activeThread(): ThreadNode | MessageNode | undefined {
    return this.current?.panel.active ? this.current.shownThread : undefined;
  }
}
