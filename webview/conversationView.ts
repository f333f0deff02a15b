// A thread in one panel: every message as a line (sender, date), indented by reply; unread ones open with their
// bodies, read ones closed until clicked. Each body is drawn by the same parts as the message panel
// (messageParts.ts: sanitised HTML in a sandboxed iframe) and remote content never loads here: the page's policy
// blocks it, and "Open" shows the message alone, where the user can allow it.
import type { ConversationEntry, PanelRequest } from '../contract/panelMessages';
import { custom, element } from './dom';
import { addressNodes, attachmentList, recipients, renderBody, wireLinks, type Send } from './messageParts';

type ThreadAction = Extract<PanelRequest, { type: 'conversation/thread' }>['action'];

/** Replies indent one step per level, up to this many (a 200-message thread must stay readable). */
const MAX_INDENT = 6;

interface EntryAction {
  request: (entry: ConversationEntry) => PanelRequest;
  label: (entry: ConversationEntry) => string;
  icon: (entry: ConversationEntry) => string;
  title?: string;
}

/** Each open message's toolbar: what it asks the extension about that message (its key goes along). */
const ENTRY_ACTIONS: EntryAction[] = [
  {
    request: (e) => ({ type: 'conversation/openAlone', key: e.key }),
    label: () => 'Open',
    icon: () => 'link-external',
    title: 'Open this message alone (remote content can be allowed there)',
  },
  { request: (e) => ({ type: 'message/markUnread', key: e.key }), label: () => 'Mark Unread', icon: () => 'mail' },
  {
    request: (e) => ({ type: 'message/toggleFlag', key: e.key }),
    label: (e) => (e.flags.flagged ? 'Unflag' : 'Flag'),
    icon: (e) => (e.flags.flagged ? 'star-full' : 'star-empty'),
  },
  { request: (e) => ({ type: 'message/delete', key: e.key }), label: () => 'Delete', icon: () => 'trash' },
  { request: (e) => ({ type: 'message/move', key: e.key }), label: () => 'Move to…', icon: () => 'folder-opened' },
  {
    request: (e) => ({ type: 'message/viewSource', key: e.key }),
    label: () => 'View Source',
    icon: () => 'file-code',
  },
];

export class ConversationView {
  private readonly entries = new Map<string, HTMLElement>();
  /** Links outside the bodies (plain-text mail) are wired once per page, not once per show. */
  private linksWired = false;

  constructor(
    private readonly app: HTMLElement,
    private readonly request: (request: PanelRequest) => Promise<void>,
  ) {}

  show(subject: string, entries: ConversationEntry[]): void {
    document.title = subject || '(no subject)';
    this.entries.clear();
    const list = element('ol', { class: 'conversation', 'aria-label': 'Messages of the thread' });
    for (const entry of entries) {
      const item = this.renderEntry(entry);
      this.entries.set(entry.key, item);
      list.append(item);
    }
    this.app.replaceChildren(
      element(
        'header',
        { class: 'header' },
        element('h1', { class: 'subject' }, subject || '(no subject)'),
        element(
          'div',
          { class: 'conversation-meta' },
          `${entries.length} message${entries.length === 1 ? '' : 's'} · ${entries.filter((e) => !e.flags.seen).length} unread`,
        ),
        this.threadToolbar(),
        element('div', { class: 'status', id: 'status', role: 'status' }),
      ),
      list,
    );
    if (!this.linksWired) wireLinks(this.app, (request) => this.send(request));
    this.linksWired = true;
  }

