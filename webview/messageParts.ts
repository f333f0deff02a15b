// The parts a message is drawn from, shared by the message panel and the conversation view: addresses, the
// attachment list, and the body (sanitised HTML in a sandboxed iframe, or plain text). Requests go through the
// `send` each caller passes, so a conversation's parts name their message (MessageTarget.key).
import type { PanelAddress, PanelMessage, PanelRequest } from '../contract/panelMessages';
import { formatSize } from '../src/mail/formatSize';
import { custom, element } from './dom';
import { renderPlainText } from './plainText';
import { LINK_ATTRIBUTE, sanitizeMail } from './sanitizeMail';

export type Send = (request: PanelRequest) => Promise<void>;

export interface RenderedBody {
  /** The body's section (an iframe for HTML, text otherwise). */
  section: HTMLElement;
  /** Remote items the sanitiser blocked (0 when remote content was allowed, or the message is text). */
  blocked: number;
  /** The HTML is shown (not text made from it). */
  html: boolean;
}

/** The message's body as the user chose to read it; remote content only when `allowRemote`. */
export function renderBody(message: PanelMessage, allowRemote: boolean, send: Send): RenderedBody {
  let blocked = 0;
  let frame: HTMLIFrameElement | undefined;
  let text = message.text ?? '';
  if (message.html !== undefined) {
    const sanitized = sanitizeMail(message.html, {
      allowRemote: allowRemote && message.view === 'html',
      inlineImages: message.inlineImages,
    });
    if (message.view === 'html') {
      blocked = sanitized.blocked;
      frame = bodyFrame(sanitized.documentHtml, send);
    } else if (!message.text?.trim()) {
      // HTML-only mail read as text: the text of the sanitised HTML, never of the raw one.
      text = textOfHtml(sanitized.documentHtml);
    }
  }
  return {
    section: element('section', { class: 'body', 'aria-label': 'Message body' }, frame ?? renderPlainText(text)),
    blocked,
    html: frame !== undefined,
  };
}

/** Readable text from sanitised HTML: block elements and line breaks become new lines. Parsed inertly. */
function textOfHtml(documentHtml: string): string {
  const doc = new DOMParser().parseFromString(documentHtml, 'text/html');
  doc.querySelectorAll('br').forEach((br) => br.replaceWith('\n'));
  doc
    .querySelectorAll('p, div, li, tr, h1, h2, h3, h4, h5, h6, blockquote, pre, table')
    .forEach((block) => block.append('\n'));
  doc.querySelectorAll('style, title').forEach((node) => node.remove());
  return (doc.body?.textContent ?? '')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export function attachmentList(message: PanelMessage, send: Send): HTMLElement {
  const list = element('ul', { class: 'attachments', 'aria-label': 'Attachments' });
  for (const attachment of message.attachments) {
    const open = custom(
      'vscode-button',
      { secondary: '', icon: 'go-to-file', title: `Open ${attachment.filename}` },
      'Open',
    );
    const save = custom(
      'vscode-button',
      { secondary: '', icon: 'save', title: `Save ${attachment.filename} as…` },
      'Save As…',
    );
    open.addEventListener('click', () => void send({ type: 'attachment/open', attachmentId: attachment.id }));
    save.addEventListener('click', () => void send({ type: 'attachment/save', attachmentId: attachment.id }));
    list.append(
      element(
        'li',
        { class: 'attachment' },
        custom('vscode-icon', { name: iconFor(attachment.contentType) }),
        element('span', { class: 'attachment-name', title: attachment.contentType }, attachment.filename),
        element('span', { class: 'attachment-size' }, formatSize(attachment.size)),
        open,
        save,
      ),
    );
  }
  return list;
}

/** The body lives in an iframe without allow-scripts: nothing in it can run, whatever the sanitiser missed. */
function bodyFrame(documentHtml: string, send: Send): HTMLIFrameElement {
  const frame = element('iframe', {
    sandbox: 'allow-same-origin',
    title: 'Message body',
    class: 'mail-frame',
    referrerpolicy: 'no-referrer',
  });
  frame.srcdoc = documentHtml;
  frame.addEventListener('load', () => {
    const doc = frame.contentDocument;
    if (!doc) return;
    const fit = () => (frame.style.height = `${doc.documentElement.scrollHeight}px`);
    fit();
    new ResizeObserver(fit).observe(doc.documentElement);
    wireLinks(doc, send);
  });
  return frame;
}

/** Links never navigate: a click asks the extension, which shows the real target and opens it outside. */
export function wireLinks(root: Document | HTMLElement, send: Send): void {
  const activate = (event: Event) => {
    const target = (event.target as Element | null)?.closest?.(`[${LINK_ATTRIBUTE}]`);
    if (!target) return;
    event.preventDefault();
    void send({
      type: 'link/open',
      href: target.getAttribute(LINK_ATTRIBUTE) ?? '',
      text: (target.textContent ?? '').trim(),
    });
  };
  root.addEventListener('click', activate);
  root.addEventListener('keydown', (event) => {
    if ((event as KeyboardEvent).key === 'Enter') activate(event);
  });
}

export function recipients(label: string, list: PanelAddress[]): HTMLElement[] {
  if (!list.length) return [];
  return [
    element('div', { class: 'line' }, element('span', { class: 'label' }, label), ' ', ...addressNodes(list, false)),
  ];
}

export function addressNodes(list: PanelAddress[], emphasise: boolean): Node[] {
  const nodes: Node[] = [];
  list.forEach((address, index) => {
    if (index) nodes.push(document.createTextNode(', '));
    if (address.name) {
      nodes.push(
        element('span', { class: emphasise ? 'name strong' : 'name' }, address.name),
        document.createTextNode(' '),
      );
      nodes.push(element('span', { class: 'address' }, `<${address.address}>`));
    } else {
      nodes.push(element('span', { class: emphasise ? 'address strong' : 'address' }, address.address));
    }
  });
  return nodes.length ? nodes : [document.createTextNode('(unknown sender)')];
}

function iconFor(contentType: string): string {
  if (contentType.startsWith('image/')) return 'file-media';
  if (contentType === 'application/pdf') return 'file-pdf';
  if (/zip|compressed|tar|gzip/.test(contentType)) return 'file-zip';
  if (contentType === 'message/rfc822') return 'mail';
  if (contentType.startsWith('text/')) return 'file-code';
  return 'file';
}
