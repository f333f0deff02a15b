// `letterbox:` virtual documents: a message's raw source ("View Source") in a read-only editor, served straight
// from the backend.
import * as vscode from 'vscode';
import type { AccountSessions } from '../accounts/accountSessions';
import type { MessageRef } from '../mail/types';
import { sourceText } from '../util/plainText';

export const MESSAGE_SCHEME = 'letterbox';

export function messageSourceUri(ref: MessageRef, subject: string): vscode.Uri {
  const name = (subject.trim() || 'message').replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ').slice(0, 80);
  return vscode.Uri.from({
    scheme: MESSAGE_SCHEME,
    path: `/${name}.eml`,
    query: new URLSearchParams({
      account: ref.account,
      folder: ref.folder,
      id: ref.id,
      validity: ref.validity ?? '',
    }).toString(),
  });
}

export class MessageDocuments implements vscode.TextDocumentContentProvider {
  constructor(private readonly sessions: AccountSessions) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const query = new URLSearchParams(uri.query);
    const ref: MessageRef = {
      account: query.get('account') ?? '',
      folder: query.get('folder') ?? '',
      id: query.get('id') ?? '',
      validity: query.get('validity') || undefined,
    };
    return sourceText(Buffer.from(await this.sessions.run(ref.account, (backend) => backend.fetchSource(ref))));
  }
}
