// The typed extension <-> webview contract, both ends wired to each other as VS Code would.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExtensionChannel, WebviewChannel } from '../../contract/panelChannel';
import type { PanelEvent, PanelRequest, WireMessage } from '../../contract/panelMessages';

function wire(handle: (request: PanelRequest) => Promise<void>) {
  const events: PanelEvent[] = [];
  const toWebview: WireMessage[] = [];
  const ends: { webview?: WebviewChannel } = {};
  const extension = new ExtensionChannel({ post: (message) => { toWebview.push(message); ends.webview?.receive(message); } }, handle);
  const webview = new WebviewChannel({ post: (message) => void extension.receive(message) }, (event) => events.push(event));
  ends.webview = webview;
  return { extension, webview, events, toWebview };
}

const gone: PanelEvent = { type: 'message/gone', text: 'moved' };

test('events wait until the webview says it is ready, then arrive in order', () => {
  const { extension, webview, events } = wire(async () => undefined);
  extension.sendEvent(gone);
  extension.sendEvent({ type: 'message/failed', text: 'x' });
  assert.equal(events.length, 0);
  webview.announceReady();
  assert.deepEqual(events.map((event) => event.type), ['message/gone', 'message/failed']);
});

test('a request resolves when the handler succeeds and rejects with its message when it fails', async () => {
  const seen: string[] = [];
  const { webview } = wire(async (request) => {
    seen.push(request.type);
    if (request.type === 'message/delete') throw new Error('cannot move message 7 from INBOX to Trash: over quota');
  });
  webview.announceReady();
  await webview.sendRequest({ type: 'message/toggleFlag' });
  await assert.rejects(webview.sendRequest({ type: 'message/delete' }), /over quota/);
  assert.deepEqual(seen, ['message/toggleFlag', 'message/delete']);
});

test('after the page is replaced, nothing is delivered until the new page is ready', () => {
  const { extension, webview, events } = wire(async () => undefined);
  webview.announceReady();
  extension.reset();
  extension.sendEvent(gone);
  assert.equal(events.length, 0);
  webview.announceReady();
  assert.deepEqual(events, [gone]);
});

test('anything that is not a wire message is ignored on both ends', async () => {
  const { extension, webview, events } = wire(async () => assert.fail('no request expected'));
  await extension.receive({ type: 'panel/ready' });
  await extension.receive('hello');
  webview.receive({ kind: 'unknown' });
  assert.deepEqual(events, []);
});
