// `npm run screenshots`: the README's pictures, taken from the demo mailbox (never from test accounts) in a real
// VS Code, in the dark and the light theme's default. Writes docs/images/*.png; commit the ones that changed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser, openWorkbench } from '../test/e2e/browser';
import { Workbench } from '../test/e2e/workbench';
import { ROOT, startDemo } from './demoEnvironment';

const log = (line: string) => console.log(`screenshots: ${line}`);

async function main(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'letterbox-screenshots-'));
  const world = await startDemo({ home, theme: 'Default Light Modern', log });
  const browser = await launchBrowser();
  try {
    const ui = new Workbench(await openWorkbench(browser, world.codeServer.url), join(ROOT, 'docs', 'images'));
    await ui.showLetterbox();
    await ui.treeItem('Lunch on Friday?').waitFor({ timeout: 30_000 });
    await ui.screenshot('mail-tree');
    await ui.treeItem('This week in open source').click();
    const panel = await ui.panelFrame('This week in open source: editors, protocols and you');
    await panel.locator('.remote-bar').first().waitFor();
    await ui.screenshot('remote-content-blocked');
    await ui.treeItem('Q3 report and invoice').click();
    await ui.panelFrame('Q3 report and invoice');
    await ui.screenshot('message-panel');
    // The Inbox as threads: the release discussion with the reply from Sent, then as a conversation.
    await ui.contextMenu(ui.treeItem('Inbox'), 'Show as Threads');
    const thread = ui.tree.locator('[role=treeitem]', { hasText: /Release plan for 1\.0.*4 · 1 unread/ }).first();
    await thread.waitFor({ timeout: 30_000 });
    await thread.locator('.monaco-tl-twistie').click();
    await ui.treeItem('in Sent').waitFor();
    await ui.screenshot('folder-as-threads');
    await thread.click();
    const conversation = await ui.panelFrame('Release plan for 1.0');
    await conversation.locator('.entry.expanded .plain-text').first().waitFor();
    await ui.screenshot('conversation');
    await ui.contextMenu(ui.treeItem('Inbox'), 'Show as Messages');
    // The IMAP Inbox fills the view (the tree only renders what is visible): fold that account to reach POP3.
    await ui.treeItem('Demo (IMAP)').locator('.monaco-tl-twistie').click();
    await ui.treeItem('Read me on the train').waitFor({ timeout: 30_000 });
    await ui.treeItem('Çay saati').click();
    await ui.panelFrame('Çay saati ☕');
    await ui.screenshot('pop3-account');
    log(
      'wrote docs/images/{mail-tree,remote-content-blocked,message-panel,folder-as-threads,conversation,pop3-account}.png',
    );
  } finally {
    await browser.close();
    await world.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`screenshots failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