  /** What acts on the whole thread, as the tree's thread menu does. */
  private threadToolbar(): HTMLElement {
    const toolbar = element('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Thread actions' });
    const actions: Array<[ThreadAction, string, string, string]> = [
      ['markRead', 'Mark Thread Read', 'check-all', 'Mark every message of the thread read'],
      ['markUnread', 'Mark Thread Unread', 'mail', 'Mark every message of the thread unread'],
      [
        'move',
        'Move Thread to…',
        'folder-opened',
        "Move the thread's messages of this folder (your replies stay in Sent)",
      ],
      ['delete', 'Delete Thread', 'trash', "Delete the thread's messages of this folder (your replies stay in Sent)"],
    ];
    for (const [action, label, icon, title] of actions) {
      const button = custom('vscode-button', { secondary: '', icon, title, 'data-action': `thread/${action}` }, label);
      button.addEventListener('click', () => void this.send({ type: 'conversation/thread', action }));
      toolbar.append(button);
    }
    return toolbar;
  }

  update(entry: ConversationEntry): void {
    const old = this.entries.get(entry.key);
    if (!old) return;
    const fresh = this.renderEntry(entry);
    old.replaceWith(fresh);
    this.entries.set(entry.key, fresh);
  }

  remove(key: string): void {
    this.entries.get(key)?.remove();
    this.entries.delete(key);
    if (!this.entries.size)
      this.app.append(element('p', { class: 'notice' }, 'No message of this thread is left here.'));
  }

  private renderEntry(entry: ConversationEntry): HTMLElement {
    const status = element('div', { class: 'status', role: 'status' });
    const send: Send = (request) => this.send(request, status);
    const head = element(
      'button',
      {
        class: 'entry-head',
        type: 'button',
        'aria-expanded': entry.expanded ? 'true' : 'false',
        title: entry.expanded ? 'Close this message' : 'Open this message',
      },
      custom('vscode-icon', { name: entry.expanded ? 'chevron-down' : 'chevron-right' }),
      element('span', { class: 'entry-from' }, ...addressNodes(entry.from.slice(0, 1), !entry.flags.seen)),
      entry.flags.flagged ? custom('vscode-icon', { name: 'star-full', title: 'Flagged' }) : '',
      entry.hasAttachments ? custom('vscode-icon', { name: 'file', title: 'Has attachments' }) : '',
      element(
        'span',
        { class: 'entry-date' },
        entry.date ? new Date(entry.date).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '',
        entry.folder ? ` · in ${entry.folder}` : '',
      ),
    );
    head.addEventListener(
      'click',
      () => void send({ type: 'conversation/expand', key: entry.key, expanded: !entry.expanded }),
    );
    const item = element(
      'li',
      {
        class: `entry${entry.flags.seen ? '' : ' unread'}${entry.expanded ? ' expanded' : ''}`,
        'data-key': entry.key,
        style: `margin-inline-start: ${Math.min(entry.depth, MAX_INDENT) * 16}px`,
      },
      head,
    );
    if (entry.expanded) item.append(this.renderOpen(entry, send, status));
    else item.append(status);
    return item;
  }

  private renderOpen(entry: ConversationEntry, send: Send, status: HTMLElement): HTMLElement {
    const parts: Node[] = [];
    const toolbar = element('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Message actions' });
    for (const action of ENTRY_ACTIONS) {
      const label = action.label(entry);
      const request = action.request(entry);
      const button = custom(
        'vscode-button',
        { secondary: '', icon: action.icon(entry), title: action.title ?? label, 'data-action': request.type },
        label,
      );
      button.addEventListener('click', () => void send(request));
      toolbar.append(button);
    }
    parts.push(toolbar, status);
    const message = entry.message;
    if (entry.failed) parts.push(element('p', { class: 'notice error', role: 'alert' }, entry.failed));
    else if (!message) parts.push(element('p', { class: 'loading' }, 'Loading message…'));
    else {
      parts.push(element('div', { class: 'people' }, ...recipients('To', message.to), ...recipients('Cc', message.cc)));
      if (message.notice) parts.push(element('div', { class: 'remote-bar', role: 'note' }, message.notice));
      // Never remote here, whatever the sender: the page's policy would block it anyway.
      const withKey: Send = (request) => send({ ...request, key: entry.key } as PanelRequest);
      const body = renderBody(message, false, withKey);
      if (body.blocked > 0) {
        const open = custom('vscode-button', { secondary: '', icon: 'link-external' }, 'Open');
        open.addEventListener('click', () => void send({ type: 'conversation/openAlone', key: entry.key }));
        parts.push(
          element(
            'div',
            { class: 'remote-bar', role: 'region', 'aria-label': 'Blocked remote content' },
            custom('vscode-icon', { name: 'shield' }),
            element(
              'span',
              { class: 'remote-text' },
              `${body.blocked} remote item${body.blocked === 1 ? ' was' : 's were'} blocked. Open the message alone to load them.`,
            ),
            open,
          ),
        );
      }
      if (message.attachments.length) parts.push(attachmentList(message, withKey));
      parts.push(body.section);
    }
    return element('div', { class: 'entry-body' }, ...parts);
  }

  private async send(request: PanelRequest, status = document.getElementById('status')): Promise<void> {
    try {
      if (status) status.textContent = '';
      await this.request(request);
    } catch (error) {
      if (status) status.textContent = error instanceof Error ? error.message : String(error);
    }
  }
}
