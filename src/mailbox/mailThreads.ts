// A folder's messages as threads (mailbox/threading.ts does the joining): what a thread row shows (subject,
// participants, counts) and which messages it holds. The user's own replies, kept in Sent, join the threads they
// answer, so a discussion reads whole from the Inbox; a thread of Sent mail alone is not the Inbox's.
import type { Address, MessageSummary } from '../mail/types';
import { threadMessages, type ThreadBranch } from './threading';

export interface MailThread {
  key: string;
  /** The subject of the thread's first message. */
  subject: string;
  /** Oldest first; the folder's own and the replies joined from elsewhere (Sent). */
  messages: MessageSummary[];
  branches: ThreadBranch<MessageSummary>[];
  unread: number;
  latest?: Date;
  /** Senders, each once, in the order they first wrote. */
  participants: Address[];
  hasAttachments: boolean;
}

export interface ThreadsOptions {
  /** Also join threads by subject (the setting letterbox.threads.joinBySubject). */
  bySubject?: boolean;
}

/**
 * The threads of a folder's loaded messages, newest activity first. `joined` are messages of other folders (Sent)
 * that appear only inside a thread holding at least one of `own`.
 */
export function mailThreads(
  own: readonly MessageSummary[],
  joined: readonly MessageSummary[],
  options: ThreadsOptions = {},
): MailThread[] {
  const owned = new Set(own);
  // A message filed in both (a copy sent to oneself) shows once, from the folder itself.
  const ownIds = new Set(own.map((summary) => summary.messageId).filter(Boolean));
  const extra = joined.filter((summary) => !summary.messageId || !ownIds.has(summary.messageId));
  // Oldest first, as RFC 5256 threads them: of two messages with one Message-ID, the first to arrive is the one
  // replies join (pages come newest first).
  return threadMessages([...own, ...extra].reverse(), options)
    .filter((thread) => thread.messages.some((message) => owned.has(message)))
    .map((thread) => {
      const senders = new Map<string, Address>();
      for (const message of thread.messages) {
        const sender = message.from[0];
        if (sender && !senders.has(sender.address.toLowerCase())) senders.set(sender.address.toLowerCase(), sender);
      }
      return {
        key: thread.key,
        subject: thread.messages[0].subject,
        messages: thread.messages,
        branches: thread.branches,
        unread: thread.messages.filter((message) => !message.flags.seen).length,
        latest: thread.latest ? new Date(thread.latest) : undefined,
        participants: [...senders.values()],
        hasAttachments: thread.messages.some((message) => message.hasAttachments),
      };
    });
}
