// The message panel's page: a strict Content Security Policy (nothing remote unless the user allowed it for this
// message, scripts only with this load's nonce) around our own script. VS Code-free, so the hostile-HTML tests
// load exactly this page in Chromium.

export interface PanelPage {
  /** webview.cspSource: the origin our own files are served from. */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  codiconsUri: string;
  stylesUri: string;
  /** Remote images, styles and fonts may load: after "Load once" or for an allowed sender. */
  allowRemote: boolean;
  /** Script run before ours; only tests use it (to stand in for acquireVsCodeApi). */
  preludeScript?: string;
}

export function contentSecurityPolicy(page: Pick<PanelPage, 'cspSource' | 'nonce' | 'allowRemote'>): string {
  const remote = page.allowRemote ? ' https: http:' : '';
  return [
    "default-src 'none'",
    `script-src 'nonce-${page.nonce}'`,
    // Mail styles are inline by nature; they are sanitised, and scripts stay impossible regardless.
    `style-src ${page.cspSource} 'unsafe-inline'${remote}`,
    `img-src ${page.cspSource} data:${remote}`,
    `font-src ${page.cspSource} data:${remote}`,
    `media-src 'none'`,
    "frame-src 'self'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}

export function renderPanelHtml(page: PanelPage): string {
  const prelude = page.preludeScript ? `<script nonce="${page.nonce}">${page.preludeScript}</script>` : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(page)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${page.codiconsUri}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${page.stylesUri}">
<title>Message</title>
</head>
<body data-allow-remote="${page.allowRemote ? 'true' : 'false'}">
<main id="app" aria-live="polite"><p class="loading">Loading message…</p></main>
${prelude}<script nonce="${page.nonce}" src="${page.scriptUri}"></script>
</body>
</html>`;
}
