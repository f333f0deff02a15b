// POP3 has no push: Letterbox checks on the interval the user set, and shows each download as "n of m".
import * as vscode from 'vscode';
import type { AccountSessions } from '../accounts/accountSessions';
import { Disposable } from '../util/disposable';

export class Pop3Checker extends Disposable {
  private readonly refresh = this._register(new vscode.EventEmitter<string>());
  readonly onDidRequestRefresh = this.refresh.event;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly sessions: AccountSessions) {
    super();
    this.schedule();
    this._register(vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('letterbox.pop3.checkIntervalMinutes')) this.schedule();
    }));
    this._register({ dispose: () => clearInterval(this.timer) });
  }

  /** Downloads new mail for one account, with progress in the status bar. */
  async sync(id: string): Promise<unknown> {
    const label = this.sessions.account(id)?.label ?? id;
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Letterbox: checking ${label}` }, (progress) =>
      this.sessions.sync(id, (step) => {
        if (step.phase === 'downloading' && step.total) progress.report({ message: `downloading ${step.done} of ${step.total}` });
        if (step.phase === 'cleaning' && step.total) progress.report({ message: `removing ${step.total} from the server` });
      }));
  }

  private schedule(): void {
    clearInterval(this.timer);
    const minutes = vscode.workspace.getConfiguration('letterbox').get<number>('pop3.checkIntervalMinutes', 10);
    if (minutes <= 0) return;
    this.timer = setInterval(() => {
      for (const account of this.sessions.accounts()) if (account.protocol === 'pop3') this.refresh.fire(account.id);
    }, minutes * 60_000);
  }
}
