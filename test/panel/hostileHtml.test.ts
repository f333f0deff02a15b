// The message panel in headless Chromium, with its real page, CSP and script: hostile mail never runs a script,
// never reaches the network while remote content is blocked, and after "Load once" allowed images do load.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Frame, Page } from 'playwright-core';
import type { PanelMessage, RemoteContentPolicy, WireMessage } from '../../contract/panelMessages';
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

function message(html: string | undefined, extra: Partial<PanelMessage> = {}): PanelMessage {
  return {
    subject: 'Test',
    from: [{ name: 'Mallory', address: 'mallory@example.org' }],
    to: [{ name: '', address: 'you@example.org' }],
    cc: [],
    date: '2026-11-28T10:00:00Z',
    html,
    text: html === undefined ? 'plain' : undefined,
    attachments: [],
    inlineImages: {},
    flags: { seen: true, flagged: false },
    inTrash: false,
    pinned: false,
    view: 'html',
    ...extra,
  };
}

async function openPanel(allowRemote = false): Promise<{ page: Page; dialogs: string[] }> {
  const page = await browser.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(harness.pageUrl(allowRemote));
  await page.waitForFunction(() =>
    (window as unknown as { __posted: WireMessage[] }).__posted.some((m) => m.kind === 'ready'),
  );
  return { page, dialogs };
}

async function show(
  page: Page,
  shown: PanelMessage,
  remote: RemoteContentPolicy = { allowed: false },
): Promise<Frame | undefined> {
  const event: WireMessage = {
    kind: 'event',
    event: {
      type: 'message/show',
      message: shown,
      remote,
      restore: { account: 'a', folder: 'INBOX', id: '1', pinned: false },
    },
  };
  await page.evaluate((data) => window.postMessage(data, '*'), event);
  // This message's own page, not the one before it still on show: a message that fails to render must fail here.
  await page.waitForFunction(
    (subject) => document.querySelector('h1.subject')?.textContent === subject,
    shown.subject || '(no subject)',
    { timeout: 5_000 },
  );
  if (shown.html === undefined) return undefined;
  const handle = await page.waitForSelector('iframe.mail-frame');
  const frame = await handle.contentFrame();
  await frame?.waitForLoadState('load');
  // Late loads (lazy images, fonts, media) get a moment to try.
  await page.waitForTimeout(60);
  return frame ?? undefined;
}

