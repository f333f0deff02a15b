// Account commands: add, edit, remove, enter a password, trust a certificate, retry, refresh, check mail.
import { sameUser } from '../accounts/oauth/vscodeSessions';
import * as vscode from 'vscode';
import type { AccountConfig } from '../accounts/accountConfig';
import type { AccountSessions } from '../accounts/accountSessions';
import type { AccountSettings } from '../accounts/accountSettings';
import { accountFrom, collectAccount, draftFrom, type AccountDraft } from '../accounts/addAccountFlow';
import type { OAuthClients } from '../accounts/lookupStep';
import { isMailError, type UntrustedCertificate } from '../mail/mailError';
import type { Logger } from '../mail/logger';
import { guarded } from '../util/reportError';
import type { MailTreeModel } from '../mailbox/mailTreeModel';
import type { MailNode } from '../mailbox/mailNodes';
import { accountIdOf, chooseAccount } from './commandArguments';
import { showError, showWarning, showInfo } from '../util/notify';

export interface AccountCommandDeps {
  settings: AccountSettings;
  sessions: AccountSessions;
  model: MailTreeModel;
  view: vscode.TreeView<MailNode>;
  log: Logger;
  /** Signs an OAuth2 account in through its provider's page in the browser. */
  /** Resolves to the user signed in as, where the provider says (VS Code's Microsoft sign-in). */
  signIn(account: AccountConfig): Promise<string | undefined>;
  /** Forgets an account's OAuth2 sign-in (its refresh token), as Remove Account does its password. */
  forgetSignIn(accountId: string): Promise<void>;
  /** The client ids Letterbox may sign in with at a provider found for an address. */
  oauthClients?: OAuthClients;
}

