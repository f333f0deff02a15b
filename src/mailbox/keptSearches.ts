// Search results kept in the tree ("Search: <words>" under an account): which searches there are, and the results
// each last found. The results are searched again after a refresh, and lose a message the user deleted or moved.
import type { MessageRef, MessageSummary } from '../mail/types';
import type { SearchNode } from './mailNodes';

export class KeptSearches {
  private readonly byAccount = new Map<string, SearchNode[]>();
  private readonly results = new Map<string, MessageSummary[]>();

  of(account: string): SearchNode[] {
    return this.byAccount.get(account) ?? [];
  }

  add(node: SearchNode): void {
    const list = this.of(node.account);
    if (!list.includes(node)) this.byAccount.set(node.account, [...list, node]);
  }

  remove(node: SearchNode): void {
    this.byAccount.set(
      node.account,
      this.of(node.account).filter((candidate) => candidate !== node),
    );
    this.results.delete(node.key);
  }

  resultsOf(node: SearchNode): MessageSummary[] | undefined {
    return this.results.get(node.key);
  }

  setResults(node: SearchNode, results: MessageSummary[]): void {
    this.results.set(node.key, results);
  }

  /** After a refresh: every search of the account runs again when shown. */
  forget(account: string): void {
    for (const search of this.of(account)) this.results.delete(search.key);
  }

  /** A message left its folder: it leaves every result list too. */
  drop(ref: Pick<MessageRef, 'folder' | 'id'>): void {
    for (const [key, list] of this.results)
      this.results.set(
        key,
        list.filter((summary) => !(summary.ref.folder === ref.folder && summary.ref.id === ref.id)),
      );
  }
}
