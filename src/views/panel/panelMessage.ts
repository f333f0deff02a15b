// MailMessage (domain) -> PanelMessage (contract): what the webview needs, with cid images as data: URLs.
import type { PanelMessage } from '../../../contract/panelMessages';
import type { MailMessage } from '../../mail/types';

/** Inline images travel inside the message event; past this total they are left out rather than slow the panel. */
const INLINE_BUDGET = 12 * 1024 * 1024;

export function toPanelMessage(message: MailMessage, flags: { seen: boolean; flagged: boolean }, inTrash: boolean, pinned: boolean): PanelMessage {
  const inlineImages: Record<string, string> = {};
  let budget = INLINE_BUDGET;
  for (const attachment of message.attachments) {
    if (!attachment.contentId || !attachment.contentType.startsWith('image/') || attachment.content.length > budget) continue;
    budget -= attachment.content.length;
    inlineImages[attachment.contentId] = `data:${attachment.contentType};base64,${Buffer.from(attachment.content).toString('base64')}`;
  }
  return {
    subject: message.subject,
    from: message.from,
    to: message.to,
    cc: message.cc,
    date: message.date?.toISOString(),
    html: message.html,
    text: message.text,
    attachments: message.attachments
      .filter((attachment) => !(attachment.inline && attachment.contentId && inlineImages[attachment.contentId]))
      .map(({ id, filename, contentType, size }) => ({ id, filename, contentType, size })),
    inlineImages,
    notice: message.notice,
    flags,
    inTrash,
    pinned,
  };
}
