// Whether a sender's mail is read as HTML or as text, remembered per sender (lower-case address) in the
// extension's global state, shared by every window. Bounded: the oldest choices go past MAX_SENDERS.
import type * as vscode from 'vscode';

const KEY = 'letterbox.viewBySender';
const MAX_SENDERS = 1_000;

export type BodyView = 'html' | 'text';

export class ViewPreferences {
  constructor(private readonly state: vscode.Memento) {}

  get(sender: string | undefined): BodyView | undefined {
    if (!sender) return undefined;
    return this.all()[sender.trim().toLowerCase()];
  }

  async set(sender: string | undefined, view: BodyView): Promise<void> {
    if (!sender) return;
    const key = sender.trim().toLowerCase();
    const next = { ...this.all() };
    delete next[key];
    next[key] = view;
    const entries = Object.entries(next);
    await this.state.update(KEY, Object.fromEntries(entries.slice(Math.max(0, entries.length - MAX_SENDERS))));
  }

  private all(): Record<string, BodyView> {
    return this.state.get<Record<string, BodyView>>(KEY) ?? {};
  }
}
