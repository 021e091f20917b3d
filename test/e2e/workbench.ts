/** Small, named steps against the code-server workbench DOM, so the test reads as what a reviewer does. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { Root } from './codeServer';

export const ShotDir = path.join(Root, 'test-output/e2e');

export class Workbench {
  constructor(readonly page: Page) {}

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    await this.page.locator('.part.statusbar').waitFor();
  }

  async shot(name: string): Promise<void> {
    mkdirSync(ShotDir, { recursive: true });
    // Let fades (hovers, quick inputs) finish; endless ones (spinners) are not waited for.
    await this.page.evaluate(() =>
      Promise.all(
        document
          .getAnimations()
          .filter((a) => a.effect?.getComputedTiming().iterations !== Infinity)
          .map((a) => a.finished.catch(() => undefined)),
      ),
    );
    await this.page.screenshot({ path: path.join(ShotDir, `${name}.png`) });
  }

  /** Runs a command from the palette by its title. */
  async command(title: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input');
    // F1 can land while the previous picker is still closing and leave the palette's input inert; like
    // a person, close it and open the palette again (focus stays where it was, for `when` clauses).
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press('F1');
      try {
        await input.fill(`>${title}`, { timeout: attempt < 3 ? 10_000 : 30_000 });
        break;
      } catch (err) {
        if (attempt >= 3) throw err;
        await this.page.keyboard.press('Escape');
      }
    }
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
    await input.press('Enter');
  }

  async showLoophole(): Promise<void> {
    await this.page.locator('.activitybar [aria-label^="Loophole"]').first().click();
    await this.candidatesPane().waitFor();
  }

  candidatesPane(): Locator {
    return this.page.locator('.pane', { has: this.page.locator('.pane-header', { hasText: 'Candidates' }) });
  }

  testsPane(): Locator {
    return this.page.locator('.pane', { has: this.page.locator('.pane-header', { hasText: 'Tests' }) });
  }

  treeRow(pane: Locator, text: string): Locator {
    return pane.locator('.monaco-list-row', { hasText: text }).first();
  }

  editor(): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor').first();
  }

  /** The review panel's content: the webview's outer iframe, then its active frame. */
  webview(): FrameLocator {
    // The host frame swaps a `pending-frame` for the `active-frame`; either holds the panel once ready.
    return this.page.frameLocator('iframe.webview.ready').last().frameLocator('iframe').last();
  }

  /** The tab of the active editor group's active editor, by its title. */
  activeTab(title: string): Locator {
    return this.page.locator('.editor-group-container.active .tab.active', { hasText: title });
  }

  /** The title of the active editor's tab. */
  async activeTabTitle(): Promise<string> {
    return ((await this.page.locator('.editor-group-container.active .tab.active .label-name').first().textContent()) ?? '').trim();
  }

  /** A CodeLens of the active editor holding `text`. */
  codeLens(text: string): Locator {
    return this.editor().locator('.codelens-decoration', { hasText: text });
  }

  /** Hovers the mouse over `token` on the first line holding `lineText`; answers the hover widget. */
  async hover(lineText: string, token: string): Promise<Locator> {
    await this.editor().locator('.view-line', { hasText: lineText }).locator('span > span', { hasText: token }).first().hover();
    return this.page.locator('.monaco-hover:not(.hidden)');
  }

  /** The Loophole status bar item, once its accessible label holds `text`. */
  statusItem(text: string): Locator {
    return this.page.locator(`.part.statusbar .statusbar-item[aria-label*=${JSON.stringify(text)}]`);
  }

  /** The open quick input (quick pick or input box). */
  quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /** The rows of the open quick pick holding `text` (every row when `text` is absent). */
  quickPickRows(text?: string): Locator {
    const rows = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    return text === undefined ? rows : rows.filter({ hasText: text });
  }

  /** Narrows the open quick pick to the row holding `text` and accepts it, by keyboard. */
  async pick(text: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(text);
    await this.quickPickRows(text).first().waitFor();
    await input.press('Enter');
  }

  /** The labels of a tree's rows in the order the tree shows them. */
  async treeLabels(pane: Locator): Promise<string[]> {
    const rows = await pane
      .locator('.monaco-list-row')
      .evaluateAll((els) =>
        els.map((e) => ({ i: Number(e.getAttribute('data-index')), label: e.querySelector('.label-name')?.textContent ?? '' })),
      );
    return rows.sort((a, b) => a.i - b.i).map((r) => r.label.trim());
  }
}
