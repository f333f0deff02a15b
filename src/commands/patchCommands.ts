// Patch series from the tree, a panel or the palette: Review Patch Series opens each patch's files in VS Code's
// diff editor against the repository the user works in (at the cover letter's base-commit, else HEAD), and Apply
// Patch Series makes a branch of it with git am (patches/gitApply.ts), the reviews' trailers added. The series is
// found in the thread of the message or thread given (patches/patchSeries.ts). Mail text stays data: subjects go
// through the safe pick and notification helpers, and nothing of a mail becomes a command.
import * as vscode from 'vscode';
import type { AccountSessions } from '../accounts/accountSessions';
import type { Logger } from '../mail/logger';
import type { MessageSummary } from '../mail/types';
import type { MailNode, MessageNode, ThreadNode } from '../mailbox/mailNodes';
import type { MailTreeModel } from '../mailbox/mailTreeModel';
import { GitError, runGit } from '../patches/git';
import { applySeries, baseCommitOf, branchNameFor } from '../patches/gitApply';
import { findSeries, type PatchSeries, type SeriesMessage } from '../patches/patchSeries';
import { seriesSnapshots, type PatchSnapshot } from '../patches/patchSnapshots';
import { seriesTrailers } from '../patches/trailers';
import { showError, showInfo, showWarning } from '../util/notify';
import { showPick, type PickItem } from '../util/quickPick';
import { guarded } from '../util/reportError';
import type { PatchDocuments } from '../views/patchDocuments';
import { accountIdOf, treeItemVanished } from './commandArguments';

export interface PatchCommandDeps {
  sessions: AccountSessions;
  model: MailTreeModel;
  view: vscode.TreeView<MailNode>;
  log: Logger;
  documents: PatchDocuments;
  /** The thread or message of the active panel, if one is active. */
  activeThread: () => ThreadNode | MessageNode | undefined;
}

type Mail = SeriesMessage & { node: MessageNode };
type Series = PatchSeries<Mail>;

