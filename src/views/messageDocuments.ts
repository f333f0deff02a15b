// `letterbox:` virtual documents: a message's raw source ("View Source") or a readable text rendering, read-only
// editors served straight from the backend.
import * as vscode from 'vscode';
import type { AccountSessions } from '../accounts/accountSessions';
import type { MessageRef } from '../mail/types';
import { fullAddress } from './model/mailTreePresentation';

export const MESSAGE_SCHEME = 'letterbox';

export function messageUri(ref: MessageRef, subject: string, view: 'source' | 'text'): vscode.Uri {
  const name = (subject.trim() || 'message').replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ').slice(0, 80);
  return vscode.Uri.from({
    scheme: MESSAGE_SCHEME,
    path: `/${name}.${view === 'source' ? 'eml' : 'txt'}`,
    query: new URLSearchParams({ account: ref.account, folder: ref.folder, id: ref.id, validity: ref.validity ?? '', view }).toString(),
  });
}

export class MessageDocuments implements vscode.TextDocumentContentProvider {
  constructor(private readonly sessions: AccountSessions) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const query = new URLSearchParams(uri.query);
    const ref: MessageRef = { account: query.get('account') ?? '', folder: query.get('folder') ?? '', id: query.get('id') ?? '', validity: query.get('validity') || undefined };
    if (query.get('view') === 'source') {
      return Buffer.from(await this.sessions.run(ref.account, (backend) => backend.fetchSource(ref))).toString('utf8');
    }
    const message = await this.sessions.run(ref.account, (backend) => backend.fetchMessage(ref));
    const line = (name: string, value: string) => (value ? `${name}: ${value}\n` : '');
    return [
      line('Subject', message.subject),
      line('From', message.from.map(fullAddress).join(', ')),
      line('To', message.to.map(fullAddress).join(', ')),
      line('Cc', message.cc.map(fullAddress).join(', ')),
      line('Date', message.date?.toLocaleString() ?? ''),
      line('Attachments', message.attachments.filter((a) => !a.inline).map((a) => a.filename).join(', ')),
      '\n',
      message.text ?? '(this message has no text part)',
    ].join('');
  }
}
