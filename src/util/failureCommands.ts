// How each way forward (mail/waysForward.ts) is shown and run in VS Code: one title and one command each.
import * as vscode from 'vscode';
import type { UntrustedCertificate } from '../mail/mailError';
import type { WayForward } from '../mail/waysForward';

export const WAY_TITLES: Record<WayForward, string> = {
  enterPassword: 'Enter Password',
  signIn: 'Sign In',
  trustCertificate: 'Trust Certificate…',
  editAccount: 'Edit Account',
  retry: 'Retry',
  showLog: 'Show Log',
  reportIssue: 'Report Issue',
};

/** Runs a way forward for an account (and, to trust it, the certificate that failed). */
export function runWayForward(
  way: WayForward,
  accountId: string | undefined,
  certificate?: UntrustedCertificate,
): Thenable<unknown> {
  switch (way) {
    case 'enterPassword':
      return vscode.commands.executeCommand('letterbox.enterPassword', accountId);
    case 'signIn':
      return vscode.commands.executeCommand('letterbox.signIn', accountId);
    case 'trustCertificate':
      return vscode.commands.executeCommand('letterbox.trustCertificate', accountId, certificate);
    case 'editAccount':
      return vscode.commands.executeCommand('letterbox.editAccount', accountId);
    case 'retry':
      return vscode.commands.executeCommand('letterbox.retryAccount', accountId);
    case 'showLog':
      return vscode.commands.executeCommand('letterbox.showLog');
    case 'reportIssue':
      return vscode.commands.executeCommand('letterbox.reportIssue');
  }
}
