// The only way Letterbox shows a quick pick. Labels, descriptions and details are mostly a mail's subject and
// sender or a server's folder names, and a quick pick renders "$(name)" in them as an icon: each item passes
// through plainText, and Letterbox's own icon comes from the item's `icon`, never from its text. ESLint forbids
// vscode.window.showQuickPick elsewhere, and any `items =` of a quick pick that does not come from safeItems.
import * as vscode from 'vscode';
import { plainItem } from './plainText';

export interface PickItem extends vscode.QuickPickItem {
  /** A codicon of ours shown before the label. */
  icon?: string;
}

/** The items as VS Code gets them: every text shown as text, our icon in front; other fields are kept. */
export function safeItems<T extends PickItem>(items: readonly T[]): T[] {
  return items.map(plainItem);
}

/** vscode.window.showQuickPick over safe copies; resolves with the caller's own item (or undefined). */
export async function showPick<T extends PickItem>(
  items: readonly T[],
  options: vscode.QuickPickOptions,
): Promise<T | undefined> {
  const shown = safeItems(items);
  // eslint-disable-next-line no-restricted-syntax -- this module is the one sanctioned caller
  const picked = await vscode.window.showQuickPick(shown, options);
  return picked ? items[shown.indexOf(picked)] : undefined;
}
