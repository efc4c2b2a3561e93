// What a person does in the VS Code workbench, as Playwright steps: open a folder, open a file,
// run a command, look at code lenses, the Problems panel and webviews, take screenshots.
// Selectors are the workbench's own (see the shared notes on running a real VS Code here).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { outputDir } from './paths';

export class Workbench {
  constructor(
    readonly page: Page,
    private readonly folderUrl: (folder: string) => string,
  ) {}

  /** Loads the workbench on `folder` and waits until the explorer lists its files. */
  async openFolder(folder: string): Promise<void> {
    await this.page.goto(this.folderUrl(folder));
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
  }

  /** Quick Open (Ctrl+P) on a workspace-relative path; waits for its editor tab. */
  async openFile(relativePath: string): Promise<void> {
    await this.focusEditorArea();
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget input');
    await input.fill(relativePath);
    await this.page.locator('.quick-input-widget .monaco-list-row').first().waitFor();
    await this.page.keyboard.press('Enter');
    await this.activeTab(path.basename(relativePath)).waitFor();
    await this.editor.locator('.view-lines').waitFor();
  }

  activeTab(name: string): Locator {
    return this.page.locator('.tabs-container .tab.active', { hasText: name });
  }

  get editor(): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor').first();
  }

  /** Texts of the code lenses shown in the active editor. */
  async codeLensTexts(): Promise<string[]> {
    return (await this.editor.locator('.codelens-decoration a').allTextContents()).map((t) => t.trim());
  }

  /** Runs a command by its title from the Command Palette. */
  async runCommand(title: string): Promise<void> {
    await this.focusEditorArea();
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.fill(`>${title}`);
    await this.page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first().waitFor();
    await this.page.keyboard.press('Enter');
  }

  /** Opens the Problems panel through the status bar (keyboard shortcuts do nothing while a webview has focus). */
  async openProblems(): Promise<Locator> {
    await this.page.locator('[id="status.problems"]').click();
    const rows = this.page.locator('.markers-panel .monaco-list-row');
    await this.page.locator('.markers-panel').waitFor();
    return rows;
  }

  /** The content frame of the visible webview whose tab title contains `title`. */
  async webview(title: string): Promise<FrameLocator> {
    await this.page.locator('.tabs-container .tab', { hasText: title }).first().waitFor({ timeout: 30_000 });
    return this.page.frameLocator('iframe.webview.ready:visible').frameLocator('#active-frame');
  }

  /** Where focus goes before a keyboard shortcut, so a focused webview does not swallow it. */
  private async focusEditorArea(): Promise<void> {
    await this.page.locator('.part.statusbar').click({ position: { x: 2, y: 2 } });
  }

  async screenshot(name: string): Promise<string> {
    mkdirSync(outputDir, { recursive: true });
    const file = path.join(outputDir, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }
}
