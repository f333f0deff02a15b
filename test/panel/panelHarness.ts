// Serves the real panel page (the same HTML and CSP the extension generates, the same built script) on loopback,
// with a stand-in for acquireVsCodeApi, and records every other request: any of them is a leak.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { renderPanelHtml } from '../../src/views/panelHtml';
import { listenOnLoopback } from '../servers/ports';

const DIST = resolve(__filename, '..', '..', '..', 'dist', 'webview');
const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.ttf': 'font/ttf',
  '.png': 'image/png',
};
// A 1x1 transparent PNG, so an allowed remote image really loads.
const PIXEL = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

/** Stands in for VS Code: keeps what the webview posts and its saved state. */
const PRELUDE = `window.__posted = []; window.__state = undefined; window.__pwned = false;
window.alert = window.confirm = window.prompt = function () { window.__pwned = true; };
window.acquireVsCodeApi = function () { return { postMessage: function (m) { window.__posted.push(m); }, setState: function (s) { window.__state = s; } }; };`;

export class PanelHarness {
  /** Every request that was not for the panel's own files, in order. */
  readonly leaks: string[] = [];
  port = 0;
  private readonly server: Server;

  private constructor() {
    this.server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (url.pathname === '/panel.html') {
        const origin = `http://127.0.0.1:${this.port}`;
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end(
          renderPanelHtml({
            cspSource: origin,
            nonce: randomBytes(16).toString('base64'),
            scriptUri: `${origin}/webview/main.js`,
            codiconsUri: `${origin}/webview/codicon.css`,
            stylesUri: `${origin}/webview/panel.css`,
            allowRemote: url.searchParams.get('allowRemote') === 'true',
            preludeScript: PRELUDE,
          }),
        );
        return;
      }
      if (url.pathname.startsWith('/webview/')) {
        const file = normalize(join(DIST, url.pathname.slice('/webview/'.length)));
        if (file.startsWith(DIST)) {
          try {
            const body = readFileSync(file);
            response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
            response.end(body);
            return;
          } catch {
            // fall through to 404
          }
        }
        response.writeHead(404).end();
        return;
      }
      if (url.pathname === '/favicon.ico') {
        response.writeHead(404).end();
        return;
      }
      this.leaks.push(url.pathname + url.search);
      response.writeHead(200, { 'content-type': 'image/png', 'access-control-allow-origin': '*' });
      response.end(PIXEL);
    });
  }

  static async start(): Promise<PanelHarness> {
    const harness = new PanelHarness();
    harness.port = await listenOnLoopback(harness.server);
    return harness;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  pageUrl(allowRemote: boolean): string {
    return `${this.origin}/panel.html?allowRemote=${allowRemote}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
