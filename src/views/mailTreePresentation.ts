// How each node looks, decided without VS Code: labels, descriptions, tooltips, codicon names and the context
// values that menus match on. The adapter turns this into a TreeItem one to one.
import { aboutPatch } from '../patches/patchSubject';
import type { AccountConfig } from '../accounts/accountConfig';
import type { AccountStatus } from '../accounts/accountSessions';
import { formatSize } from '../mail/formatSize';
import type { MailErrorKind } from '../mail/mailError';
import type { Address, Folder, MessageSummary, SpecialUse } from '../mail/types';
import { waysForward } from '../mail/waysForward';
import { plainText } from '../util/plainText';
import type { MailNode } from '../mailbox/mailNodes';
import type { MailThread } from '../mailbox/mailThreads';

export interface NodePresentation {
  label: string;
  description?: string;
  tooltip?: string;
  icon?: string;
  /** A theme color id for the icon. */
  iconColor?: string;
  /** Words joined by ';' that `viewItem =~ /.../` menu clauses test. */
  contextValue: string;
  collapsible: 'none' | 'collapsed' | 'expanded';
  /** The command a click runs. */
  command?: 'open' | 'openThread' | 'loadMore' | 'retry';
}

export interface PresentationContext {
  account(id: string): AccountConfig | undefined;
  status(id: string): AccountStatus;
  /** Whether a folder shows threads (what its menu offers: back to messages, or threads). */
  threaded?(account: string, folder: string): boolean;
  /** Unread mail in every Inbox, for the All Inboxes row. */
  unifiedUnread?(): number;
  /** Whether a folder's new mail is announced (what its menu offers: Notify of New Mail Here, or Stop). */
  notifies?(account: string, folder: Folder): boolean;
  now?: Date;
  locale?: string;
}

const FOLDER_ICONS: Record<SpecialUse, string> = {
  inbox: 'inbox',
  sent: 'send',
  drafts: 'edit',
  trash: 'trash',
  junk: 'warning',
  archive: 'archive',
  all: 'mail',
  flagged: 'star-full',
};

const STATE_ICONS = {
  idle: 'account',
  connecting: 'sync~spin',
  online: 'account',
  offline: 'debug-disconnect',
  error: 'error',
} as const;

/**
 * How a node looks. Labels, descriptions and tooltips quote mail and servers (subjects, senders, folder names, error
 * texts), so all three are shown as plain text: no icon syntax, no link (util/plainText.ts).
 */
export function present(node: MailNode, context: PresentationContext): NodePresentation {
  const look = lookOf(node, context);
  return {
    ...look,
    label: plainText(look.label),
    description: look.description === undefined ? undefined : plainText(look.description),
    tooltip: look.tooltip === undefined ? undefined : plainText(look.tooltip),
  };
}

