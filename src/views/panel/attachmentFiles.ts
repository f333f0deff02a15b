// Saving and opening attachments. Names are made safe first; opening goes through a private temp folder.
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { Attachment } from '../../mail/types';
import { runsCode, safeAttachmentName } from './attachmentNames';

export async function saveAttachment(attachment: Attachment): Promise<void> {
  const name = safeAttachmentName(attachment.filename);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(join(homedir(), 'Downloads'));
  const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(folder, name), title: `Save ${name}`, saveLabel: 'Save Attachment' });
  if (!target) return;
  await vscode.workspace.fs.writeFile(target, attachment.content);
  vscode.window.setStatusBarMessage(`Saved ${name}`, 3000);
}

export async function openAttachment(attachment: Attachment): Promise<void> {
  const name = safeAttachmentName(attachment.filename);
  if (runsCode(name)) {
    const answer = await vscode.window.showWarningMessage(`${name} can run programs or scripts when opened.`, { modal: true, detail: 'Open it only if you trust the sender and expected this file.' }, 'Open Anyway');
    if (answer !== 'Open Anyway') return;
  }
  const folder = join(tmpdir(), 'letterbox-attachments', randomBytes(8).toString('hex'));
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const path = join(folder, name);
  await writeFile(path, attachment.content, { mode: 0o600 });
  const uri = vscode.Uri.file(path);
  // Text and images open in VS Code itself; anything else goes to the operating system's default program.
  if (/^(text\/|image\/(png|jpe?g|gif|webp|bmp)|application\/(json|xml))/.test(attachment.contentType)) {
    await vscode.commands.executeCommand('vscode.open', uri, { preview: true });
  } else {
    await vscode.env.openExternal(uri);
  }
}
