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
    await this.page.screenshot({ path: path.join(ShotDir, `${name}.png`) });
  }

  /** Runs a command from the palette by its title. */
  async command(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`>${title}`);
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
}
