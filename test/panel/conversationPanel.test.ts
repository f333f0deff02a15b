// The conversation view in headless Chromium, with the real page, CSP and script: every hostile case at once, each
// as one open message of a thread, never runs a script, never reaches the network and opens no dialog; remote
// content is never loaded here, and "Open" asks for that one message alone.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { ConversationEntry, PanelMessage, WireMessage } from '../../contract/panelMessages';
import { launchBrowser } from '../e2e/browser';
import { hostileCases } from './hostileCases';
import { PanelHarness } from './panelHarness';

let harness: PanelHarness;
let browser: Browser;
before(async () => {
  harness = await PanelHarness.start();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await harness?.stop();
});

function body(html: string): PanelMessage {
  return {
    subject: 'Re: thread',
    from: [{ name: 'Mallory', address: 'mallory@example.org' }],
    to: [{ name: '', address: 'you@example.org' }],
    cc: [],
    html,
    attachments: [],
    inlineImages: {},
    flags: { seen: false, flagged: false },
    inTrash: false,
    pinned: true,
    view: 'html',
  };
}

function entry(key: string, html: string | undefined, depth = 0): ConversationEntry {
  return {
    key,
    depth,
    subject: 'Re: thread',
    // Markup in a sender's name is text.
    from: [{ name: `<img src=x onerror="top.__pwned=true">${key}`, address: 'mallory@example.org' }],
    date: '2026-11-28T10:00:00Z',
    flags: { seen: false, flagged: false },
    hasAttachments: false,
    expanded: html !== undefined,
    message: html === undefined ? undefined : body(html),
  };
}

async function openPage(): Promise<{ page: Page; dialogs: string[] }> {
  const page = await browser.newPage();
  const dialogs: string[] = [];
  page.on('pageerror', (error) => dialogs.push(`page error: ${error.message}`));
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  // The conversation page is rendered with remote content blocked, always.
  await page.goto(harness.pageUrl(false));
  await page.waitForFunction(() =>
    (window as unknown as { __posted: WireMessage[] }).__posted.some((m) => m.kind === 'ready'),
  );
  return { page, dialogs };
}

async function send(page: Page, event: Extract<WireMessage, { kind: 'event' }>['event']): Promise<void> {
  const wire: WireMessage = { kind: 'event', event };
  await page.evaluate((data) => window.postMessage(data, '*'), wire);
}

