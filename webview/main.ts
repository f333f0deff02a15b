// DOM-only entry of the message and conversation panels: renders the header, toolbar, remote-content bar,
// attachments and the sandboxed body (or a conversation of them: conversationView.ts), and talks to the extension
// only through the typed channel.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import '@vscode-elements/elements/dist/vscode-divider/index.js';
import { WebviewChannel } from '../contract/panelChannel';
import {
  assertNever,
  type PanelEvent,
  type PanelMessage,
  type PanelRequest,
  type PanelRestoreState,
  type RemoteContentPolicy,
  type WireMessage,
} from '../contract/panelMessages';
import { ConversationView } from './conversationView';
import { custom, element } from './dom';
import { addressNodes, attachmentList, recipients, renderBody, wireLinks } from './messageParts';

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
const conversation = new ConversationView(app, (request) => channel.sendRequest(request).then(() => undefined));

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
    case 'conversation/show':
      channel.rejectPending('another conversation is shown now');
      current = undefined;
      conversation.show(event.subject, event.entries);
      return;
    case 'conversation/entry':
      conversation.update(event.entry);
      return;
    case 'conversation/removed':
      conversation.remove(event.key);
      return;
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
  const body = renderBody(message, remote.allowed, send);
  if (body.blocked > 0) parts.push(remoteBar(body.blocked));
  else if (body.html && remote.allowed && remote.reason === 'sender')
    parts.push(
      element('div', { class: 'remote-bar quiet' }, 'Remote content is shown because you allowed it for this sender.'),
    );
  if (message.attachments.length) parts.push(attachmentList(message, send));
  parts.push(body.section);
  app.replaceChildren(...parts);
  renderToolbar(message);
  wireLinks(app, send);
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

async function send(request: PanelRequest): Promise<void> {
  const status = document.getElementById('status');
  try {
    if (status) status.textContent = '';
    await channel.sendRequest(request);
  } catch (error) {
    if (status) status.textContent = error instanceof Error ? error.message : String(error);
  }
}
