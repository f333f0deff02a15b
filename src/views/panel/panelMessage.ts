// MailMessage (domain) -> PanelMessage (contract): what the webview needs, with cid images as data: URLs.
import type { PanelMessage } from '../../../contract/panelMessages';
import type { MailMessage, MessageSummary } from '../../mail/types';

/** Inline images travel inside the message event; past this total they are left out rather than slow the panel. */
const INLINE_BUDGET = 12 * 1024 * 1024;

/**
 * `listed`: the date the message list shows, used when the message has no valid Date header of its own (the
 * server's receive time, or the download time), marked as such; never "now".
 */
export function toPanelMessage(
  message: MailMessage,
  flags: { seen: boolean; flagged: boolean },
  inTrash: boolean,
  pinned: boolean,
  listed?: Pick<MessageSummary, 'date' | 'dateSource'>,
  view: 'html' | 'text' = 'html',
): PanelMessage {
  const fallback = !message.date && listed?.date ? listed : undefined;
  const inlineImages: Record<string, string> = {};
  let budget = INLINE_BUDGET;
  for (const attachment of message.attachments) {
    if (!attachment.contentId || !attachment.contentType.startsWith('image/') || attachment.content.length > budget)
      continue;
    budget -= attachment.content.length;
    inlineImages[attachment.contentId] =
      `data:${attachment.contentType};base64,${Buffer.from(attachment.content).toString('base64')}`;
  }
  return {
    subject: message.subject,
    from: message.from,
    to: message.to,
    cc: message.cc,
    date: (message.date ?? fallback?.date)?.toISOString(),
    dateNote: fallback
      ? fallback.dateSource === 'downloaded'
        ? 'downloaded; the message has no date of its own'
        : 'received; the message has no date of its own'
      : undefined,
    html: message.html,
    text: message.text,
    attachments: message.attachments
      .filter((attachment) => !(attachment.inline && attachment.contentId && inlineImages[attachment.contentId]))
      .map(({ id, filename, contentType, size }) => ({ id, filename, contentType, size })),
    inlineImages,
    notice: message.notice,
    view: message.html === undefined ? 'text' : view,
    flags,
    inTrash,
    pinned,
  };
}
