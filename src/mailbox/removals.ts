// What this window removed (deleted, moved away) from each folder, in order. A listing is read from the server
// while the user keeps working: an answer the server gave before a removal still holds the removed message, and
// merging it would bring that message back into the tree. Each listing takes a mark before it asks, and is cut
// by what was removed since then.
import type { MessageSummary } from '../mail/types';

/** Enough for any listing in flight; older removals are long reflected by the server. */
const KEPT = 1000;

export class Removals {
  private readonly byFolder = new Map<string, { count: number; ids: string[] }>();

  /** Taken before a listing is asked for. */
  mark(folderKey: string): number {
    return this.byFolder.get(folderKey)?.count ?? 0;
  }

  noteRemoved(folderKey: string, id: string): void {
    const entry = this.byFolder.get(folderKey) ?? { count: 0, ids: [] };
    entry.count++;
    entry.ids.push(id);
    if (entry.ids.length > KEPT) entry.ids.splice(0, entry.ids.length - KEPT);
    this.byFolder.set(folderKey, entry);
  }

  /** The listing without the messages removed since the mark was taken (its total counted down as well). */
  since<T extends { messages: MessageSummary[]; total: number }>(folderKey: string, mark: number, listing: T): T {
    const entry = this.byFolder.get(folderKey);
    if (!entry || entry.count === mark) return listing;
    const gone = new Set(entry.ids.slice(-(entry.count - mark)));
    const messages = listing.messages.filter((message) => !gone.has(message.ref.id));
    const dropped = listing.messages.length - messages.length;
    return dropped ? { ...listing, messages, total: Math.max(0, listing.total - dropped) } : listing;
  }
}
