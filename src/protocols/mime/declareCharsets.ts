// Text parts that do not say their charset, read the way a browser (and Thunderbird) reads them. mailparser takes
// a text part without a charset parameter as UTF-8, so an HTML part that declares its charset only in a
// <meta> tag, or Latin-1 text with no declaration at all, shows replacement characters. Before parsing, each such
// part gets the charset a browser would use written into its Content-Type (the raw bytes for View Source are not
// touched): the <meta> declaration in the first 1024 bytes (HTML's prescan), else UTF-8 if the bytes are valid
// UTF-8, else windows-1252. A charset the MIME header names always wins.
import { Joiner, Splitter } from '@zone-eu/mailsplit';
import libqp from 'libqp';
import type { Transform } from 'node:stream';

interface Chunk {
  type: string;
  value?: Buffer;
  node?: SplitNode;
}

interface SplitNode extends Chunk {
  contentType: string | false;
  charset: string | false;
  encoding: string | false;
  multipart: string | false;
  setCharset(charset: string): void;
}

/**
 * Quick test whether a message could have a text part without a charset; most mail does not need the pass. It
 * reads the Content-Type lines in place (a 10 MB attachment is not copied into a string to look for them).
 */
function mayNeedDeclaring(raw: Buffer): boolean {
  const headerEnd = raw.indexOf('\r\n\r\n') >= 0 ? raw.indexOf('\r\n\r\n') : raw.indexOf('\n\n');
  let rootHasType = false;
  for (const marker of ['ontent-type:', 'ontent-Type:', 'ONTENT-TYPE:']) {
    for (let at = raw.indexOf(marker); at >= 0; at = raw.indexOf(marker, at + marker.length)) {
      if (headerEnd < 0 || at < headerEnd) rootHasType = true;
      const line = raw
        .toString('latin1', at + marker.length, Math.min(raw.length, at + marker.length + 200))
        .split(/\r?\n(?![ \t])/)[0];
      if (/^\s*text\/(?:html|plain)\b/i.test(line) && !/charset/i.test(line)) return true;
    }
  }
  return !rootHasType;
}

/** The message with a charset declared on every text part that had none; undefined when nothing changed. */
export async function declareMissingCharsets(raw: Buffer): Promise<Buffer | undefined> {
  if (!mayNeedDeclaring(raw)) return undefined;
  const chunks = await split(raw);
  const bodies = new Map<SplitNode, Buffer[]>();
  for (const chunk of chunks) {
    if (chunk.type === 'body' && chunk.node && chunk.value && needsCharset(chunk.node)) {
      bodies.set(chunk.node, [...(bodies.get(chunk.node) ?? []), chunk.value]);
    }
  }
  let changed = false;
  for (const chunk of chunks) {
    if (chunk.type !== 'node' || !needsCharset(chunk as SplitNode)) continue;
    const node = chunk as SplitNode;
    const charset = sniffCharset(
      decodeTransfer(node, Buffer.concat(bodies.get(node) ?? [])),
      node.contentType === 'text/html',
    );
    if (!charset) continue;
    node.setCharset(charset);
    changed = true;
  }
  return changed ? join(chunks) : undefined;
}

function needsCharset(node: SplitNode): boolean {
  if (node.multipart || node.charset) return false;
  return !node.contentType || node.contentType === 'text/plain' || node.contentType === 'text/html';
}

function decodeTransfer(node: SplitNode, body: Buffer): Buffer {
  const encoding = (node.encoding || '').toLowerCase();
  if (encoding === 'base64') return Buffer.from(body.toString('latin1').replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  if (encoding === 'quoted-printable') return libqp.decode(body.toString('latin1'));
  return body;
}

/**
 * The charset to declare, or undefined to leave the part as UTF-8 (it is valid UTF-8, or plain ASCII).
 * HTML: the <meta> prescan first (HTML Living Standard 13.2.3.2), where UTF-16 names mean UTF-8.
 */
export function sniffCharset(bytes: Buffer, html: boolean): string | undefined {
  if (html) {
    const declared = metaCharset(bytes.subarray(0, 1024).toString('latin1'));
    if (declared)
      return /^utf-?16/i.test(declared) ? 'utf-8' : /^x-user-defined$/i.test(declared) ? 'windows-1252' : declared;
  }
  return isUtf8(bytes) ? undefined : 'windows-1252';
}

function metaCharset(start: string): string | undefined {
  for (const meta of start.match(/<meta\b[^>]*>/gi) ?? []) {
    const direct = /\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:+-]+)/i.exec(meta);
    if (/\bcharset\s*=/i.test(meta) && !/http-equiv/i.test(meta) && direct) return direct[1];
    if (/http-equiv\s*=\s*["']?\s*content-type/i.test(meta)) {
      const content =
        /\bcontent\s*=\s*(["'])(.*?)\1/i.exec(meta)?.[2] ?? /\bcontent\s*=\s*([^\s>]+)/i.exec(meta)?.[1] ?? '';
      const charset = /charset\s*=\s*["']?([A-Za-z0-9._:+-]+)/i.exec(content)?.[1];
      if (charset) return charset;
    }
  }
  return undefined;
}

function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function split(raw: Buffer): Promise<Chunk[]> {
  return new Promise((resolve, reject) => {
    // mailsplit types its streams with a 'data' event only; they are ordinary Transforms.
    const splitter = new Splitter() as unknown as Transform;
    const chunks: Chunk[] = [];
    splitter.on('data', (chunk: Chunk) => chunks.push(chunk));
    splitter.on('end', () => resolve(chunks));
    splitter.on('error', reject);
    splitter.end(raw);
  });
}

function join(chunks: Chunk[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const joiner = new Joiner() as unknown as Transform;
    const out: Buffer[] = [];
    joiner.on('data', (chunk: Buffer) => out.push(chunk));
    joiner.on('end', () => resolve(Buffer.concat(out)));
    joiner.on('error', reject);
    for (const chunk of chunks) joiner.write(chunk);
    joiner.end();
  });
}