describe('message panel rendering hostile mail', () => {
  test('no script runs and nothing is fetched for any of the hostile cases', async () => {
    const cases = hostileCases((path) => `${harness.origin}/leak/${path}`);
    assert.ok(cases.length >= 60, `at least 60 cases, have ${cases.length}`);
    const { page, dialogs } = await openPanel(false);
    const failures: string[] = [];
    for (const hostile of cases) {
      const leaksBefore = harness.leaks.length;
      const frame = await show(page, message(hostile.html, { subject: hostile.name })).catch((error: Error) => {
        failures.push(`${hostile.name}: not shown (${error.message.split('\n')[0]})`);
        return undefined;
      });
      const pwned = await page.evaluate(() => (window as unknown as { __pwned: boolean }).__pwned);
      const inFrame = frame
        ? await frame.evaluate(() => ({
            pwned: (window as unknown as { __pwned?: boolean }).__pwned === true,
            scripts: document.querySelectorAll(
              'script, iframe, object, embed, form, base, meta[http-equiv="refresh"], link',
            ).length,
            handlers: [...document.querySelectorAll('*')].filter((el) =>
              [...el.attributes].some((a) => /^on/i.test(a.name)),
            ).length,
            hrefs: [...document.querySelectorAll('[href]')]
              .map((el) => el.getAttribute('href'))
              .filter((h) => h && !h.startsWith('#')).length,
          }))
        : { pwned: false, scripts: 0, handlers: 0, hrefs: 0 };
      const leaked = harness.leaks.slice(leaksBefore);
      if (pwned || inFrame.pwned || leaked.length || inFrame.scripts || inFrame.handlers || inFrame.hrefs) {
        failures.push(
          `${hostile.name}: pwned=${pwned || inFrame.pwned} leaks=${leaked.join(',')} active elements=${inFrame.scripts} handlers=${inFrame.handlers} hrefs=${inFrame.hrefs}`,
        );
      }
    }
    assert.deepEqual(failures, []);
    assert.deepEqual(dialogs, [], 'no alert, confirm or prompt may open');
    assert.deepEqual(harness.leaks, [], 'no request may leave the page while remote content is blocked');
    await page.close();
  });

  test('the blocked-content bar counts what was blocked, and "Load once" then loads the allowed images', async () => {
    const html = `<p>Newsletter</p><img src="${harness.origin}/remote/hero.png"><img src="${harness.origin}/remote/pixel.gif" width="1" height="1">`;
    const { page } = await openPanel(false);
    await show(page, message(html));
    assert.match((await page.textContent('.remote-bar')) ?? '', /2 remote items were blocked/);
    assert.deepEqual(
      harness.leaks.filter((path) => path.startsWith('/remote/')),
      [],
    );
    await page.click('.remote-bar vscode-button:has-text("Load once")');
    await page.waitForFunction(() =>
      (window as unknown as { __posted: WireMessage[] }).__posted.some(
        (m) => m.kind === 'request' && m.request.type === 'remote/loadOnce',
      ),
    );
    await page.close();
    // What the extension does on that request: the page again, with remote content allowed by its CSP.
    const allowed = await openPanel(true);
    await show(allowed.page, message(html), { allowed: true, reason: 'once' });
    await allowed.page.waitForFunction(() => {
      const frame = document.querySelector('iframe.mail-frame') as HTMLIFrameElement | null;
      return [...(frame?.contentDocument?.images ?? [])].every((image) => image.complete && image.naturalWidth > 0);
    });
    assert.deepEqual(harness.leaks.filter((path) => path.startsWith('/remote/')).sort(), [
      '/remote/hero.png',
      '/remote/pixel.gif',
    ]);
    assert.equal(await allowed.page.$('.remote-bar'), null, 'no bar once content is allowed');
    await allowed.page.close();
    harness.leaks.length = 0;
  });

  test('links never navigate the panel: a click asks the extension with the real target and the visible text', async () => {
    const { page } = await openPanel(false);
    const frame = await show(
      page,
      message('<p><a href="https://evil.example/steal">https://bank.example/login</a></p>'),
    );
    assert.ok(frame);
    await frame.click('[data-letterbox-href]');
    const request = await page.waitForFunction(() =>
      (window as unknown as { __posted: WireMessage[] }).__posted.find(
        (m) => m.kind === 'request' && m.request.type === 'link/open',
      ),
    );
    assert.deepEqual(((await request.jsonValue()) as Extract<WireMessage, { kind: 'request' }>).request, {
      type: 'link/open',
      href: 'https://evil.example/steal',
      text: 'https://bank.example/login',
    });
    assert.equal(frame.url(), 'about:srcdoc', 'the frame did not navigate');
    await page.close();
  });

  test('plain text is escaped, links become clickable and quoted lines are set apart', async () => {
    const { page } = await openPanel(false);
    await show(
      page,
      message(undefined, {
        text: '<script>top.__pwned=true</script>\nSee https://example.org/a?b=1.\n> quoted line\n>> deeper',
      }),
    );
    const text = await page.textContent('.plain-text');
    assert.match(text ?? '', /<script>top\.__pwned=true<\/script>/);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned: boolean }).__pwned), false);
    assert.equal(
      await page.getAttribute('.plain-text [data-letterbox-href]', 'data-letterbox-href'),
      'https://example.org/a?b=1',
    );
    assert.deepEqual(await page.$$eval('.quote', (rows) => rows.map((row) => row.className)), [
      'line quote quote-1',
      'line quote quote-2',
    ]);
    await page.close();
  });

  test('inline cid images show from the message itself, without any request', async () => {
    const png =
      'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
    const { page } = await openPanel(false);
    const frame = await show(
      page,
      message('<img alt="logo" src="cid:logo@example">', { inlineImages: { 'logo@example': png } }),
    );
    assert.ok(frame);
    assert.equal(await frame.getAttribute('img', 'src'), png);
    assert.equal(await frame.evaluate(() => (document.images[0] as HTMLImageElement).naturalWidth), 1);
    assert.equal(await page.$('.remote-bar'), null);
    assert.deepEqual(harness.leaks, []);
    await page.close();
  });

  test('a malformed cid: reference shows the message instead of leaving the panel on "Loading"', async () => {
    const { page } = await openPanel(false);
    const frame = await show(
      page,
      message('<p>still readable</p><img alt="broken" src="cid:%E0%A4%A">', {
        inlineImages: { 'logo@example': 'data:image/png;base64,AA==' },
      }),
    );
    assert.ok(frame, 'the body frame is rendered');
    assert.match((await frame.textContent('body')) ?? '', /still readable/);
    assert.equal(await frame.getAttribute('img', 'src'), null);
    await page.close();
  });

  test('read as text, every hostile case shows only text: nothing runs, nothing is fetched, no frame', async () => {
    const { page, dialogs } = await openPanel(false);
    const failures: string[] = [];
    for (const hostile of hostileCases((path) => `${harness.origin}/leak/${path}`)) {
      const leaksBefore = harness.leaks.length;
      await page.evaluate((data) => window.postMessage(data, '*'), {
        kind: 'event',
        event: {
          type: 'message/show',
          message: message(hostile.html, { view: 'text' }),
          remote: { allowed: false },
          restore: { account: 'a', folder: 'INBOX', id: '1', pinned: false },
        },
      } satisfies WireMessage);
      await page.waitForSelector('.plain-text');
      await page.waitForTimeout(20);
      const state = await page.evaluate(() => ({
        pwned: (window as unknown as { __pwned: boolean }).__pwned,
        frames: document.querySelectorAll('iframe').length,
      }));
      if (state.pwned || state.frames || harness.leaks.length > leaksBefore)
        failures.push(`${hostile.name}: pwned=${state.pwned} frames=${state.frames}`);
    }
    assert.deepEqual(failures, []);
    assert.deepEqual(dialogs, []);
    await page.close();
  });

  test('HTML-only mail offers "Show as Plain Text", which asks the extension to remember the choice', async () => {
    const { page } = await openPanel(false);
    await show(page, message('<h2>Weekly</h2><p>First line<br>second line</p><ul><li>one</li><li>two</li></ul>'));
    const toggle = page.locator('vscode-button[data-action="view/remember"]');
    assert.equal((await toggle.textContent())?.trim(), 'Show as Plain Text');
    await toggle.click();
    const request = await page.waitForFunction(() =>
      (window as unknown as { __posted: WireMessage[] }).__posted.find(
        (m) => m.kind === 'request' && m.request.type === 'view/remember',
      ),
    );
    assert.deepEqual(((await request.jsonValue()) as { request: unknown }).request, {
      type: 'view/remember',
      view: 'text',
    });
    // The extension answers by showing the message again, as text.
    await page.evaluate((data) => window.postMessage(data, '*'), {
      kind: 'event',
      event: {
        type: 'message/show',
        message: message('<h2>Weekly</h2><p>First line<br>second line</p><ul><li>one</li><li>two</li></ul>', {
          view: 'text',
        }),
        remote: { allowed: false },
        restore: { account: 'a', folder: 'INBOX', id: '1', pinned: false },
      },
    } satisfies WireMessage);
    await page.waitForSelector('.plain-text');
    const lines = await page.$$eval('.plain-text .line', (rows) =>
      rows.map((row) => row.textContent?.trim()).filter(Boolean),
    );
    assert.deepEqual(lines, ['Weekly', 'First line', 'second line', 'one', 'two']);
    assert.equal(await page.$('iframe.mail-frame'), null);
    assert.equal((await page.locator('vscode-button[data-action="view/remember"]').textContent())?.trim(), 'HTML');
    await page.close();
  });

  test("with both parts, the text view shows the message's own text part", async () => {
    const { page } = await openPanel(false);
    await page.evaluate((data) => window.postMessage(data, '*'), {
      kind: 'event',
      event: {
        type: 'message/show',
        message: message('<p>the html part</p>', { text: 'the text part', view: 'text' }),
        remote: { allowed: false },
        restore: { account: 'a', folder: 'INBOX', id: '1', pinned: false },
      },
    } satisfies WireMessage);
    await page.waitForSelector('.plain-text');
    assert.equal((await page.textContent('.plain-text'))?.trim(), 'the text part');
    assert.equal((await page.locator('vscode-button[data-action="view/remember"]').textContent())?.trim(), 'HTML');
    await page.close();
  });
});
