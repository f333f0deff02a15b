// Accounts live in the `letterbox.accounts` user setting (no secrets); passwords live in SecretStorage.
// Hand edits of settings.json are picked up, and a broken entry is reported with what to fix.
import * as vscode from 'vscode';
import type { Logger } from '../mail/logger';
import { Disposable } from '../util/disposable';
import { parseAccounts, toSettingsEntry, type AccountConfig } from './accountConfig';
import type { PasswordSource } from './accountSessions';

const SECTION = 'letterbox';
const KEY = 'accounts';

export class AccountSettings extends Disposable implements PasswordSource {
  private readonly changed = this._register(new vscode.EventEmitter<AccountConfig[]>());
  readonly onDidChange = this.changed.event;
  private lastProblems = '';

  constructor(private readonly secrets: vscode.SecretStorage, private readonly log: Logger) {
    super();
    this._register(vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(`${SECTION}.${KEY}`)) this.changed.fire(this.read());
    }));
  }

  /** The valid accounts; problems with the others are logged and shown once per distinct set of problems. */
  read(): AccountConfig[] {
    const { accounts, problems } = parseAccounts(vscode.workspace.getConfiguration(SECTION).get(KEY));
    const summary = problems.map((problem) => problem.message).join('\n');
    if (summary && summary !== this.lastProblems) {
      this.log.warn(summary);
      void vscode.window.showWarningMessage(`Letterbox skipped ${problems.length === 1 ? 'an account' : `${problems.length} accounts`}: ${problems[0].message}`, 'Open Settings')
        .then((choice) => choice && vscode.commands.executeCommand('workbench.action.openSettingsJson'));
    }
    this.lastProblems = summary;
    return accounts;
  }

  /** Adds the account, or replaces the one with the same id, keeping its place in the list. */
  async save(account: AccountConfig, password?: string): Promise<void> {
    if (password !== undefined) await this.secrets.store(secretKey(account.id), password);
    const raw = this.rawEntries();
    const entry = toSettingsEntry(account);
    const index = raw.findIndex((item) => (item as { id?: unknown })?.id === account.id);
    if (index >= 0) raw[index] = entry;
    else raw.push(entry);
    await vscode.workspace.getConfiguration(SECTION).update(KEY, raw, vscode.ConfigurationTarget.Global);
  }

  async remove(id: string): Promise<void> {
    const raw = this.rawEntries().filter((item) => (item as { id?: unknown })?.id !== id);
    await vscode.workspace.getConfiguration(SECTION).update(KEY, raw, vscode.ConfigurationTarget.Global);
    await this.secrets.delete(secretKey(id));
  }

  async get(accountId: string): Promise<string | undefined> {
    return this.secrets.get(secretKey(accountId));
  }

  async setPassword(accountId: string, password: string): Promise<void> {
    await this.secrets.store(secretKey(accountId), password);
  }

  private rawEntries(): unknown[] {
    const value = vscode.workspace.getConfiguration(SECTION).get<unknown[]>(KEY);
    return Array.isArray(value) ? [...value] : [];
  }
}

function secretKey(accountId: string): string {
  return `letterbox.password.${accountId}`;
}
