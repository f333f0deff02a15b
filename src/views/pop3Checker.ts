// POP3 has no push: accounts that download mail are checked on the interval the user set, each download shown as
// "n of m", and messages the server would not send are reported, not hidden.
import * as vscode from 'vscode';
import type { AccountSessions } from '../accounts/accountSessions';
import type { Settings } from '../accounts/settings';
import type { SyncReport } from '../mail/localStore';
import { Disposable } from '../util/disposable';
import { showWarning } from '../util/notify';

export class Pop3Checker extends Disposable {
  private readonly refresh = this._register(new vscode.EventEmitter<string>());
  readonly onDidRequestRefresh = this.refresh.event;
  private timer: NodeJS.Timeout | undefined;
  private readonly told = new Map<string, string>();

  constructor(
    private readonly sessions: AccountSessions,
    private readonly settings: Settings,
  ) {
    super();
    this.schedule();
    this._register(settings.onDidChange(['pop3.checkIntervalMinutes'], () => this.schedule()));
    this._register({ dispose: () => clearInterval(this.timer) });
  }

  /** Downloads new mail for one account, with progress in the status bar. */
  async sync(id: string): Promise<unknown> {
    const label = this.sessions.account(id)?.label ?? id;
    const report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `Letterbox: checking ${label}` },
      (progress) =>
        this.sessions.sync(id, (step) => {
          if (step.phase === 'waiting') progress.report({ message: 'waiting for another window' });
          if (step.phase === 'downloading' && step.total)
            progress.report({ message: `downloading ${step.done} of ${step.total}` });
          if (step.phase === 'cleaning' && step.total)
            progress.report({ message: `removing ${step.total} from the server` });
        }),
    );
    this.tell(id, label, report);
    return report;
  }

  /** Problems a check worked around are said once (per distinct problem), not at every interval. */
  private tell(id: string, label: string, report: SyncReport): void {
    const problems: string[] = [];
    if (report.skipped.length) {
      const first = report.skipped[0];
      problems.push(
        `${report.skipped.length === 1 ? 'a message' : `${report.skipped.length} messages`} could not be downloaded (${first.id}, ${first.size} bytes: ${first.reason}); the others were`,
      );
    }
    if (report.deletionsHeld) problems.push(report.deletionsHeld);
    const said = problems.join('; ');
    if (said && said !== this.told.get(id)) {
      void showWarning(`${label}: ${said}.`, 'Show Log').then(
        (choice) => choice && vscode.commands.executeCommand('letterbox.showLog'),
      );
    }
    this.told.set(id, said);
  }

  private schedule(): void {
    clearInterval(this.timer);
    const minutes = this.settings.get('pop3.checkIntervalMinutes');
    if (minutes <= 0) return;
    // Checked whether the Mail view is open or not: mail that arrives is announced either way.
    this.timer = setInterval(() => {
      for (const account of this.sessions.accounts())
        if (this.sessions.hasLocalStore(account.id)) this.refresh.fire(account.id);
    }, minutes * 60_000);
  }
}
