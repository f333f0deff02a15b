// Saving and opening attachments. Names are made safe first; opening writes a copy into a private folder of the
// extension's own storage (mkdtemp, 0700), never a predictable path in the shared temp folder, and hands only
// allow-listed types to another program without asking.
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { Attachment } from '../../mail/types';
import { showWarning } from '../../util/notify';
import { openWith, runsCode, safeAttachmentName } from './attachmentNames';

export async function saveAttachment(attachment: Attachment): Promise<void> {
  const name = safeAttachmentName(attachment.filename);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(join(homedir(), 'Downloads'));
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.joinPath(folder, name),
    title: `Save ${name}`,
    saveLabel: 'Save Attachment',
  });
  if (!target) return;
  await vscode.workspace.fs.writeFile(target, attachment.content);
  vscode.window.setStatusBarMessage(`Saved ${name}`, 3000);
}

/** `root`: the folder under the extension's storage that holds the copies of opened attachments. */
export async function openAttachment(attachment: Attachment, root: string): Promise<void> {
  const name = safeAttachmentName(attachment.filename);
  const how = openWith(name);
  if (how === 'ask') {
    const detail = runsCode(name)
      ? `${name} can run programs or scripts on this computer when opened. Open it only if you trust the sender and expected this file.`
      : `Letterbox does not know whether files like ${name} are safe to open; some types run code when opened. Save it instead if you are not sure.`;
    const answer = await showWarning(
      `Open ${name} with its default program?`,
      { modal: true, detail },
      'Open Anyway',
      'Save As…',
    );
    if (answer === 'Save As…') return saveAttachment(attachment);
    if (answer !== 'Open Anyway') return;
  }
  await mkdir(root, { recursive: true, mode: 0o700 });
  const folder = await mkdtemp(join(root, 'open-'));
  const path = join(folder, name);
  await writeFile(path, attachment.content, { mode: 0o600, flag: 'wx' });
  const uri = vscode.Uri.file(path);
  if (how === 'editor') await vscode.commands.executeCommand('vscode.open', uri, { preview: true });
  else await vscode.env.openExternal(uri);
}

/** Copies older than a day are no longer open anywhere that matters; each window tidies up at start. */
export async function removeOldAttachmentCopies(root: string, now = Date.now()): Promise<void> {
  const names = await readdir(root).catch(() => [] as string[]);
  for (const name of names) {
    const path = join(root, name);
    const info = await stat(path).catch(() => undefined);
    if (info && now - info.mtimeMs > 24 * 60 * 60 * 1000) await rm(path, { recursive: true, force: true });
  }
}
