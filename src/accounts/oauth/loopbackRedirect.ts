// Where the browser comes back after the user signed in (RFC 8252 section 7.3): an HTTP listener on 127.0.0.1 on a
// port the system picks, for one redirect with the right `state`, then closed. It answers the browser with a short
// page in plain text; it never echoes what the request carried.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackRedirect {
  /** The redirect URI to register the request with (http://127.0.0.1:<port>/callback). */
  redirectUri: string;
  /** The authorization code, once the browser came back with it; rejects on an error answer or the deadline. */
  code: Promise<string>;
  close(): void;
}

export async function listenForRedirect(state: string, timeoutMs = 5 * 60_000): Promise<LoopbackRedirect> {
  let settle: { resolve(code: string): void; reject(error: Error): void } | undefined;
  const code = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  // Nothing waits on it until the caller does: its rejection must not be unhandled meanwhile.
  code.catch(() => undefined);
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/callback') return void response.writeHead(404).end();
    const answer = (status: number, text: string) =>
      response
        .writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' })
        .end(text);
    if (url.searchParams.get('state') !== state) {
      // Not the request Letterbox made (a stale tab, or another page trying its luck): ignored, still waiting.
      answer(400, 'This sign-in is not the one Letterbox is waiting for. Close this tab and start again from VS Code.');
      return;
    }
    const error = url.searchParams.get('error');
    const given = url.searchParams.get('code');
    if (error || !given) {
      answer(400, 'Sign-in was not completed. You can close this tab.');
      settle?.reject(new Error(`the sign-in was refused (${(error ?? 'no code').slice(0, 60)})`));
    } else {
      answer(200, 'Signed in. You can close this tab and return to VS Code.');
      settle?.resolve(given);
    }
    setImmediate(close);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const timer = setTimeout(() => {
    const wait = timeoutMs >= 60_000 ? `${Math.round(timeoutMs / 60_000)} minutes` : `${Math.ceil(timeoutMs / 1000)} s`;
    settle?.reject(new Error(`nobody signed in within ${wait}`));
    close();
  }, timeoutMs);
  timer.unref?.();
  function close(): void {
    clearTimeout(timer);
    server.close();
    server.closeAllConnections?.();
  }
  const { port } = server.address() as AddressInfo;
  return {
    redirectUri: `http://127.0.0.1:${port}/callback`,
    code,
    close: () => {
      settle?.reject(new Error('the sign-in was cancelled'));
      close();
    },
  };
}