describe('conversation view rendering hostile mail', () => {
  test('every hostile case as a message of one thread: no script, no request, no dialog', async () => {
    const cases = hostileCases((path) => `${harness.origin}/leak/${path}`);
    const { page, dialogs } = await openPage();
    await send(page, {
      type: 'conversation/show',
      subject: '<script>top.__pwned=true</script>Thread',
      entries: cases.map((hostile, index) => entry(`k${index}`, hostile.html, index % 4)),
    });
    await page.waitForFunction(
      (count) => document.querySelectorAll('iframe.mail-frame').length === count,
      cases.length,
    );
    for (const handle of await page.$$('iframe.mail-frame'))
      await (await handle.contentFrame())?.waitForLoadState('load');
    await page.waitForTimeout(200);
    const failures: string[] = [];
    if (await page.evaluate(() => (window as unknown as { __pwned: boolean }).__pwned)) failures.push('page pwned');
    for (const handle of await page.$$('iframe.mail-frame')) {
      const frame = await handle.contentFrame();
      const found = await frame?.evaluate(() => ({
        pwned: (window as unknown as { __pwned?: boolean }).__pwned === true,
        active: document.querySelectorAll('script, iframe, object, embed, form, base, meta[http-equiv="refresh"], link')
          .length,
        handlers: [...document.querySelectorAll('*')].filter((el) =>
          [...el.attributes].some((a) => /^on/i.test(a.name)),
        ).length,
      }));
      if (found && (found.pwned || found.active || found.handlers)) failures.push(JSON.stringify(found));
    }
    assert.deepEqual(failures, []);
    assert.equal(await page.textContent('h1.subject'), '<script>top.__pwned=true</script>Thread');
    assert.deepEqual(dialogs, [], 'no dialog opens and nothing throws');
    assert.deepEqual(harness.leaks, [], 'nothing may leave the page');
    await page.close();
  });

  test('remote images stay blocked whoever sent them; the bar offers the message alone, by its key', async () => {
    const { page } = await openPage();
    await send(page, {
      type: 'conversation/show',
      subject: 'Newsletter thread',
      entries: [
        entry('closed', undefined),
        entry('open', `<p>News</p><img src="${harness.origin}/remote/hero.png">`, 1),
      ],
    });
    const bar = await page.waitForSelector('.entry.expanded .remote-bar');
    assert.match((await bar.textContent()) ?? '', /1 remote item was blocked/);
    await page.click('.entry.expanded .remote-bar vscode-button');
    const request = await page.waitForFunction(() =>
      (window as unknown as { __posted: WireMessage[] }).__posted.find(
        (m) => m.kind === 'request' && m.request.type === 'conversation/openAlone',
      ),
    );
    assert.deepEqual(((await request.jsonValue()) as Extract<WireMessage, { kind: 'request' }>).request, {
      type: 'conversation/openAlone',
      key: 'open',
    });
    // A closed message asks to be opened, by its key; its body is the extension's answer.
    await page.click('.entry:not(.expanded) .entry-head');
    const expand = await page.waitForFunction(() =>
      (window as unknown as { __posted: WireMessage[] }).__posted.find(
        (m) => m.kind === 'request' && m.request.type === 'conversation/expand',
      ),
    );
    assert.deepEqual(((await expand.jsonValue()) as Extract<WireMessage, { kind: 'request' }>).request, {
      type: 'conversation/expand',
      key: 'closed',
      expanded: true,
    });
    assert.deepEqual(
      harness.leaks.filter((path) => path.startsWith('/remote/')),
      [],
    );
    await page.close();
  });

  test("each open message's actions name it: Delete in the second message asks about that one", async () => {
    const { page } = await openPage();
    await send(page, {
      type: 'conversation/show',
      subject: 'Two messages',
      entries: [entry('first', '<p>one</p>'), entry('second', '<p>two</p>', 1)],
    });
    await page.waitForSelector('li.entry[data-key="second"] vscode-button[data-action="message/delete"]');
    await page.click('li.entry[data-key="second"] vscode-button[data-action="message/delete"]');
    const request = await page.waitForFunction(() =>
      (window as unknown as { __posted: WireMessage[] }).__posted.find(
        (m) => m.kind === 'request' && m.request.type === 'message/delete',
      ),
    );
    assert.deepEqual(((await request.jsonValue()) as Extract<WireMessage, { kind: 'request' }>).request, {
      type: 'message/delete',
      key: 'second',
    });
    await send(page, { type: 'conversation/removed', key: 'second' });
    await page.waitForSelector('li.entry[data-key="second"]', { state: 'detached' });
    assert.equal(await page.$$eval('li.entry', (items) => items.length), 1);
    await page.close();
  });

  test('the thread toolbar asks for the whole thread', async () => {
    const { page } = await openPage();
    await send(page, {
      type: 'conversation/show',
      subject: 'Thread',
      entries: [entry('first', '<p>one</p>'), entry('second', undefined, 1)],
    });
    for (const action of ['markRead', 'markUnread', 'move', 'delete'] as const) {
      await page.click(`header vscode-button[data-action="thread/${action}"]`);
      await page.waitForFunction(
        (wanted) =>
          (window as unknown as { __posted: WireMessage[] }).__posted.some(
            (m) => m.kind === 'request' && m.request.type === 'conversation/thread' && m.request.action === wanted,
          ),
        action,
      );
    }
    await page.close();
  });
});