function lookOf(node: MailNode, context: PresentationContext): NodePresentation {
  switch (node.kind) {
    case 'account': {
      const account = context.account(node.account);
      const status = context.status(node.account);
      const protocol = account?.protocol.toUpperCase() ?? '';
      const now = (context.now ?? new Date()).getTime();
      const retrying =
        status.state === 'offline' && status.retryAt !== undefined
          ? `offline, retrying in ${Math.max(0, Math.ceil((status.retryAt - now) / 1000))} s`
          : undefined;
      const state = status.state === 'idle' ? '' : ` · ${retrying ?? status.state}`;
      return {
        label: account?.label ?? node.account,
        description: `${protocol}${state}`,
        tooltip: account
          ? `${account.label}\n${protocol} ${account.user} @ ${account.host}:${account.port} (${account.security})${status.error ? `\n\n${status.error.message}` : ''}${retrying ? `\n\nLetterbox reconnects by itself (${retrying}); Retry Now tries at once.` : ''}`
          : undefined,
        icon: STATE_ICONS[status.state],
        iconColor: status.state === 'error' ? 'errorForeground' : undefined,
        contextValue: `account;${account?.protocol ?? ''};${status.state}`,
        // Open at first sight: a mail client shows its folders (or why it cannot) without a click.
        collapsible: 'expanded',
      };
    }
    case 'unified': {
      const unread = context.unifiedUnread?.() ?? 0;
      return {
        label: 'All Inboxes',
        description: unread ? String(unread) : undefined,
        tooltip: `Every account's Inbox, newest first${unread ? `: ${unread} unread` : ''}. Letterbox: Hide All Inboxes removes it.`,
        icon: 'inbox',
        contextValue: 'unified',
        collapsible: 'expanded',
      };
    }
    case 'folder':
      return presentFolder(
        node.folder,
        context.threaded?.(node.account, node.folder.path) ?? false,
        context.notifies?.(node.account, node.folder),
      );
    case 'message': {
      const look = presentMessage(node.summary, context.now ?? new Date(), context.locale);
      if (node.joinedFrom)
        look.description = `${look.description ? `${look.description} · ` : ''}in ${node.joinedFrom}`;
      // In All Inboxes, whose mail it is.
      if (node.foundBy?.kind === 'unified')
        look.description = `${context.account(node.account)?.label ?? node.account} · ${look.description ?? ''}`;
      if (node.replies?.length) look.collapsible = 'expanded';
      // Thread actions are offered on a message shown in a thread too.
      if (node.shownUnder) look.contextValue += ';inThread';
      return look;
    }
    case 'thread':
      return presentThread(node.thread, context.now ?? new Date(), context.locale);
    case 'search':
      return {
        label: `Search: ${node.words.map((word) => (/\s/.test(word) ? `"${word}"` : word)).join(' ')}`,
        description: node.folderName ?? (node.folder ? node.folder : 'all folders'),
        tooltip: 'Kept search results; Refresh searches again, the × removes them.',
        icon: 'search',
        contextValue: 'search',
        collapsible: 'expanded',
      };
    case 'loadMore':
      return {
        label: 'Load more…',
        description: node.remaining ? `${node.remaining} older` : undefined,
        icon: 'ellipsis',
        contextValue: 'loadMore',
        collapsible: 'none',
        command: 'loadMore',
      };
    case 'notice': {
      if (!node.error) return { label: node.text, contextValue: 'notice', collapsible: 'none' };
      const kind = node.error.kind;
      return {
        label: noticeLabel(kind),
        description: node.error.message,
        tooltip: `${node.error.message}\n\n${node.error.signIn ? SIGN_IN_HELP : noticeHelp(kind)}`,
        icon: kind === 'network' ? 'debug-disconnect' : 'error',
        iconColor: 'errorForeground',
        // Menus match the ways forward, not the kinds: one table (mail/waysForward.ts) decides what is offered.
        contextValue: `error;kind=${kind};${waysForward(node.error).join(';')}`,
        collapsible: 'none',
        command: 'retry',
      };
    }
  }
}

function presentFolder(folder: Folder, threaded: boolean, notifies: boolean | undefined): NodePresentation {
  // The Inbox follows letterbox.newMailNotifications alone: no per-folder choice is offered for it.
  const notices = notifies === undefined || folder.specialUse === 'inbox' ? '' : notifies ? ';notifies' : ';quiet';
  return {
    label: folder.name,
    description: folder.unread ? String(folder.unread) : undefined,
    tooltip: `${folder.path}\n${folder.total} message${folder.total === 1 ? '' : 's'}, ${folder.unread} unread`,
    icon: folder.specialUse ? FOLDER_ICONS[folder.specialUse] : 'folder',
    contextValue: `folder${folder.selectable ? `;selectable;${threaded ? 'threads' : 'messages'}${notices}` : ''}${folder.specialUse ? `;${folder.specialUse}` : ''}`,
    collapsible: folder.specialUse === 'inbox' ? 'expanded' : 'collapsed',
  };
}

const DATE_NOTES: Record<NonNullable<MessageSummary['dateSource']> | 'header', string> = {
  header: '',
  received: ' (received by the server: the message has no valid date of its own)',
  downloaded: ' (downloaded: the message has no valid date of its own)',
};

function presentMessage(summary: MessageSummary, now: Date, locale: string | undefined): NodePresentation {
  const sender = summary.from[0];
  const flags = [summary.flags.seen ? 'read' : 'unread', summary.flags.flagged ? 'flagged' : 'unflagged'];
  return {
    label: summary.subject.trim() || '(no subject)',
    // A paperclip in the list itself, not only in the tooltip: it is what people scan for.
    description: [
      summary.hasAttachments ? '📎' : '',
      sender ? displayName(sender) : '',
      summary.date ? shortDate(summary.date, now, locale) : '',
    ]
      .filter(Boolean)
      .join(' · ')
      .replace('📎 · ', '📎 '),
    tooltip: [
      `From: ${summary.from.map(fullAddress).join(', ') || '(unknown)'}`,
      `To: ${summary.to.map(fullAddress).join(', ') || '(undisclosed)'}`,
      `Date: ${summary.date ? summary.date.toLocaleString(locale, { dateStyle: 'full', timeStyle: 'short' }) : '(none)'}${DATE_NOTES[summary.dateSource ?? 'header']}`,
      `Size: ${formatSize(summary.size)}${summary.hasAttachments ? ' · has attachments' : ''}`,
    ].join('\n'),
    icon: summary.flags.flagged ? 'star-full' : summary.flags.seen ? 'mail-read' : 'mail',
    iconColor: summary.flags.flagged ? 'charts.yellow' : summary.flags.seen ? undefined : 'charts.blue',
    // A patch, or a reply to one, offers Review / Apply Patch Series.
    contextValue: `message;${flags.join(';')}${aboutPatch(summary.subject) ? ';patch' : ''}`,
    collapsible: 'none',
    command: 'open',
  };
}

