// The two sides of a patch's file for VS Code's diff editor: read-only documents of the letterbox-patch: scheme,
// held in memory while a series is being reviewed (never written to the repository or the disk).
import * as vscode from 'vscode';

export const PATCH_SCHEME = 'letterbox-patch';
/** Sides kept; older ones are dropped first (a long review does not keep every file of every series). */
const KEPT = 400;

export class PatchDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();

  /** A document with this text; `side` and `path` make its name ("widget.c (after 2/3)"). */
  put(review: string, patch: number, side: 'before' | 'after', path: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({
      scheme: PATCH_SCHEME,
      path: `/${review}/${patch}/${side}/${path}`,
    });
    this.texts.delete(uri.toString());
    this.texts.set(uri.toString(), text);
    while (this.texts.size > KEPT) this.texts.delete(this.texts.keys().next().value!);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }
}
