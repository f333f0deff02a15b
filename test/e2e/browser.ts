// Debian's Chromium driven by playwright-core; nothing is downloaded. Flags from shared/e2e-notes.md.
import { chromium, type Browser, type Page } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM } from './e2eTools';

/** `hostResolverRules`: names that exist only on loopback (Chromium's --host-resolver-rules). */
export async function launchBrowser(options: { hostResolverRules?: string } = {}): Promise<Browser> {
  const home = mkdtempSync(join(tmpdir(), 'letterbox-chromium-'));
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(options.hostResolverRules ? [`--host-resolver-rules=${options.hostResolverRules}`] : []),
    ],
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_CACHE_HOME: join(home, '.cache') },
  });
}

/**
 * `trustTestCertificates`: a provider's sign-in page served with the test authority's certificate loads in the
 * browser, which stands in for the user's own (it never sees the test authority); the workbench itself is HTTP.
 */
export async function openWorkbench(
  browser: Browser,
  url: string,
  options: { trustTestCertificates?: boolean } = {},
): Promise<Page> {
  const page = await browser.newPage({
    viewport: { width: 1400, height: 900 },
    ignoreHTTPSErrors: options.trustTestCertificates ?? false,
  });
  await page.goto(url);
  // /healthz answers long before the UI is ready: wait for our activity-bar icon.
  await page.locator('.activitybar a.action-label[aria-label^="Letterbox"]').waitFor({ timeout: 90_000 });
  return page;
}

export async function runCommand(page: Page, title: string): Promise<void> {
  await page.locator('.statusbar').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}