export function registerAccountCommands(deps: AccountCommandDeps): vscode.Disposable[] {
  const { settings, sessions, model, view, log } = deps;

  /** The provider's page in the browser, with progress and a way to cancel; then the account connects again. */
  async function signInNow(account: AccountConfig): Promise<void> {
    await vscode.window
      .withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `Signing in to ${account.oauth?.name ?? account.host} for ${account.label}: finish in your browser`,
        },
        () => deps.signIn(account),
      )
      .then((user) => {
        if (user && !sameUser(user, account.user))
          throw new Error(
            `You signed in as ${user}, but ${account.label} is ${account.user}: sign in as ${account.user}, or edit the account`,
          );
      });
    sessions.reset(account.id);
    await model.refresh(account.id);
  }
  const command = <A extends unknown[]>(id: string, run: (...args: A) => Promise<unknown>) =>
    vscode.commands.registerCommand(
      id,
      guarded(log, (...args: A) => accountIdOf(args[0]), run),
    );

  /** Tests the account with a progress notification; saves only what works, unless the user says otherwise. */
  async function testAndSave(draft: AccountDraft, editing: boolean): Promise<void> {
    // The server, provider and user last signed in for: a retry (a certificate trusted) does not sign in again.
    let signedInFor: string | undefined;
    for (;;) {
      let account = accountFrom(draft);
      const stored = await settings.lookup(account);
      // A stored password is reused only for the server it was entered for (the flow asks for a new one otherwise).
      const password = draft.password || (stored.state === 'ok' ? stored.password : '');
      log.info(
        `testing the connection of ${account.label} (${account.protocol} ${account.host}:${account.port}, ${account.security})`,
      );
      try {
        // An account that signs in with its provider's page signs in first: the test needs its token.
        if (account.oauth && signedInFor !== signInKey(account)) {
          const user = await deps.signIn(account);
          if (user && !sameUser(user, draft.user)) {
            // VS Code's Microsoft sign-in says whom the user signed in as: that is the account's user name.
            log.info(`signed in as another user than typed: ${account.label} uses ${user}`);
            draft.user = user;
            account = accountFrom(draft);
          }
          signedInFor = signInKey(account);
        }
        await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: `Testing the connection to ${account.host}…` },
          () => sessions.verify(account, password),
        );
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        log.warn(`account test failed: ${message}`);
        const certificate = isMailError(error) ? error.certificate : undefined;
        const actions = [...(certificate ? ['Trust Certificate…'] : []), 'Edit', 'Save Anyway'];
        const choice = await showError(message, ...actions);
        if (choice === 'Trust Certificate…' && certificate && (await confirmTrust(certificate))) {
          draft.pinnedCertificateSha256 = certificate.sha256;
          continue;
        }
        if (choice === 'Edit') {
          const edited = await collectAccount(draft, editing, undefined, deps.oauthClients);
          if (!edited) return;
          draft = edited;
          continue;
        }
        if (choice !== 'Save Anyway') return;
      }
      await settings.save(account, draft.password || undefined);
      log.info(`saved account ${account.label}`);
      sessions.reset(account.id);
      await model.refresh(account.id);
      void showInfo(`${account.label} is ${editing ? 'updated' : 'added'}.`);
      return;
    }
  }

  return [
    command('letterbox.addAccount', async () => {
      const draft = await collectAccount({}, false, undefined, deps.oauthClients);
      if (draft) await testAndSave(draft, false);
    }),
    command('letterbox.editAccount', async (arg?: unknown) => {
      const id = await chooseAccount(sessions, view, arg, 'Which account do you want to edit?');
      const account = id ? sessions.account(id) : undefined;
      if (!account) return;
      const draft = await collectAccount(draftFrom(account), true);
      if (draft) await testAndSave(draft, true);
    }),
    command('letterbox.removeAccount', async (arg?: unknown) => {
      const id = await chooseAccount(sessions, view, arg, 'Which account do you want to remove?');
      const account = id ? sessions.account(id) : undefined;
      if (!account) return;
      const sure = await showWarning(
        `Remove ${account.label} from Letterbox?`,
        {
          modal: true,
          detail: 'Its settings and stored password or sign-in are deleted. Mail on the server is not touched.',
        },
        'Remove',
      );
      if (sure !== 'Remove') return;
      let deleteStore = false;
      if (sessions.hasLocalStore(account.id)) {
        const answer = await showWarning(
          `Also delete the mail of ${account.label} downloaded to this computer?`,
          { modal: true, detail: 'Messages no longer on the server exist only there.' },
          'Delete Downloaded Mail',
          'Keep It',
        );
        if (answer === undefined) return;
        deleteStore = answer === 'Delete Downloaded Mail';
      }
      await settings.remove(account.id);
      await deps.forgetSignIn(account.id);
      await sessions.remove(account, { deleteLocalData: deleteStore });
      await model.refresh();
    }),
    command('letterbox.enterPassword', async (arg?: unknown) => {
      const id = await chooseAccount(sessions, view, arg, 'Which account is the password for?');
      const account = id ? sessions.account(id) : undefined;
      if (!account) return;
      // An account that signs in with its provider has no password: its way forward is the sign-in page.
      if (account.oauth) return signInNow(account);
      const password = await vscode.window.showInputBox({
        title: `Password for ${account.label}`,
        prompt: `${account.user} at ${account.host}; kept in VS Code's secret storage`,
        password: true,
        ignoreFocusOut: true,
      });
      if (!password) return;
      await settings.setPassword(account, password);
      sessions.reset(account.id);
      await model.refresh(account.id);
    }),
    command('letterbox.signIn', async (arg?: unknown) => {
      const id = await chooseAccount(sessions, view, arg, 'Which account do you want to sign in to?');
      const account = id ? sessions.account(id) : undefined;
      if (!account) return;
      if (!account.oauth) {
        void showWarning(`${account.label} signs in with a password: Enter Password sets it.`);
        return;
      }
      await signInNow(account);
    }),
    command('letterbox.trustCertificate', async (arg?: unknown, given?: UntrustedCertificate) => {
      const id = await chooseAccount(sessions, view, arg, 'Which account?');
      const account = id ? sessions.account(id) : undefined;
      const certificate =
        given ??
        (arg as { error?: { certificate?: UntrustedCertificate } } | undefined)?.error?.certificate ??
        (id ? sessions.status(id).error?.certificate : undefined);
      if (!account || !certificate) return;
      if (!(await confirmTrust(certificate))) return;
      const updated: AccountConfig = { ...account, pinnedCertificateSha256: certificate.sha256 };
      await settings.save(updated);
      sessions.reset(account.id);
      await model.refresh(account.id);
    }),
    command('letterbox.retryAccount', async (arg?: unknown) => {
      const id = accountIdOf(arg) ?? (await chooseAccount(sessions, view, arg, 'Which account?'));
      if (!id) return;
      sessions.reset(id);
      await model.refresh(id);
    }),
    command('letterbox.refresh', async (arg?: unknown) => {
      await model.refresh(accountIdOf(arg));
    }),
  ];
}

async function confirmTrust(certificate: UntrustedCertificate): Promise<boolean> {
  const detail = [
    `Letterbox could not verify the certificate of ${certificate.host}: ${certificate.reason}.`,
    '',
    `SHA-256 fingerprint: ${certificate.sha256}`,
    certificate.subject ? `Subject: ${certificate.subject}` : '',
    certificate.issuer ? `Issuer: ${certificate.issuer}` : '',
    certificate.validTo ? `Valid until: ${certificate.validTo}` : '',
    '',
    "Trust it only if you know this is your server's certificate (compare the fingerprint with the one your provider or administrator gives). Only this exact certificate will be trusted, and only for this account.",
  ]
    .filter((line, index, lines) => line || lines[index - 1])
    .join('\n');
  const answer = await showWarning(
    `Trust this certificate for ${certificate.host}?`,
    { modal: true, detail },
    'Trust This Certificate',
  );
  return answer === 'Trust This Certificate';
}

function signInKey(account: AccountConfig): string {
  return JSON.stringify([account.oauth, account.host, account.port, account.user]);
}
