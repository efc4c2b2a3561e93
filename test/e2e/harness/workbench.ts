// What a person does in the VS Code workbench, as Playwright steps: open a folder, open a file,
// run a command, look at code lenses, the Problems panel and webviews, take screenshots.
// Selectors are the workbench's own (see the shared notes on running a real VS Code here).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import { outputDir } from './paths';

export class Workbench {
  constructor(
    readonly page: Page,
    private readonly folderUrl: (folder: string) => string,
  ) {}

  private currentFolder: string | undefined;

  /** Loads the workbench on `folder` (unless it shows it already) and waits for the explorer's files. */
  async openFolder(folder: string): Promise<void> {
    if (this.currentFolder === folder) return;
    this.currentFolder = undefined;
    await this.page.goto(this.folderUrl(folder));
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
    this.currentFolder = folder;
  }

  /** Closes whatever a failed step may have left open (quick input, hover, notification focus). */
  async dismissOverlays(): Promise<void> {
    for (let i = 0; i < 3; i++) await this.page.keyboard.press('Escape');
  }

  /**
   * Quick Open (Ctrl+P) on a workspace-relative path into the first editor group (the one left of
   * any Plumb panel, so the panel stays in view); waits for its editor tab.
   */
  async openFile(relativePath: string): Promise<void> {
    await this.focusEditorArea();
    await this.page.keyboard.press('Control+1');
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget input');
    await input.fill(relativePath);
    // The list shows recent files until the search answers: wait until the top row is the file.
    await this.page
      .locator('.quick-input-widget .monaco-list-row')
      .first()
      .filter({ hasText: path.basename(relativePath) })
      .waitFor();
    await this.page.keyboard.press('Enter');
    await this.activeTab(path.basename(relativePath)).waitFor();
    await this.editor.locator('.view-lines').waitFor();
  }

  /** The front tab of the active editor group, when it is titled `name`. */
  activeTab(name: string): Locator {
    return this.page.locator('.editor-group-container.active .tabs-container .tab.active', {
      hasText: name,
    });
  }

