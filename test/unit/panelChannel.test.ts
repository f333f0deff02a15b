// The typed extension <-> webview contract, both ends wired to each other as VS Code would.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExtensionChannel, WebviewChannel, type PanelHandlers } from '../../contract/panelChannel';
import { REPLY_TIMEOUT_MS, type PanelEvent, type PanelRequest, type WireMessage } from '../../contract/panelMessages';

/** Every request type answered by one function (the extension's real handlers are typed one by one). */
function handlersFrom(handle: (request: PanelRequest) => Promise<unknown>): PanelHandlers {
  return Object.fromEntries(Object.keys(REPLY_TIMEOUT_MS).map((type) => [type, handle])) as unknown as PanelHandlers;
}

function wire(handle: (request: PanelRequest) => Promise<unknown>, timeouts = REPLY_TIMEOUT_MS) {
  const events: PanelEvent[] = [];
  const toWebview: WireMessage[] = [];
  const ends: { webview?: WebviewChannel } = {};
  const extension = new ExtensionChannel(
    {
      post: (message) => {
        toWebview.push(message);
        ends.webview?.receive(message);
      },
    },
    handlersFrom(handle),
  );
  const webview = new WebviewChannel(
    { post: (message) => void extension.receive(message) },
    (event) => events.push(event),
    timeouts,
  );
  ends.webview = webview;
  return { extension, webview, events, toWebview };
}

const failed: PanelEvent = { type: 'message/failed', text: 'moved', ways: [{ id: 'retry', title: 'Retry' }] };

test('events wait until the webview says it is ready, then arrive in order', () => {
  const { extension, webview, events } = wire(async () => undefined);
  extension.sendEvent(failed);
  extension.sendEvent({ type: 'message/flags', flags: { seen: true, flagged: false } });
  assert.equal(events.length, 0);
  webview.announceReady();
  assert.deepEqual(
    events.map((event) => event.type),
    ['message/failed', 'message/flags'],
  );
});

test("a request resolves with its typed reply, and rejects with the handler's message when it fails", async () => {
  const seen: string[] = [];
  const { webview } = wire(async (request) => {
    seen.push(request.type);
    if (request.type === 'message/delete') throw new Error('cannot move message 7 from INBOX to Trash: over quota');
    if (request.type === 'message/toggleFlag') return { flagged: true };
    return undefined;
  });
  webview.announceReady();
  const reply = await webview.sendRequest({ type: 'message/toggleFlag' });
  assert.deepEqual(reply, { flagged: true });
  await assert.rejects(webview.sendRequest({ type: 'message/delete' }), /over quota/);
  assert.deepEqual(seen, ['message/toggleFlag', 'message/delete']);
});

test('a request the extension never answers times out with a clear error; interactive ones wait', async () => {
  const { webview } = wire(() => new Promise(() => undefined), { ...REPLY_TIMEOUT_MS, 'message/toggleFlag': 50 });
  webview.announceReady();
  await assert.rejects(webview.sendRequest({ type: 'message/toggleFlag' }), /did not answer within 0 s/);
  assert.equal(REPLY_TIMEOUT_MS['message/move'], undefined, 'a folder picker waits for the user');
});

test('replies meant for a page that was replaced are dropped, and pending requests can be rejected', async () => {
  let finish: (() => void) | undefined;
  const { extension, webview, toWebview } = wire(() => new Promise<void>((resolve) => (finish = resolve)));
  webview.announceReady();
  const pending = webview.sendRequest({ type: 'message/markUnread' });
  extension.reset();
  finish?.();
  await new Promise((resolve) => setTimeout(resolve, 10));
  webview.announceReady();
  assert.equal(
    toWebview.filter((message) => message.kind === 'reply').length,
    0,
    "the old page's reply never reaches the new page",
  );
  webview.rejectPending('the message was replaced');
  await assert.rejects(pending, /replaced/);
});

test('after the page is replaced, nothing is delivered until the new page is ready', () => {
  const { extension, webview, events } = wire(async () => undefined);
  webview.announceReady();
  extension.reset();
  extension.sendEvent(failed);
  assert.equal(events.length, 0);
  webview.announceReady();
  assert.deepEqual(events, [failed]);
});

test('anything that is not a wire message is ignored on both ends', async () => {
  const { extension, webview, events } = wire(async () => assert.fail('no request expected'));
  await extension.receive({ type: 'panel/ready' });
  await extension.receive('hello');
  webview.receive({ kind: 'unknown' });
  assert.deepEqual(events, []);
});
