// What the message list needs, read from the header block alone: a 10 MB message costs no more than a small one.
// The local store keeps it in its index (store/ is handed this function: it parses no MIME itself).
import { boundedReferences, idsIn } from '../../mail/messageIds';
import type { HeaderSummary } from '../../mail/types';
import { addresses } from './addresses';
import { headerDate } from './headerDate';

export async function summarizeHeaders(start: Buffer, size: number): Promise<HeaderSummary> {
  const end = headerEnd(start);
  // Loaded on first use: see protocols/mime/loadParser.ts for why.
  const { simpleParser } = await import('mailparser');
  const parsed = await simpleParser(Buffer.concat([start.subarray(0, end), Buffer.from('\n\n')]), {
    skipTextToHtml: true,
    skipHtmlToText: true,
  });
  const contentType = parsed.headers.get('content-type') as { value?: string } | undefined;
  const date = headerDate(parsed)?.toISOString();
  return {
    subject: parsed.subject ?? '',
    from: addresses(parsed.from),
    to: addresses(parsed.to),
    date,
    // From the top-level type only: multipart/mixed is how mail carries attachments.
    hasAttachments: /^multipart\/mixed$/i.test(contentType?.value ?? ''),
    size,
    ...threadingOf(parsed.messageId, parsed.inReplyTo, parsed.references),
  };
}

function headerEnd(start: Buffer): number {
  const lf = start.indexOf('\n\n');
  const crlf = start.indexOf('\r\n\r\n');
  const candidates = [lf, crlf].filter((index) => index >= 0);
  return candidates.length ? Math.min(...candidates) : start.length;
}

/** Message-ID, In-Reply-To and (bounded) References as ids without brackets; absent ones are left out. */
function threadingOf(
  messageId: string | undefined,
  inReplyTo: string | undefined,
  references: string | string[] | undefined,
): Pick<HeaderSummary, 'messageId' | 'inReplyTo' | 'references'> {
  const own = idsIn(messageId)[0];
  const parent = idsIn(inReplyTo)[0];
  const chain = boundedReferences((Array.isArray(references) ? references : [references ?? '']).flatMap(idsIn));
  return {
    ...(own ? { messageId: own } : {}),
    ...(parent ? { inReplyTo: parent } : {}),
    ...(chain.length ? { references: chain } : {}),
  };
}
