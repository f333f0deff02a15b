// Activation in the end-to-end VS Code (code-server with the packaged VSIX, Debian's Chromium): from the
// activation event (VS Code's extension-host log) to the Mail view's first items (Letterbox's log line), once
// per new window, with one IMAP account configured. Plus the sizes of what ships.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, openWorkbench } from '../../test/e2e/browser';
import { CodeServer } from '../../test/e2e/codeServer';
import { ensureE2eTools } from '../../test/e2e/e2eTools';
import type { BenchCase, BenchContext } from '../lib/context';
import { measured, newCase, type CaseResult } from '../lib/report';

const ROOT = join(__dirname, '..', '..');
const VSIX = join(ROOT, 'letterbox.vsix');

export const activation: BenchCase = {
  id: 'activation',
  async run(context: BenchContext): Promise<CaseResult[]> {
    const result = newCase('activation', 'Activation and size');
    context.progress('activation: packaging the VSIX and preparing code-server');
    const packaged = spawnSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, encoding: 'utf8' });
    if (packaged.status !== 0) throw new Error(`npm run package failed: ${packaged.stderr || packaged.stdout}`);
    ensureE2eTools(context.progress);
    const user = context.server.addUser('activation');
    const codeServer = await CodeServer.start({
      vsix: VSIX,
      settings: {
        'letterbox.accounts': [
          {
            id: 'bench',
            label: 'Bench',
            email: 'bench@example.test',
            protocol: 'imap',
            host: '127.0.0.1',
            port: context.server.ports.imap,
            security: 'none',
            user: user.user,
          },
        ],
      },
    });
    const logs = join(context.work, 'activation-logs');
    const browser = await launchBrowser();
    try {
      for (let round = 0; round < context.rounds; round++) {
        const page = await openWorkbench(browser, codeServer.url);
        const tree = page.locator('[role=tree][aria-label="Mail"]');
        if (!(await tree.isVisible()))
          await page.locator('.activitybar a.action-label[aria-label^="Letterbox"]').click();
        await tree.locator('[role=treeitem]', { hasText: 'Bench' }).first().waitFor({ timeout: 60_000 });
        await page.close();
      }
    } finally {
      await browser.close();
      await codeServer.stop({ keepLogsIn: logs });
    }
    const { toActivated, toFirstItems } = readActivations(logs);
    if (toFirstItems.length < context.rounds)
      throw new Error(`found ${toFirstItems.length} activations in VS Code's logs for ${context.rounds} windows`);
    measured(result, 'activation event -> activate() done', toActivated);
    measured(result, "activation event -> Mail view's first items", toFirstItems);
    const size = (path: string) => statSync(join(ROOT, path)).size;
    for (const file of ['dist/extension.js', 'dist/webview/main.js', 'letterbox.vsix'])
      measured(result, `size of ${file}`, [size(file)], 'bytes');
    result.notes.push(
      "each round opens a new browser window on one code-server, so each has a new extension host; times come from the timestamps of VS Code's and Letterbox's own log lines (1 ms resolution)",
    );
    return [result];
  },
};

/** Pairs VS Code's "_doActivateExtension letterbox" line with Letterbox's lines of the same extension host. */
function readActivations(logs: string): { toActivated: number[]; toFirstItems: number[] } {
  const toActivated: number[] = [];
  const toFirstItems: number[] = [];
  const stamp = (line: string | undefined) => (line ? Date.parse(line.slice(0, 23).replace(' ', 'T')) : NaN);
  for (const host of findExtensionHosts(logs)) {
    const vscodeLog = readFileSync(join(host, 'remoteexthost.log'), 'utf8').split('\n');
    const ours = join(host, 'letterbox.letterbox', 'Letterbox.log');
    let letterboxLog: string[];
    try {
      letterboxLog = readFileSync(ours, 'utf8').split('\n');
    } catch {
      continue;
    }
    const event = stamp(vscodeLog.find((line) => /_doActivateExtension letterbox\.letterbox/.test(line)));
    const activated = stamp(letterboxLog.find((line) => /\] activated with/.test(line)));
    const firstItems = stamp(letterboxLog.find((line) => /Mail view: first/.test(line)));
    if (Number.isFinite(event) && Number.isFinite(activated)) toActivated.push(activated - event);
    if (Number.isFinite(event) && Number.isFinite(firstItems)) toFirstItems.push(firstItems - event);
  }
  return { toActivated, toFirstItems };
}

function findExtensionHosts(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const path = join(dir, entry.name);
    if (entry.name.startsWith('exthost')) found.push(path);
    else found.push(...findExtensionHosts(path));
  }
  return found;
}
