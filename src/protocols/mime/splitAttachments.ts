// The attachments of a message that mailparser will not take apart (more than 1000 MIME parts: its splitter's
// bound, which keeps a whole tree of parts in memory). A streaming split needs no tree: each leaf part is looked at
// as it passes, and only the attachments' decoded bytes are kept, so such a message still lists and saves them.
import { Splitter } from '@zone-eu/mailsplit';
import libqp from 'libqp';
import type { Transform } from 'node:stream';
import type { Attachment } from '../../mail/types';

/** Parts past this many are not looked at: a message of tiny parts cannot make the split run for ever. */
const MAX_PARTS = 100_000;

interface SplitNode {
  type: 'node';
  multipart: string | false;
  contentType: string | false;
  encoding: string | false;
  disposition: string | false;
  filename: string | false;
  headers: false | { getFirst(key: string): string };
}

interface SplitChunk {
  type: string;
  value?: Buffer;
  node?: SplitNode;
}

export function splitAttachments(raw: Buffer): Promise<Attachment[]> {
  return new Promise((resolve, reject) => {
    // mailsplit types its streams with a 'data' event only; they are ordinary Transforms.
    const splitter = new Splitter({ maxChildNodes: MAX_PARTS, ignoreEmbedded: true }) as unknown as Transform;
    const bodies = new Map<SplitNode, Buffer[]>();
    const order: SplitNode[] = [];
    splitter.on('data', (chunk: SplitChunk) => {
      if (chunk.type === 'node' && isAttachment(chunk as unknown as SplitNode)) {
        const node = chunk as unknown as SplitNode;
        bodies.set(node, []);
        order.push(node);
      } else if (chunk.type === 'body' && chunk.node && chunk.value && bodies.has(chunk.node)) {
        bodies.get(chunk.node)!.push(chunk.value);
      }
    });
    splitter.on('end', () =>
      resolve(order.map((node, index) => toAttachment(node, Buffer.concat(bodies.get(node) ?? []), index))),
    );
    splitter.on('error', reject);
    splitter.end(raw);
  });
}

/** A leaf part that a person would save: marked as an attachment, named, or anything but the message's text. */
function isAttachment(node: SplitNode): boolean {
  if (node.multipart) return false;
  if (node.disposition === 'attachment' || node.filename) return true;
  const type = node.contentType || 'text/plain';
  return !type.startsWith('text/');
}

function toAttachment(node: SplitNode, body: Buffer, index: number): Attachment {
  const content = decode(node.encoding, body);
  const contentType = node.contentType || 'application/octet-stream';
  const contentId = node.headers
    ? node.headers.getFirst('content-id').trim().replace(/^<|>$/g, '') || undefined
    : undefined;
  return {
    id: String(index),
    filename:
      node.filename || `attachment-${index + 1}.${contentType.split('/')[1]?.replace(/[^a-z0-9]+/gi, '') || 'bin'}`,
    contentType,
    size: content.length,
    contentId,
    // Without the tree there is no HTML to show inline images in: every part is listed to be saved.
    inline: false,
    content: new Uint8Array(content.buffer, content.byteOffset, content.byteLength),
  };
}

function decode(encoding: string | false, body: Buffer): Buffer {
  const name = (encoding || '').toLowerCase();
  if (name === 'base64') return Buffer.from(body.toString('latin1').replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  if (name === 'quoted-printable') return libqp.decode(body.toString('latin1'));
  return body;
}