export function registerPatchCommands(deps: PatchCommandDeps): vscode.Disposable[] {
  const { model, view, log } = deps;
  let reviews = 0;

  /** The series in the thread of what was given (or of the active panel, or the selection); asks which if several. */
  async function chooseSeries(node: MailNode | undefined): Promise<{ series: Series; account: string } | undefined> {
    const given = [node, deps.activeThread(), view.selection[0]].find(
      (candidate): candidate is ThreadNode | MessageNode =>
        candidate?.kind === 'thread' || candidate?.kind === 'message',
    );
    if (!given) {
      void showInfo('Select a thread or message of a patch series in the Mail view first ([PATCH v2 1/3] …).');
      return undefined;
    }
    // A thread's messages; a message shown in a list: the folder's loaded messages, threaded here.
    const thread = given.kind === 'thread' ? given : model.threadOf(given);
    const nodes = thread
      ? model.threadMessages(thread)
      : model.loadedMessages(given.account, (given as MessageNode).summary.ref.folder);
    const found = findSeries(nodes.map((one) => asMail(one)));
    const mine = found.filter((series) => given.kind === 'thread' || holds(series, given));
    const all = mine.length ? mine : found;
    if (!all.length) {
      void showInfo('There is no patch series here: a series has subjects like "[PATCH v2 1/3] …".');
      return undefined;
    }
    const series =
      all.length === 1
        ? all[0]
        : (
            await showPick(
              all.map((candidate) => ({
                label: `v${candidate.version}: ${candidate.title}`,
                description: summaryOf(candidate),
                candidate,
              })),
              { placeHolder: 'Which version of the series?' },
            )
          )?.candidate;
    return series ? { series, account: given.account } : undefined;
  }

  /** The repository to work in: the workspace folder that is one, or the one the user picks. */
  async function chooseRepository(verb: string): Promise<string | undefined> {
    const candidates: string[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme !== 'file') continue;
      const top = await runGit('git', folder.uri.fsPath, ['rev-parse', '--show-toplevel']).catch(() => undefined);
      if (top?.trim() && !candidates.includes(top.trim())) candidates.push(top.trim());
    }
    if (!candidates.length) {
      void showError(
        `No git repository is open to ${verb} the series in: open the repository it is for as a folder of this window (and check that git is installed).`,
      );
      return undefined;
    }
    if (candidates.length === 1) return candidates[0];
    return (
      await showPick(
        candidates.map((path) => ({ label: path, path })),
        { placeHolder: `Which repository do you want to ${verb} the series in?` },
      )
    )?.path;
  }

  const source = async (account: string, mail: Mail) =>
    Buffer.from(await deps.sessions.run(account, (backend) => backend.fetchSource(mail.node.summary.ref)));

  /** The series' patch mails (all present, or a clear refusal), and the base it names. */
  async function patchesOf(account: string, series: Series): Promise<{ raws: Buffer[]; base?: string } | undefined> {
    if (series.missing.length) {
      const which =
        series.missing.length === 1
          ? `Patch ${series.missing[0]} of ${series.total} is`
          : `Patches ${series.missing.join(', ')} of ${series.total} are`;
      void showError(
        `${which} not here: the series can be shown and applied only whole. Look in other folders, or in the list's archive.`,
      );
      return undefined;
    }
    const raws = await Promise.all(series.patches.map((patch) => source(account, patch!)));
    const cover = series.cover ? (await source(account, series.cover)).toString('utf8') : undefined;
    return { raws, base: cover ? baseCommitOf(cover) : undefined };
  }

  /** The base commit if the repository has it, else HEAD (and the user is told). */
  async function baseIn(repo: string, wanted: string | undefined): Promise<string> {
    if (
      wanted &&
      (await runGit('git', repo, ['rev-parse', '--verify', '--quiet', `${wanted}^{commit}`]).catch(() => ''))
    )
      return wanted;
    if (wanted)
      void showWarning(
        `The series is based on ${wanted.slice(0, 12)}, which ${repo} does not have: it is shown against HEAD.`,
      );
    return (await runGit('git', repo, ['rev-parse', 'HEAD'])).trim();
  }

  const command = (id: string, run: (node: MailNode | undefined) => Promise<void>) =>
    vscode.commands.registerCommand(
      id,
      guarded(
        log,
        (node?: unknown) => accountIdOf(node) ?? deps.activeThread()?.account ?? view.selection[0]?.account,
        async (...args: unknown[]) => {
          if (treeItemVanished(args, 'message')) return;
          try {
            await run(args[0] as MailNode | undefined);
          } catch (error) {
            // Git said no (a patch that does not apply, a branch that exists): its message, not a bug report.
            if (!(error instanceof GitError)) throw error;
            log.warn(`${error.message}${error.output ? `\n${error.output.trim()}` : ''}`);
            if ((await showError(error.message, 'Show Log')) === 'Show Log')
              await vscode.commands.executeCommand('letterbox.showLog');
          }
        },
      ),
    );

  return [
    command('letterbox.reviewPatchSeries', async (node) => {
      const chosen = await chooseSeries(node);
      if (!chosen) return;
      const { series, account } = chosen;
      const repo = await chooseRepository('review');
      if (!repo) return;
      const patches = await patchesOf(account, series);
      if (!patches) return;
      const base = await baseIn(repo, patches.base);
      const snapshots = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `Reading v${series.version} of the series against ${repo}…`,
        },
        () => seriesSnapshots({ repo, base, patches: patches.raws }),
      );
      const review = `r${++reviews}`;
      const items = snapshots.flatMap((snapshot, index) => filesToPick(series, snapshot, index));
      for (;;) {
        const picked = await showPick(items, {
          placeHolder: `v${series.version} of "${series.title}": which file do you want to see? (Esc when done)`,
          matchOnDescription: true,
        });
        if (!picked?.file) return;
        const { index, file } = picked;
        const before = deps.documents.put(review, index + 1, 'before', file.oldPath ?? file.path, file.before ?? '');
        const after = deps.documents.put(review, index + 1, 'after', file.path, file.after ?? '');
        await vscode.commands.executeCommand(
          'vscode.diff',
          before,
          after,
          `${file.path} (${index + 1}/${series.total}: ${subjectOf(snapshots[index]!)})`,
          { preview: true, preserveFocus: false },
        );
      }
    }),
    command('letterbox.applyPatchSeries', async (node) => {
      const chosen = await chooseSeries(node);
      if (!chosen) return;
      const { series, account } = chosen;
      const repo = await chooseRepository('apply');
      if (!repo) return;
      const patches = await patchesOf(account, series);
      if (!patches) return;
      const texts = new Map<Mail, string>();
      for (const reply of series.replies) {
        const message = await deps.sessions.run(account, (backend) =>
          backend.fetchMessage(reply.message.node.summary.ref),
        );
        texts.set(reply.message, message.text ?? '');
      }
      const trailers = seriesTrailers(series, (mail) => texts.get(mail));
      const branch = branchNameFor(series.title, series.version);
      const collected = trailers.reduce((sum, list) => sum + list.length, 0);
      const sure = await showWarning(
        `Apply v${series.version} of "${series.title}" (${series.total} patch${series.total === 1 ? '' : 'es'}) to a new branch ${branch}?`,
        {
          modal: true,
          detail: [
            `In ${repo}, from ${patches.base ? `its base ${patches.base.slice(0, 12)} where the repository has it, else HEAD` : 'HEAD'}, with git am -3.`,
            collected
              ? `${collected} trailer${collected === 1 ? '' : 's'} from the reviews (Reviewed-by, Acked-by, Tested-by) go into the commits.`
              : 'No review trailers were found in the replies.',
            series.supersededBy ? `A newer version (v${series.supersededBy.version}) is in this thread.` : '',
            'Git hooks do not run. If a patch does not apply, nothing is changed.',
          ]
            .filter(Boolean)
            .join('\n'),
        },
        'Apply',
      );
      if (sure !== 'Apply') return;
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Applying v${series.version} of the series…` },
        () =>
          applySeries({
            repo,
            branch,
            ...(patches.base ? { base: patches.base } : {}),
            patches: patches.raws.map((raw, index) => ({ raw, trailers: trailers[index] ?? [] })),
          }),
      );
      log.info(`applied ${result.commits} patch(es) as ${result.branch} in ${repo}`);
      void showInfo(
        `Applied as ${result.commits} commit${result.commits === 1 ? '' : 's'} on the new branch ${result.branch}${result.baseFound || !patches.base ? '' : ` (from HEAD: the base ${patches.base.slice(0, 12)} is not in this repository)`}; it is checked out.`,
      );
    }),
  ];
}

function asMail(node: MessageNode): Mail {
  const summary: MessageSummary = node.summary;
  return {
    subject: summary.subject,
    messageId: summary.messageId,
    inReplyTo: summary.inReplyTo,
    references: summary.references,
    date: summary.date,
    threadId: summary.threadId,
    from: summary.from,
    node,
  };
}

/** Whether the message is the series' cover letter, one of its patches or a reply to them. */
function holds(series: Series, node: MessageNode): boolean {
  const mails = [series.cover, ...series.patches, ...series.replies.map((reply) => reply.message)];
  return mails.some((mail) => mail?.node.key === node.key);
}

function summaryOf(series: Series): string {
  return [
    `${series.total} patch${series.total === 1 ? '' : 'es'}`,
    series.missing.length ? `${series.missing.length} missing` : '',
    series.supersededBy ? `superseded by v${series.supersededBy.version}` : '',
    series.rfc ? 'RFC' : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

function subjectOf(snapshot: PatchSnapshot): string {
  return snapshot.message.split('\n')[0] ?? '';
}

interface FileItem extends PickItem {
  index: number;
  file?: PatchSnapshot['files'][number];
}

/** A patch's heading (its subject) and its files, for the pick. */
function filesToPick(series: Series, snapshot: PatchSnapshot, index: number): FileItem[] {
  const heading: FileItem = {
    label: `${index + 1}/${series.total}: ${subjectOf(snapshot)}`,
    kind: vscode.QuickPickItemKind.Separator,
    index,
  };
  return [
    heading,
    ...snapshot.files.map((file) => ({
      label: file.path,
      description: `${file.status}${file.oldPath ? ` from ${file.oldPath}` : ''}${file.status === 'binary' ? ' (not shown)' : ''}`,
      icon: file.status === 'added' ? 'diff-added' : file.status === 'deleted' ? 'diff-removed' : 'diff-modified',
      index,
      file,
    })),
  ];
}
