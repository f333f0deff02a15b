// Accounts live in the `letterbox.accounts` user setting (no secrets); passwords live in SecretStorage, bound to
// their server (passwordVault.ts). Only the user's own (global) value is read or written: the setting is
// application-scoped, and a repository's .vscode/settings.json must never add, redirect or copy an account.
import * as vscode from 'vscode';
import type { Logger } from '../mail/logger';
import { Disposable } from '../util/disposable';
import { showWarning } from '../util/notify';
import { parseAccounts, toSettingsEntry, type AccountConfig } from './accountConfig';
import type { PasswordSource } from './accountSessions';
import { PasswordVault, type PasswordLookup } from './passwordVault';
import type { Settings } from './settings';

export class AccountSettings extends Disposable implements PasswordSource {
  private readonly changed = this._register(new vscode.EventEmitter<AccountConfig[]>());
  readonly onDidChange = this.changed.event;
  private lastProblems = '';
  private readonly vault: PasswordVault;

  constructor(
    secrets: vscode.SecretStorage,
    private readonly settings: Settings,
    private readonly log: Logger,
  ) {
    super();
    this.vault = new PasswordVault(secrets, log);
    this._register(settings.onDidChange(['accounts'], () => this.changed.fire(this.read())));
  }

  /** The valid accounts; problems with the others are logged and shown once per distinct set of problems. */
  read(): AccountConfig[] {
    const { accounts, problems } = parseAccounts(this.settings.get('accounts'));
    const summary = problems.map((problem) => problem.message).join('\n');
    if (summary && summary !== this.lastProblems) {
      this.log.warn(summary);
      void showWarning(
        `Letterbox skipped ${problems.length === 1 ? 'an account' : `${problems.length} accounts`}: ${problems[0].message}`,
        'Open Settings',
      ).then((choice) => choice && vscode.commands.executeCommand('workbench.action.openSettingsJson'));
    }
    this.lastProblems = summary;
    // Palette commands that need an account are hidden until there is one.
    void vscode.commands.executeCommand('setContext', 'letterbox.hasAccounts', accounts.length > 0);
    return accounts;
  }

  /** Adds the account, or replaces the one with the same id, keeping its place in the list. */
  async save(account: AccountConfig, password?: string): Promise<void> {
    const raw = this.entries();
    const entry = toSettingsEntry(account);
    const index = raw.findIndex((item) => (item as { id?: unknown })?.id === account.id);
    if (index >= 0) raw[index] = entry;
    else raw.push(entry);
    await this.settings.update('accounts', raw);
    if (password !== undefined) await this.vault.store(account, password);
  }

  async remove(id: string): Promise<void> {
    await this.settings.update(
      'accounts',
      this.entries().filter((item) => (item as { id?: unknown })?.id !== id),
    );
    await this.vault.delete(id);
  }

  lookup(account: AccountConfig): Promise<PasswordLookup> {
    return this.vault.lookup(account);
  }

  async setPassword(account: AccountConfig, password: string): Promise<void> {
    await this.vault.store(account, password);
  }

  /** The user's own list as it is written, never a workspace's or a folder's (settingsTable.ts: scope user). */
  private entries(): unknown[] {
    const value = this.settings.get('accounts');
    return Array.isArray(value) ? [...value] : [];
  }
}
