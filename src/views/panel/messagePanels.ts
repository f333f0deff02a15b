// The reading panel works like VS Code's preview editors: one panel is reused for the next message unless it was
// pinned (Keep Open, or opening the same message twice in quick succession, the tree's double-click). Panels come
// back after a window reload through the serializer, or close cleanly when their message is gone.
import * as vscode from 'vscode';
import type { PanelRestoreState } from '../../../contract/panelMessages';
import { Disposable } from '../../util/disposable';
import type { MessageNode } from '../../mailbox/mailNodes';
import { MESSAGE_PANEL_VIEW_TYPE, MessagePanel, restoredNode, type MessagePanelDeps } from './messagePanel';

const DOUBLE_OPEN_MS = 500;

export class MessagePanels extends Disposable {
  private preview: MessagePanel | undefined;
  private readonly panels = new Set<MessagePanel>();
  private lastOpen: { key: string; at: number } | undefined;

  constructor(private readonly deps: MessagePanelDeps) {
    super();
    this._register(
      vscode.window.registerWebviewPanelSerializer(MESSAGE_PANEL_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown) => {
          const restore = state as PanelRestoreState | undefined;
          if (!restore?.account || !deps.sessions.account(restore.account)) {
            panel.dispose();
            return;
          }
          const adopted = this.adopt(panel, restore.pinned);
          await adopted.show(
            deps.model.messageNode({
              account: restore.account,
              folder: restore.folder,
              id: restore.id,
              validity: restore.validity,
            }) ?? restoredNode(restore),
          );
        },
      }),
    );
    this._register({ dispose: () => [...this.panels].forEach((panel) => panel.panel.dispose()) });
  }

  async open(node: MessageNode): Promise<void> {
    const now = Date.now();
    const twice = this.lastOpen?.key === node.key && now - this.lastOpen.at < DOUBLE_OPEN_MS;
    this.lastOpen = { key: node.key, at: now };
    const showing = [...this.panels].find(
      (panel) =>
        panel.ref &&
        panel.ref.account === node.account &&
        panel.ref.folder === node.summary.ref.folder &&
        panel.ref.id === node.summary.ref.id,
    );
    if (showing) {
      if (twice && showing === this.preview) showing.pin();
      showing.panel.reveal(undefined, false);
      return;
    }
    if (!this.preview) {
      const panel = vscode.window.createWebviewPanel(
        MESSAGE_PANEL_VIEW_TYPE,
        'Message',
        { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
        { enableScripts: true, enableFindWidget: true },
      );
      this.preview = this.adopt(panel, false);
    } else {
      this.preview.panel.reveal(undefined, false);
    }
    await this.preview.show(node);
  }

  /** The message of the active panel: what message commands act on when run from the palette or a keybinding. */
  activeNode(): MessageNode | undefined {
    return [...this.panels].find((panel) => panel.panel.active)?.shownNode;
  }

  private updateContext(): void {
    void vscode.commands.executeCommand(
      'setContext',
      'letterbox.messagePanelActive',
      [...this.panels].some((panel) => panel.panel.active),
    );
  }

  private adopt(webviewPanel: vscode.WebviewPanel, pinned: boolean): MessagePanel {
    const panel = new MessagePanel(webviewPanel, this.deps, pinned);
    this.panels.add(panel);
    panel.own(webviewPanel.onDidChangeViewState(() => this.updateContext()));
    this.updateContext();
    if (!pinned && !this.preview) this.preview = panel;
    panel.onDidPin(() => {
      if (this.preview === panel) this.preview = undefined;
    });
    panel.onDidClose(() => {
      this.panels.delete(panel);
      if (this.preview === panel) this.preview = undefined;
      this.updateContext();
    });
    return panel;
  }
}
