// "Letterbox: Search Mail…": choose an account and a folder (or all folders), then type; results come as you
// type (debounced), newest first, with sender, date and folder. Enter opens the message; the pin button keeps the
// results as a "Search: <words>" node in the Mail view.
import * as vscode from 'vscode';
import { searchWords } from '../mail/searchWords';
import type { FolderPath, MessageSummary } from '../mail/types';
import { plainText } from '../util/plainText';
import { safeItems, type PickItem } from '../util/quickPick';
import { ALL_FOLDERS, pickFolder } from '../views/folderPicker';
import { guarded, reportError } from '../util/reportError';
import type { MailNode, SearchNode } from '../mailbox/mailNodes';
import type { MailTreeModel } from '../mailbox/mailTreeModel';
import { displayName, shortDate } from '../views/mailTreePresentation';
import type { MailCommandDeps } from './mailCommands';
import { accountIdOf } from './commandArguments';
import { pickAccount } from './pickers';

const DEBOUNCE_MS = 300;
const LIMIT = 100;

interface ResultItem extends PickItem {
  summary?: MessageSummary;
}

export function registerSearchCommands(deps: MailCommandDeps): vscode.Disposable[] {
  const { sessions, model, log } = deps;
  return [
    vscode.commands.registerCommand(
      'letterbox.searchMail',
      guarded(log, accountIdOf, async (arg?: unknown) => {
        const given = arg as MailNode | undefined;
        const account = given?.account ?? (await pickAccount(sessions, 'Search which account?'));
        if (!account) return;
        const folder = given?.kind === 'folder' ? given.folder.path : await pickScope(model, account);
        if (folder === null) return;
        await searchAsYouType(deps, account, folder);
      }),
    ),
    vscode.commands.registerCommand('letterbox.removeSearch', (node?: SearchNode) => {
      if (node?.kind === 'search') model.removeSearch(node);
    }),
  ];
}

/** A folder path, undefined for all folders, null when cancelled. */
async function pickScope(model: MailTreeModel, account: string): Promise<FolderPath | undefined | null> {
  const picked = await pickFolder(model, account, { placeHolder: 'Search in which folder?', allFolders: true });
  return picked === ALL_FOLDERS ? undefined : (picked ?? null);
}

function searchAsYouType(deps: MailCommandDeps, account: string, folder: FolderPath | undefined): Promise<void> {
  const { sessions, model } = deps;
  const where = folder ? (model.folderOf(account, folder)?.name ?? folder) : 'all folders';
  const pick = vscode.window.createQuickPick<ResultItem>();
  pick.title = plainText(`Search ${sessions.account(account)?.label ?? account} · ${where}`);
  pick.placeholder = 'Words to find in sender, subject or text ("quotes" for a phrase)';
  // Results are the server's (or the store's) matches: the quick pick must not filter them again.
  pick.matchOnDescription = false;
  const keep: vscode.QuickInputButton = {
    iconPath: new vscode.ThemeIcon('pin'),
    tooltip: 'Keep these results in the Mail view',
  };
  pick.buttons = [keep];
  let timer: NodeJS.Timeout | undefined;
  let generation = 0;
  const run = async (value: string) => {
    const words = searchWords(value);
    const mine = ++generation;
    if (!words.length) {
      pick.items = safeItems([]);
      pick.busy = false;
      return;
    }
    pick.busy = true;
    try {
      const result = await sessions.run(account, (backend) => backend.search({ words, folder, limit: LIMIT }));
      if (mine !== generation) return;
      const now = new Date();
      const items: ResultItem[] = result.messages.map((summary) => ({
        icon: summary.flags.seen ? undefined : 'circle-filled',
        label: summary.subject || '(no subject)',
        description: [
          summary.from[0] ? displayName(summary.from[0]) : '',
          summary.date ? shortDate(summary.date, now) : '',
        ]
          .filter(Boolean)
          .join(' · '),
        detail: folder ? undefined : (model.folderOf(account, summary.ref.folder)?.name ?? summary.ref.folder),
        alwaysShow: true,
        summary,
      }));
      const header =
        result.total > result.messages.length
          ? `${result.total} found; the newest ${result.messages.length} are shown`
          : `${result.total} found`;
      pick.items = safeItems(
        items.length
          ? [
              { label: header, kind: vscode.QuickPickItemKind.Separator },
              ...items,
              ...(result.note ? [{ icon: 'info', label: result.note, alwaysShow: true }] : []),
            ]
          : [{ label: 'No messages match', alwaysShow: true, description: result.note }],
      );
    } catch (error) {
      if (mine === generation)
        pick.items = safeItems([
          { icon: 'error', label: error instanceof Error ? error.message : String(error), alwaysShow: true },
        ]);
    } finally {
      if (mine === generation) pick.busy = false;
    }
  };
  pick.onDidChangeValue((value) => {
    clearTimeout(timer);
    timer = setTimeout(() => void run(value), DEBOUNCE_MS);
  });
  pick.onDidAccept(() => {
    const summary = pick.selectedItems[0]?.summary;
    if (!summary) return;
    pick.hide();
    void deps
      .open(model.messageNodeForSummary(summary))
      .catch((error: unknown) => reportError(deps.log, error, account));
  });
  pick.onDidTriggerButton(async (button) => {
    if (button !== keep) return;
    const words = searchWords(pick.value);
    if (!words.length) return;
    pick.hide();
    const node = model.addSearch(account, words, folder);
    await deps.view.reveal(node, { select: true, focus: false, expand: true }).then(undefined, () => undefined);
  });
  return new Promise((resolve) => {
    pick.onDidHide(() => {
      clearTimeout(timer);
      pick.dispose();
      resolve();
    });
    pick.show();
  });
}