  get editor(): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor').first();
  }

  /** Texts of the code lenses shown in the active editor. */
  async codeLensTexts(): Promise<string[]> {
    return (await this.editor.locator('.codelens-decoration a').allTextContents()).map((t) => t.trim());
  }

  /**
   * The lens texts once one matches each of `expected`. VS Code redraws the lenses whenever the
   * language server refreshes them (a finished analysis, a plan's counts), and between two
   * drawings the editor can show none: a single read right after the first lens appeared came
   * back empty on a CI machine.
   */
  async lensTextsMatching(expected: RegExp[], timeoutMs = 120_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    let texts: string[] = [];
    for (;;) {
      texts = await this.codeLensTexts();
      if (expected.every((e) => texts.some((t) => e.test(t)))) return texts;
      if (Date.now() > deadline) break;
      await this.page.waitForTimeout(250);
    }
    const missing = expected.filter((e) => !texts.some((t) => e.test(t)));
    throw new Error(
      `no lens matching ${missing.join(', ')} after ${timeoutMs} ms; lenses: ${texts.join(' | ')}`,
    );
  }

  /** Clicks into the visible text of the active editor (the text layer itself may be scrolled off). */
  async focusEditor(): Promise<void> {
    await this.editor.click({ position: { x: 80, y: 10 } });
  }

  /** Go to Line (Ctrl+G): puts the cursor on `line` (1-based) and scrolls it into view. */
  async goToLine(line: number): Promise<void> {
    await this.focusEditor();
    await this.page.keyboard.press('Control+G');
    await this.page.locator('.quick-input-widget input').fill(`:${line}`);
    await this.page.keyboard.press('Enter');
    await this.lineNumber(line).waitFor();
  }

  /** The gutter's number for `line`, when it is rendered. */
  lineNumber(line: number): Locator {
    return this.editor
      .locator('.margin-view-overlays .line-numbers')
      .filter({ hasText: new RegExp(`^\\s*${line}\\s*$`) });
  }

  /**
   * Clicks the code lens whose text matches `label` in the lens row right above `line` (the class
   * declaration it belongs to). Lenses are found by position: the row above a line is the closest
   * lens decoration whose top lies above that line's number in the gutter. With `when`, only once
   * a lens of that row also matches it (the row drawn as the caller expects: a lens redrawn while
   * clicked may take no click).
   */
  async clickCodeLens(line: number, label: RegExp, when?: RegExp): Promise<void> {
    await this.goToLine(line);
    const rows = this.editor.locator('.codelens-decoration');
    await rows.first().waitFor({ state: 'attached', timeout: 30_000 });
    // Lenses render asynchronously and push lines down as they appear: only a lens directly above
    // the line (within two line heights) is the line's own, so measure until that one is there.
    const deadline = Date.now() + 30_000;
    for (;;) {
      // The gutter redraws as lenses arrive; a number being replaced has no box for a moment.
      const box = await this.lineNumber(line)
        .boundingBox({ timeout: 5000 })
        .catch(() => null);
      if (!box) {
        if (Date.now() > deadline) throw new Error(`line ${line} is not on screen`);
        await this.page.waitForTimeout(200);
        continue;
      }
      let own: number | undefined;
      for (let i = 0; i < (await rows.count()); i++) {
        const y = (await rows.nth(i).boundingBox())?.y;
        if (y !== undefined && y < box.y && box.y - y <= 2 * box.height) own = i;
      }
      if (own !== undefined) {
        // Click the element measured, not a locator by index: lens rows are view zones added in
        // the order they arrive, so `nth(own)` re-resolved at click time may be another class's row
        // (a Debug lens of a complete task: the session ends and nothing stops). A row redrawn in
        // between detaches the link, the click throws, and the loop measures again.
        const row = await rows.nth(own).elementHandle();
        const links = row ? await row.$$('a') : [];
        const texts = await Promise.all(links.map(async (a) => ((await a.textContent()) ?? '').trim()));
        const ready = !when || texts.some((t) => when.test(t));
        for (const [i, link] of links.entries()) {
          if (!ready || !label.test(texts[i]!)) continue;
          try {
            await link.click({ timeout: 5000 });
            return;
          } catch (error) {
            if (Date.now() > deadline) throw error;
            break;
          }
        }
        if (Date.now() > deadline)
          throw new Error(
            `no lens ${label}${when ? ` beside one matching ${when}` : ''} above line ${line}; ` +
              `lenses there: ${texts.join(' | ')}`,
          );
      } else if (Date.now() > deadline) {
        throw new Error(`no code lens directly above line ${line}`);
      }
      await this.page.waitForTimeout(200);
    }
  }

  /** The notifications, quick input and status bar as shown now: what an error should say was on screen. */
  async whatIsShown(): Promise<string> {
    const texts = async (selector: string) =>
      (
        await this.page
          .locator(selector)
          .allInnerTexts()
          .catch(() => [])
      )
        .map((t) => t.replace(/\s+/g, ' ').trim())
        .filter(Boolean)
        .join(' | ') || '(none)';
    return (
      `notifications: ${await texts('.notifications-toasts .notification-list-item')}; ` +
      `quick input: ${await texts('.quick-input-widget:visible .quick-input-title, .quick-input-widget:visible .quick-input-message')}; ` +
      `status bar: ${await texts('.statusbar-item')}`
    );
  }

  /** What the Debug Console shows (the debuggee's output and the debugger's messages), for errors. */
  async debugConsoleText(): Promise<string> {
    const text = await this.page
      .locator('.repl')
      .first()
      .innerText({ timeout: 2000 })
      .catch(() => '(the Debug Console is not shown)');
    return text.replace(/\s+/g, ' ').trim() || '(empty)';
  }

  /** Toggles a breakpoint on `line` (F9 with the cursor there) and waits for its glyph. */
  async toggleBreakpoint(line: number): Promise<void> {
    await this.goToLine(line);
    await this.page.keyboard.press('F9');
    // The glyph must be on `line` itself: a key taken elsewhere (or a breakpoint left by an earlier
    // test) would leave the run nothing to stop at.
    const glyphs = this.editor.locator('.codicon-debug-breakpoint');
    await glyphs.first().waitFor();
    const deadline = Date.now() + 10_000;
    for (;;) {
      const lineBox = await this.lineNumber(line).boundingBox();
      for (const glyph of await glyphs.all()) {
        const box = await glyph.boundingBox();
        if (
          lineBox &&
          box &&
          Math.abs(box.y + box.height / 2 - (lineBox.y + lineBox.height / 2)) < lineBox.height / 2
        )
          return;
      }
      if (Date.now() > deadline) throw new Error(`no breakpoint glyph on line ${line} after F9`);
      await this.page.waitForTimeout(200);
    }
  }

  /** Runs a command by its title from the Command Palette (the row titled exactly so). */
  async runCommand(title: string): Promise<void> {
    await this.focusEditorArea();
    await this.page.keyboard.press('F1');
    await this.page.locator('.quick-input-widget input').fill(`>${title}`);
    await this.pickRow(title);
  }

  /** Clicks the open quick pick's row labelled exactly `label` (fuzzy matches may rank above it). */
  private async pickRow(label: string): Promise<void> {
    const exact = exactLabel(label);
    await this.page
      .locator('.quick-input-widget .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: exact }) })
      .first()
      .click({ timeout: 30_000 });
  }

  /**
   * Picks a colour theme the way a person does (Preferences: Color Theme, type its name, Enter) and
   * waits for the workbench to wear it (`kind` is the class VS Code puts on the workbench: vs,
   * vs-dark, hc-black, hc-light).
   */
  async setColorTheme(label: string, kind: 'vs' | 'vs-dark' | 'hc-black' | 'hc-light'): Promise<void> {
    await this.runCommand('Preferences: Color Theme');
    await this.page.locator('.quick-input-widget input').fill(label);
    // Enter on the focused row, as the comment above says a person does: a click on the row also
    // works, but the theme picker previews each focused theme (a whole-workbench restyle), and on a
    // loaded machine the click's own wait outlasted its 10 s.
    const exact = exactLabel(label);
    await this.page
      .locator('.quick-input-widget .monaco-list-row.focused')
      .filter({ has: this.page.locator('.label-name', { hasText: exact }) })
      .waitFor({ timeout: 30_000 });
    await this.page.locator('.quick-input-widget input').press('Enter');
    await this.page.locator(`.monaco-workbench.${kind}`).waitFor({ timeout: 30_000 });
  }

  /** The editor's background colour as the workbench draws it, as [r, g, b]. */
  async editorBackground(): Promise<[number, number, number]> {
    const css = await this.page
      .locator('.monaco-editor .monaco-editor-background')
      .first()
      .evaluate(
        (e) =>
          (
            globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }
          ).getComputedStyle(e).backgroundColor,
      );
    const n = (css.match(/[\d.]+/g) ?? []).map(Number);
    return [n[0] ?? 0, n[1] ?? 0, n[2] ?? 0];
  }

  /** Moves the mouse off every view, so no hover styling colours what is measured next. */
  async moveMouseAway(): Promise<void> {
    await this.page.mouse.move(1, 1);
  }

  /** Brings the editor tab titled `title` (e.g. a webview panel "Plumb Run") to the front. */
  async showTab(title: string): Promise<void> {
    await this.page.locator('.tabs-container .tab', { hasText: title }).first().click();
    await this.activeTab(title).waitFor({ timeout: 10_000 });
  }

  /** Opens the Problems panel through the status bar (keyboard shortcuts do nothing while a webview has focus). */
  async openProblems(): Promise<Locator> {
    await this.page.locator('[id="status.problems"]').click();
    const rows = this.page.locator('.markers-panel .monaco-list-row');
    await this.page.locator('.markers-panel').waitFor();
    return rows;
  }

  /**
   * The content frame of the webview that shows `selector` (e.g. the run view's `.run-header`).
   * Webviews are nested iframes outside the editor's DOM; finding them by content is what stays
   * true when two are open side by side.
   */
  async webview(selector: string, timeoutMs = 30_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const frame of this.page.frames()) {
        if (frame.isDetached()) continue;
        if (
          (await frame
            .locator(selector)
            .count()
            .catch(() => 0)) > 0
        )
          return frame;
      }
      if (Date.now() > deadline) throw new Error(`no webview shows ${selector} after ${timeoutMs} ms`);
      await this.page.waitForTimeout(250);
    }
  }

  /** Where focus goes before a keyboard shortcut, so a focused webview does not swallow it. */
  private async focusEditorArea(): Promise<void> {
    await this.page.locator('.part.sidebar .title-label').first().click();
  }

  /** Saves the page as test-output/e2e/<name>.png (`name` may name a subfolder). */
  async screenshot(name: string): Promise<string> {
    const file = path.join(outputDir, `${name}.png`);
    mkdirSync(path.dirname(file), { recursive: true });
    await this.page.screenshot({ path: file });
    return file;
  }
}

/** Matches a quick-pick label that is exactly `label` (fuzzy matches may rank above it). */
function exactLabel(label: string): RegExp {
  return new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}
