// What a user does in the workbench, as Playwright steps: palette commands, quick inputs, tree items, context
// menus, notifications, dialogs and the message panel's webview (two nested iframes inside VS Code).
import type { Frame, Locator, Page } from 'playwright-core';

export class Workbench {
  constructor(
    readonly page: Page,
    private readonly screenshots: string,
  ) {}

  get tree(): Locator {
    return this.page.locator('[role=tree][aria-label="Mail"]');
  }

  treeItem(text: string): Locator {
    return this.tree.locator('[role=treeitem]', { hasText: text }).first();
  }

  /** Opens the Letterbox view; clicking its icon while it is open would close the sidebar instead. */
  async showLetterbox(): Promise<void> {
    const view = this.tree.or(this.page.locator('.welcome-view-content')).first();
    if (!(await view.isVisible()))
      await this.page.locator('.activitybar a.action-label[aria-label^="Letterbox"]').click();
    await view.waitFor();
  }

  async command(title: string): Promise<void> {
    await this.page.locator('.statusbar').click({ position: { x: 5, y: 5 } });
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input.input');
    await input.waitFor();
    await input.fill(`>${title}`);
    await this.page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first().waitFor();
    await this.page.keyboard.press('Enter');
  }

  /** Answers one step of a QuickInput flow: types text, or picks the row that contains `pick`. */
  async answer(step: { text?: string; pick?: string; expectPrompt?: RegExp }): Promise<void> {
    const widget = this.page.locator('.quick-input-widget');
    await widget.waitFor({ state: 'visible' });
    if (step.expectPrompt)
      await widget
        .locator('.quick-input-message, .quick-input-header', { hasText: step.expectPrompt })
        .first()
        .waitFor();
    if (step.pick !== undefined) {
      const row = widget.locator('.monaco-list-row', { hasText: step.pick }).first();
      await row.waitFor();
      await row.click();
    } else {
      const input = widget.locator('input.input');
      await input.fill(step.text ?? '');
      await input.press('Enter');
    }
    // The next step replaces the input; give it a moment to swap.
    await this.page.waitForTimeout(250);
  }

  /**
   * Runs a tree item's context menu entry. The tree is live: when IDLE reloads the list while the menu is open,
   * the item the menu belongs to is gone for VS Code, and Letterbox does nothing and says so; a person then tries
   * again, and so does this (at most twice more).
   */
  async contextMenu(item: Locator, action: string): Promise<void> {
    const nothingDone = this.notification(/Nothing was done: the \w+ left the Mail view while its menu was open/);
    // A notice left from an earlier step would pass for this attempt's: it goes first.
    await this.dismiss(nothingDone);
    for (let attempt = 0; ; attempt++) {
      await item.click({ button: 'right' });
      const entry = this.page.locator('.context-view .monaco-menu .action-label', { hasText: action }).first();
      await entry.waitFor();
      // VS Code's menu ignores a mouse-up that comes right after it opened (the right-click's own release).
      await this.page.waitForTimeout(400);
      if (process.env.LETTERBOX_E2E_DEBUG)
        await this.page.screenshot({ path: `${this.screenshots}/menu-${action.replace(/\W+/g, '-')}.png` });
      await entry.hover();
      await entry.click();
      await entry.waitFor({ state: 'detached' });
      if (
        attempt >= 2 ||
        !(await nothingDone.waitFor({ timeout: 600 }).then(
          () => true,
          () => false,
        ))
      )
        return;
      await this.dismiss(nothingDone);
    }
  }

  /** Closes a notification if one is showing. */
  private async dismiss(toast: Locator): Promise<void> {
    if (!(await toast.isVisible())) return;
    await toast.hover();
    await toast
      .locator('.codicon-notifications-clear')
      .first()
      .click()
      .catch(() => undefined);
    await toast.waitFor({ state: 'hidden', timeout: 2_000 }).catch(() => undefined);
  }

  notification(text: string | RegExp): Locator {
    // Old toasts can linger hidden in the DOM: only a visible one counts.
    return this.page.locator('.notifications-toasts .notification-list-item:visible', { hasText: text }).first();
  }

  async clickNotificationButton(text: string | RegExp, button: string): Promise<void> {
    const toast = this.notification(text);
    await toast.waitFor();
    await toast.locator('a.monaco-button', { hasText: button }).first().click();
  }

  async dialogButton(button: string): Promise<void> {
    const choice = this.page.locator('.monaco-dialog-box a.monaco-button', { hasText: button }).first();
    await choice.waitFor();
    await choice.click();
  }

  /**
   * Opens a message from the tree and returns its panel. The tree is live (IDLE reloads a folder when mail moves
   * elsewhere), so a row can be recycled under the pointer between finding it and clicking it: then the click is
   * tried again, as a person would.
   */
  async openFromTree(subject: string): Promise<Frame> {
    for (let attempt = 0; ; attempt++) {
      await this.treeItem(subject).click();
      try {
        return await this.panelFrame(subject, attempt < 2 ? 8_000 : 30_000);
      } catch (error) {
        if (attempt >= 2) throw error;
      }
    }
  }

  /** The message panel's inner frame, found by its content: several webviews may be alive at once. */
  async panelFrame(subject: string, timeoutMs = 30_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for (const frame of this.page.frames()) {
        const heading = await frame
          .locator('h1.subject')
          .textContent({ timeout: 50 })
          .catch(() => null);
        if (heading === subject) return frame;
      }
      await this.page.waitForTimeout(200);
    }
    // What the window looked like is the first question when this fails.
    await this.page
      .screenshot({ path: `${this.screenshots}/failed-no-panel-${subject.replace(/\W+/g, '-').slice(0, 40)}.png` })
      .catch(() => undefined);
    const shown = await Promise.all(
      this.page.frames().map((frame) =>
        frame
          .locator('h1.subject, .notice')
          .first()
          .textContent({ timeout: 50 })
          .catch(() => null),
      ),
    );
    throw new Error(
      `no message panel shows "${subject}" (panels show: ${
        shown
          .filter(Boolean)
          .map((text) => JSON.stringify(text))
          .join(', ') || 'nothing'
      })`,
    );
  }

  async screenshot(name: string): Promise<void> {
    await this.page.waitForTimeout(400);
    await this.page.screenshot({ path: `${this.screenshots}/${name}.png` });
  }
}