/** A thread's row: what it is about, who is in it, how much of it is new, and when it last moved. */
function presentThread(thread: MailThread, now: Date, locale: string | undefined): NodePresentation {
  const count = thread.messages.length;
  const names = thread.participants.map(displayName);
  const people = names.length > 3 ? `${names.slice(0, 3).join(', ')} +${names.length - 3}` : names.join(', ');
  const read = count - thread.unread;
  return {
    label: thread.subject.trim() || '(no subject)',
    description: [
      thread.hasAttachments ? '📎' : '',
      people,
      thread.unread ? `${count} · ${thread.unread} unread` : String(count),
      thread.latest ? shortDate(thread.latest, now, locale) : '',
    ]
      .filter(Boolean)
      .join(' · ')
      .replace('📎 · ', '📎 '),
    tooltip: [
      `Thread of ${count} messages, ${thread.unread} unread`,
      `From: ${thread.participants.map(fullAddress).join(', ') || '(unknown)'}`,
      `Latest: ${thread.latest ? thread.latest.toLocaleString(locale, { dateStyle: 'full', timeStyle: 'short' }) : '(no date)'}`,
    ].join('\n'),
    icon: 'comment-discussion',
    iconColor: thread.unread ? 'charts.blue' : undefined,
    // Menus offer "Mark Thread Read" only where something is unread, and "Unread" only where something is read.
    contextValue: `thread${thread.unread ? ';unread' : ''}${read ? ';read' : ''}${thread.messages.some((message) => aboutPatch(message.subject)) ? ';patch' : ''}`,
    collapsible: 'collapsed',
    command: 'openThread',
  };
}

const NOTICE_LABELS: Record<MailErrorKind, string> = {
  auth: 'Sign-in failed',
  tls: 'Untrusted or failed secure connection',
  network: 'Offline',
  protocol: 'The server refused',
  notFound: 'Not found',
  unsupported: 'Not supported by this server',
  storage: 'Local mail store failed',
  stale: 'Changed on the server',
  internal: 'Letterbox failed',
};

const NOTICE_HELP: Record<MailErrorKind, string> = {
  auth: 'Enter the password again, or edit the account.',
  tls: "Check the server name and security setting, or trust the certificate if you know it is the server's.",
  network: 'Letterbox reconnects by itself; Retry tries at once.',
  protocol: "Retry, or open the log for the server's answer.",
  notFound: 'It was moved or deleted elsewhere; Retry reloads.',
  unsupported: 'Edit the account (another security setting or policy may work), or open the log.',
  storage: "Check the free disk space and permissions of VS Code's storage folder, then Retry.",
  stale: 'The folder was rebuilt on the server; Retry reloads it.',
  internal: 'A bug in Letterbox, not your server: Show Log has the details; Report Issue tells us.',
};

const SIGN_IN_HELP = "Sign in again with the provider's page in your browser (Sign In), or edit the account.";

function noticeLabel(kind: MailErrorKind): string {
  return NOTICE_LABELS[kind];
}

function noticeHelp(kind: MailErrorKind): string {
  return NOTICE_HELP[kind];
}

/** A folder's real path where it says more than its name ("INBOX.Archive" beside "Archive"), else nothing. */
export function pathBesideName(folder: Pick<Folder, 'name' | 'path'>): string {
  return folder.name.toLowerCase() === folder.path.toLowerCase() ? '' : folder.path;
}

export function displayName(address: Address): string {
  return address.name || address.address;
}

export function fullAddress(address: Address): string {
  return address.name ? `${address.name} <${address.address}>` : address.address;
}

/** Today: the time; this year: day and month; older: with the year. */
export function shortDate(date: Date, now: Date, locale?: string): string {
  const sameDay = date.toDateString() === now.toDateString();
  if (sameDay) return date.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  if (date.getFullYear() === now.getFullYear())
    return date.toLocaleDateString(locale, { month: 'short', day: 'numeric' });
  return date.toLocaleDateString(locale, { year: 'numeric', month: 'short', day: 'numeric' });
}
