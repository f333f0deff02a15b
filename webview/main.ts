// DOM-only entry of the message panel: renders the header, toolbar, remote-content bar, attachments and the
// sandboxed body, and talks to the extension only through the typed channel.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import '@vscode-elements/elements/dist/vscode-divider/index.js';
import { WebviewChannel } from '../contract/panelChannel';
import {
  assertNever,
  type PanelAddress,
  type PanelEvent,
  type PanelMessage,
  type PanelRequest,
  type PanelRestoreState,
  type RemoteContentPolicy,
  type WireMessage,
} from '../contract/panelMessages';
import { formatSize } from '../src/mail/formatSize';
import { custom, element } from './dom';
import { renderPlainText } from './plainText';
import { LINK_ATTRIBUTE, sanitizeMail } from './sanitizeMail';

interface VsCodeApi {
  postMessage(message: WireMessage): void;
  setState(state: PanelRestoreState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app') as HTMLElement;
const channel = new WebviewChannel({ post: (message) => vscode.postMessage(message) }, onEvent);
window.addEventListener('message', (event) => channel.receive(event.data));
channel.announceReady();

let current: PanelMessage | undefined;

function onEvent(event: PanelEvent): void {
  switch (event.type) {
    case 'message/show':
      // Answers still owed for the previous message no longer matter.
      channel.rejectPending('another message is shown now');
      current = event.message;
      vscode.setState(event.restore);
      render(event.message, event.remote);
      return;
    case 'message/flags':
      if (current) {
        current.flags = event.flags;
        renderToolbar(current);
      }
      return;
    case 'message/failed': {
      current = undefined;
      const ways = event.ways.map((way) => {
        const button = custom('vscode-button', way.id === event.ways[0]?.id ? {} : { secondary: '' }, way.title);
        button.addEventListener('click', () => void send({ type: 'failure/act', way: way.id }));
        return button;
      });
      app.replaceChildren(
        element('p', { class: 'notice error', role: 'alert' }, event.text),
        element('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'What you can do' }, ...ways),
        element('div', { class: 'status', id: 'status', role: 'status' }),
      );
      return;
    }
    default:
      assertNever(event);
  }
}

function render(message: PanelMessage, remote: RemoteContentPolicy): void {
  document.title = message.subject || '(no subject)';
  const header = element(
    'header',
    { class: 'header' },
    element('h1', { class: 'subject' }, message.subject || '(no subject)'),
    element(
      'div',
      { class: 'people' },
      element('div', { class: 'from' }, ...addressNodes(message.from, true)),
      ...recipients('To', message.to),
      ...recipients('Cc', message.cc),
      message.date
        ? element(
            'div',
            { class: 'date', title: message.dateNote ?? '' },
            new Date(message.date).toLocaleString(undefined, { dateStyle: 'full', timeStyle: 'short' }),
            message.dateNote ? ` (${message.dateNote})` : '',
            message.folder ? ` · in ${message.folder}` : '',
          )
        : '',
    ),
    element('div', { class: 'toolbar', id: 'toolbar', role: 'toolbar', 'aria-label': 'Message actions' }),
    element('div', { class: 'status', id: 'status', role: 'status' }),
  );
  const parts: Node[] = [header];
  if (message.notice)
    parts.push(
      element(
        'div',
        { class: 'remote-bar', role: 'note' },
        custom('vscode-icon', { name: 'info' }),
        element('span', { class: 'remote-text' }, message.notice),
      ),
    );
  let blocked = 0;
  let frame: HTMLIFrameElement | undefined;
  let text = message.text ?? '';
  if (message.html !== undefined) {
    const sanitized = sanitizeMail(message.html, {
      allowRemote: remote.allowed && message.view === 'html',
      inlineImages: message.inlineImages,
    });
    if (message.view === 'html') {
      blocked = sanitized.blocked;
      frame = bodyFrame(sanitized.documentHtml);
    } else if (!message.text?.trim()) {
      // HTML-only mail read as text: the text of the sanitised HTML, never of the raw one.
      text = textOfHtml(sanitized.documentHtml);
    }
  }
  if (blocked > 0) parts.push(remoteBar(blocked));
  else if (frame && remote.allowed && remote.reason === 'sender')
    parts.push(
      element('div', { class: 'remote-bar quiet' }, 'Remote content is shown because you allowed it for this sender.'),
    );
  if (message.attachments.length) parts.push(attachmentList(message));
  parts.push(element('section', { class: 'body', 'aria-label': 'Message body' }, frame ?? renderPlainText(text)));
  app.replaceChildren(...parts);
  renderToolbar(message);
  wireLinks(app);
}

interface ToolbarAction {
  request: PanelRequest | ((message: PanelMessage) => PanelRequest);
  label: (message: PanelMessage) => string;
  icon: (message: PanelMessage) => string;
  title?: (message: PanelMessage) => string;
  shown?: (message: PanelMessage) => boolean;
}

/** The toolbar, one row per button: what it asks the extension, and how it looks for the message on show. */
const TOOLBAR: ToolbarAction[] = [
  { request: { type: 'message/markUnread' }, label: () => 'Mark Unread', icon: () => 'mail' },
  {
    request: { type: 'message/toggleFlag' },
    label: (m) => (m.flags.flagged ? 'Unflag' : 'Flag'),
    icon: (m) => (m.flags.flagged ? 'star-full' : 'star-empty'),
  },
  {
    request: { type: 'message/delete' },
    label: () => 'Delete',
    icon: () => 'trash',
    title: (m) => (m.inTrash ? 'Delete for good' : 'Move to Trash'),
  },
  { request: { type: 'message/move' }, label: () => 'Move to…', icon: () => 'folder-opened' },
  { request: { type: 'message/viewSource' }, label: () => 'View Source', icon: () => 'file-code' },
  {
    request: (m) => ({ type: 'view/remember', view: m.view === 'html' ? 'text' : 'html' }),
    label: (m) => (m.view === 'html' ? (m.text?.trim() ? 'Plain Text' : 'Show as Plain Text') : 'HTML'),
    icon: (m) => (m.view === 'html' ? 'symbol-text' : 'code'),
    title: (m) =>
      `${m.view === 'html' ? "Read this sender's mail as plain text" : "Read this sender's mail as HTML"} (remembered for the sender)`,
    shown: (m) => m.html !== undefined,
  },
  {
    request: { type: 'message/copySender' },
    label: () => 'Copy Sender',
    icon: () => 'copy',
    title: () => "Copy the sender's address to reply by mail",
  },
  {
    request: { type: 'panel/keepOpen' },
    label: () => 'Keep Open',
    icon: () => 'pinned',
    title: () => 'Keep this message open; the next one opens beside it',
    shown: (m) => !m.pinned,
  },
];

function renderToolbar(message: PanelMessage): void {
  const toolbar = document.getElementById('toolbar');
  if (!toolbar) return;
  const buttons = TOOLBAR.filter((action) => action.shown?.(message) ?? true).map((action) => {
    const label = action.label(message);
    const request = typeof action.request === 'function' ? action.request(message) : action.request;
    const button = custom(
      'vscode-button',
      {
        secondary: '',
        icon: action.icon(message),
        title: action.title?.(message) ?? label,
        'data-action': request.type,
      },
      label,
    );
    button.addEventListener('click', () => void send(request));
    return button;
  });
  toolbar.replaceChildren(...buttons);
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

function remoteBar(blocked: number): HTMLElement {
  const loadOnce = custom('vscode-button', { icon: 'eye' }, 'Load once');
  const always = custom('vscode-button', { secondary: '', icon: 'check' }, 'Always for this sender');
  loadOnce.addEventListener('click', () => void send({ type: 'remote/loadOnce' }));
  always.addEventListener('click', () => void send({ type: 'remote/allowSender' }));
  return element(
    'div',
    { class: 'remote-bar', role: 'region', 'aria-label': 'Blocked remote content' },
    custom('vscode-icon', { name: 'shield' }),
    element(
      'span',
      { class: 'remote-text' },
      `${blocked} remote item${blocked === 1 ? ' was' : 's were'} blocked to protect your privacy.`,
    ),
    loadOnce,
    always,
  );
}

function attachmentList(message: PanelMessage): HTMLElement {
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
function bodyFrame(documentHtml: string): HTMLIFrameElement {
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
    wireLinks(doc);
  });
  return frame;
}

/** Links never navigate: a click asks the extension, which shows the real target and opens it outside. */
function wireLinks(root: Document | HTMLElement): void {
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

async function send(request: PanelRequest): Promise<void> {
  const status = document.getElementById('status');
  try {
    if (status) status.textContent = '';
    await channel.sendRequest(request);
  } catch (error) {
    if (status) status.textContent = error instanceof Error ? error.message : String(error);
  }
}

function recipients(label: string, list: PanelAddress[]): HTMLElement[] {
  if (!list.length) return [];
  return [
    element('div', { class: 'line' }, element('span', { class: 'label' }, label), ' ', ...addressNodes(list, false)),
  ];
}

function addressNodes(list: PanelAddress[], emphasise: boolean): Node[] {
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
