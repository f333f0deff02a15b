// Composition root: builds the objects and hands each to context.subscriptions. No logic lives here.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { AccountSessions } from './accounts/accountSessions';
import { mailBackendFactory } from './accounts/backendFactory';
import { CacheBounds } from './accounts/cacheBounds';
import { AccountSettings } from './accounts/accountSettings';
import { OAuthAccounts } from './accounts/oauthAccounts';
import { builtInMicrosoftSignIn } from './accounts/vscodeMicrosoft';
import { oauthClients } from './accounts/oauthClients';
import { Settings } from './accounts/settings';
import { storeDemoPasswords } from './accounts/demoPasswords';
import { registerAccountCommands } from './commands/accountCommands';
import { registerMailCommands } from './commands/mailCommands';
import { registerSearchCommands } from './commands/searchCommand';
import { registerMessageCommands } from './commands/messageCommands';
import { registerThreadCommands } from './commands/threadCommands';
import { registerPatchCommands } from './commands/patchCommands';
import { PATCH_SCHEME, PatchDocuments } from './views/patchDocuments';
import { registerNoticeCommands } from './commands/noticeCommands';
import { registerViewCommands } from './commands/viewCommands';
import { taggedLogger } from './mail/logger';
import { outputChannelLogger } from './util/outputChannelLogger';
import { MailTreeProvider } from './views/mailTreeProvider';
import { MESSAGE_SCHEME, MessageDocuments } from './views/messageDocuments';
import { MailTreeModel } from './mailbox/mailTreeModel';
import { Pop3Checker } from './views/pop3Checker';
import { MessagePanels } from './views/panel/messagePanels';
import { ReadMarker } from './views/readMarker';
import { MessageActions } from './views/messageActions';
import { removeOldAttachmentCopies } from './views/panel/attachmentFiles';
import { ViewPreferences } from './views/panel/viewPreferences';
import { NewMailNotices } from './views/newMailNotices';
import { ConversationPanels } from './views/panel/conversationPanels';
import { StoredThreadViews } from './views/threadViews';
import { noticeWanted } from './views/newMailPolicy';

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const activationStarted = performance.now();
  const channel = vscode.window.createOutputChannel('Letterbox', { log: true });
  context.subscriptions.push(channel);
  const log = taggedLogger(outputChannelLogger(channel), 'letterbox');

  const config = new Settings();
  const settings = new AccountSettings(context.secrets, config, log);
  const accounts = settings.read();
  await storeDemoPasswords(accounts, settings, log);
  const storageRoot = join(context.globalStorageUri.fsPath, 'accounts');
  const oauth = new OAuthAccounts(context.secrets, storageRoot, taggedLogger(outputChannelLogger(channel), 'oauth'), {
    openBrowser: async (url) => vscode.env.openExternal(vscode.Uri.parse(url, true)),
    builtIn: builtInMicrosoftSignIn(),
  });
  const sessions = new AccountSessions({
    passwords: settings,
    log: outputChannelLogger(channel),
    createBackend: mailBackendFactory({
      log: outputChannelLogger(channel),
      storageRoot,
      bodyCacheBytes: () => CacheBounds.bodyBytes(config),
      pollMs: () => config.get('imap.pollSeconds') * 1000,
    }),
    tokens: (account) => oauth.tokensFor(account),
  });
  sessions.update(accounts);
  const checker = new Pop3Checker(sessions, config);
  const model = new MailTreeModel(sessions, {
    localChecks: checker,
    threads: new StoredThreadViews(context.globalState, config),
    wantsArrivals: (_account, folder) => noticeWanted(config, folder),
    unifiedInbox: () => config.get('unifiedInbox'),
  });
  // Before anything connects: folders are watched only while someone listens to the mail they report.
  const sessionEvents = [
    sessions.onDidChangeMail(({ account, change }) => model.folderChanged(account, change)),
    // Back after a drop: what the tree shows may have changed meanwhile.
    sessions.onDidReconnect((id) => void model.reconnected(id)),
  ];
  const provider = new MailTreeProvider(model, sessions, log, activationStarted, (_account, folder) =>
    noticeWanted(config, folder),
  );
  const actions = new MessageActions(model);
  const reads = new ReadMarker(config, actions, log);
  const attachmentsRoot = join(context.globalStorageUri.fsPath, 'attachments');
  void removeOldAttachmentCopies(attachmentsRoot);
  const views = new ViewPreferences(context.globalState);
  // What both kinds of reading panel work with.
  const panelDeps = {
    extensionUri: context.extensionUri,
    sessions,
    model,
    actions,
    reads,
    log,
    attachmentsRoot,
    views,
  };
  const panels = new MessagePanels({ ...panelDeps, settings: config });
  const patchDocuments = new PatchDocuments();
  const conversations = new ConversationPanels({ ...panelDeps, openMessage: (node) => panels.open(node) });

  context.subscriptions.push(
    settings,
    provider,
    ...sessionEvents,
    // The tree redraws an account when its connection state changes.
    sessions.onDidChangeStatus((id) => provider.redraw(model.accountNode(id))),
    reads,
    panels,
    conversations,
    checker,
    new NewMailNotices({
      model,
      sessions,
      settings: config,
      open: (node) => panels.open(node),
      tree: provider,
    }),
    settings.onDidChange((accounts) => sessions.update(accounts)),
    settings.onDidChange(() => void model.refresh()),
    config.onDidChange(
      ['threads.defaultView', 'threads.joinBySubject', 'newMailNotifications', 'notifyFolders', 'unifiedInbox'],
      () => provider.redraw(),
    ),
    new CacheBounds(storageRoot, sessions, config, settings.onDidChange, log),
    checker.onDidRequestRefresh((id) => void model.checkLocalStore(id)),
    vscode.workspace.registerTextDocumentContentProvider(MESSAGE_SCHEME, new MessageDocuments(sessions)),
    ...registerAccountCommands({
      settings,
      sessions,
      model,
      view: provider.view,
      log,
      signIn: (account) => oauth.signIn(account),
      forgetSignIn: (id) => oauth.forget(id),
      oauthClients: oauthClients(config),
    }),
    ...registerMessageCommands({
      sessions,
      model,
      actions,
      view: provider.view,
      log,
      open: (node) => panels.open(node),
      activeMessage: () => panels.activeNode(),
    }),
    ...registerThreadCommands({
      sessions,
      model,
      actions,
      view: provider.view,
      log,
      openConversation: (thread) => conversations.open(thread),
      activeThread: () => conversations.activeThread() ?? panels.activeNode(),
    }),
    ...registerPatchCommands({
      sessions,
      model,
      view: provider.view,
      log,
      documents: patchDocuments,
      activeThread: () => conversations.activeThread() ?? panels.activeNode(),
    }),
    vscode.workspace.registerTextDocumentContentProvider(PATCH_SCHEME, patchDocuments),
    ...registerViewCommands(config),
    ...registerNoticeCommands({ settings: config, log, redraw: (node) => provider.redraw(node) }),
    ...registerSearchCommands({ sessions, model, view: provider.view, log, open: (node) => panels.open(node) }),
    ...registerMailCommands({ sessions, model, view: provider.view, log, open: (node) => panels.open(node) }),
    vscode.commands.registerCommand('letterbox.showLog', () => channel.show()),
    // VS Code's own issue reporter, filled in for this extension; the log lines are the user's to paste.
    vscode.commands.registerCommand('letterbox.reportIssue', () =>
      vscode.commands.executeCommand('workbench.action.openIssueReporter', {
        extensionId: context.extension.id,
        issueBody:
          "What happened, and the lines of Letterbox's log (Letterbox: Show Log) around it (they never contain passwords):\n\n",
      }),
    ),
    vscode.commands.registerCommand('letterbox.openSettings', () =>
      vscode.commands.executeCommand('workbench.action.openSettings', 'letterbox.'),
    ),
    { dispose: () => void sessions.dispose() },
    // Where the server cannot report every folder's counts as they change (no IMAP NOTIFY), they are polled: one
    // LIST-STATUS on the working connection, so any folder's count is right within half a minute.
    repeat(30_000, () => void model.refreshCounts()),
  );
  closeSessions = () => sessions.dispose();
  log.info(
    `activated with ${sessions.accounts().length} account(s) in ${(performance.now() - activationStarted).toFixed(0)} ms (VS Code ${vscode.version})`,
  );
}

let closeSessions: (() => Promise<void>) | undefined;

function repeat(ms: number, run: () => void): vscode.Disposable {
  const timer = setInterval(run, ms);
  return { dispose: () => clearInterval(timer) };
}

/** VS Code waits for this promise (a few seconds at most): LOGOUT and QUIT go out, and POP3 indexes are flushed. */
export async function deactivate(): Promise<void> {
  await closeSessions?.();
  closeSessions = undefined;
}
