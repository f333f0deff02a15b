// The one place imapflow objects become domain types (aerc's translateEnvelope). Nothing past protocols/imap
// sees a ListResponse or FetchMessageObject.
import type { FetchMessageObject, ListResponse, MessageAddressObject, MessageStructureObject } from 'imapflow';
import { boundedReferences, idsIn } from '../../mail/messageIds';
import type { Address, Flags, Folder, MessageRef, MessageSummary, SpecialUse } from '../../mail/types';

const SPECIAL_USE: Record<string, SpecialUse> = {
  '\\Inbox': 'inbox',
  '\\Sent': 'sent',
  '\\Drafts': 'drafts',
  '\\Trash': 'trash',
  '\\Junk': 'junk',
  '\\Archive': 'archive',
  '\\All': 'all',
  '\\Flagged': 'flagged',
};

export function toFolder(entry: ListResponse): Folder {
  const isInbox = entry.path.toUpperCase() === 'INBOX';
  return {
    path: entry.path,
    name: isInbox ? 'Inbox' : entry.name,
    delimiter: entry.delimiter ?? '',
    parentPath: entry.parentPath || undefined,
    specialUse: isInbox ? 'inbox' : entry.specialUse ? SPECIAL_USE[entry.specialUse] : undefined,
    selectable: !hasFlag(entry.flags, '\\Noselect') && !hasFlag(entry.flags, '\\NonExistent'),
    total: entry.status?.messages ?? 0,
    unread: entry.status?.unseen ?? 0,
  };
}

function hasFlag(flags: Set<string>, wanted: string): boolean {
  for (const flag of flags) if (flag.toLowerCase() === wanted.toLowerCase()) return true;
  return false;
}

export function toFlags(flags: Set<string> | undefined): Flags {
  const has = (flag: string) => (flags ? hasFlag(flags, flag) : false);
  return { seen: has('\\Seen'), flagged: has('\\Flagged'), answered: has('\\Answered'), draft: has('\\Draft') };
}

export function toAddresses(list: MessageAddressObject[] | undefined): Address[] {
  return (list ?? []).map((entry) => ({ name: entry.name ?? '', address: entry.address ?? '' }));
}

export function toSummary(message: FetchMessageObject, ref: Omit<MessageRef, 'id'>): MessageSummary {
  const envelope = message.envelope;
  const written = toDate(envelope?.date);
  return {
    ref: { ...ref, id: String(message.uid) },
    subject: envelope?.subject ?? '',
    from: toAddresses(envelope?.from),
    to: toAddresses(envelope?.to),
    date: written ?? toDate(message.internalDate),
    ...(written ? {} : { dateSource: 'received' as const }),
    size: message.size ?? 0,
    flags: toFlags(message.flags),
    hasAttachments: message.bodyStructure ? hasAttachments(message.bodyStructure) : false,
    ...threadingOf(message),
  };
}

/** Message-ID and In-Reply-To from the envelope, References where that one header was fetched (imapSummaries.ts). */
function threadingOf(message: FetchMessageObject): Partial<MessageSummary> {
  const envelope = message.envelope;
  const references = referencesOf(message.headers);
  return {
    ...(idsIn(envelope?.messageId)[0] ? { messageId: idsIn(envelope?.messageId)[0] } : {}),
    ...(idsIn(envelope?.inReplyTo)[0] ? { inReplyTo: idsIn(envelope?.inReplyTo)[0] } : {}),
    ...(references.length ? { references } : {}),
    ...(message.threadId ? { threadId: String(message.threadId) } : {}),
  };
}

/** The References of a HEADER.FIELDS (REFERENCES) answer, bounded (mail/messageIds.ts). */
export function referencesOf(headers: Buffer | undefined): string[] {
  return boundedReferences(idsIn(referencesHeader(headers)));
}

/** The value of the References field in a HEADER.FIELDS answer, unfolded (RFC 5322 2.2.3). */
function referencesHeader(headers: Buffer | undefined): string {
  if (!headers) return '';
  const match = /(?:^|\n)references:([^]*?)(?=\r?\n(?![ \t])|$)/i.exec(headers.toString('latin1'));
  return match ? match[1].replace(/\r?\n[ \t]/g, ' ') : '';
}

function toDate(value: Date | string | undefined): Date | undefined {
  if (!value) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * Decides from BODYSTRUCTURE alone, without downloading the body. A part counts as an attachment when it says
 * so (Content-Disposition: attachment), or when it is a named non-text leaf that is not an inline image of a
 * multipart/related HTML body.
 */
export function hasAttachments(node: MessageStructureObject, parentType = ''): boolean {
  const type = (node.type ?? '').toLowerCase();
  if (node.childNodes?.length) return node.childNodes.some((child) => hasAttachments(child, type));
  const disposition = (node.disposition ?? '').toLowerCase();
  if (disposition === 'attachment') return true;
  if (type === 'message/rfc822') return true;
  const named = Boolean(node.dispositionParameters?.filename ?? node.parameters?.name);
  const isBodyText = type.startsWith('text/') && !named;
  if (isBodyText || type.startsWith('multipart/')) return false;
  const inlineRelated = parentType === 'multipart/related' && (disposition === 'inline' || Boolean(node.id));
  return !inlineRelated && (named || disposition !== 'inline');
}
