// The editor's own widgets as a person uses them from the keyboard: put the cursor on a line and
// column (Ctrl+G), point at it for the hover, open the quick fixes (Ctrl+.) and read or
// pick one, read the Problems panel's rows with their line and column.
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { Workbench } from './workbench';

/** Puts the cursor on `line`, `column` (both 1-based) of the active editor. */
export async function goTo(workbench: Workbench, line: number, column: number): Promise<void> {
  await workbench.focusEditor();
  await workbench.page.keyboard.press('Control+G');
  await workbench.page.locator('.quick-input-widget input').fill(`:${line}:${column}`);
  await workbench.page.keyboard.press('Enter');
  await workbench.lineNumber(line).waitFor();
}

/**
 * Rests the mouse on the character right of the cursor, as a person points at a word, and returns
 * the hover widget once it says `text` (every provider's part comes into the one widget).
 */
export async function hoverAtCursor(workbench: Workbench, text: RegExp): Promise<Locator> {
  const cursor = (await workbench.editor.locator('.cursors-layer .cursor').first().boundingBox())!;
  await workbench.page.mouse.move(cursor.x + 4, cursor.y + cursor.height / 2, { steps: 3 });
  const hover = workbench.page
    .locator('.monaco-editor .monaco-hover:not(.hidden)', { hasText: text })
    .first();
  await hover.waitFor({ timeout: 30_000 });
  return hover;
}

/** The quick-fix menu (Ctrl+.) at the cursor, once it lists a fix titled `title`; returns that row. */
export async function quickFix(page: Page, title: string, timeoutMs = 30_000): Promise<Locator> {
  const deadline = Date.now() + timeoutMs;
  // The menu lists what the providers had answered when it opened: ask again until ours is in it.
  for (;;) {
    await page.keyboard.press('Control+.');
    const row = page.locator('.action-widget .monaco-list-row', { hasText: title }).first();
    const shown = await row
      .waitFor({ timeout: 5000 })
      .then(() => true)
      .catch(() => false);
    if (shown) return row;
    if (Date.now() > deadline) {
      const listed = await page.locator('.action-widget .monaco-list-row').allTextContents();
      throw new Error(`no quick fix "${title}" after ${timeoutMs} ms; listed: ${listed.join(' | ')}`);
    }
    await page.keyboard.press('Escape');
  }
}

/**
 * Takes the quick fix `row` with the keyboard (a click that lands while the menu is still settling
 * only highlights the row): moves the focus onto it, then Enter.
 */
export async function applyQuickFix(page: Page, row: Locator): Promise<void> {
  for (let i = 0; i < 20 && !/\bfocused\b/.test((await row.getAttribute('class')) ?? ''); i++)
    await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await row.waitFor({ state: 'hidden', timeout: 10_000 });
}

export interface Problem {
  row: Locator;
  label: string;
  line: number;
  column: number;
}

/**
 * Opens a file made while the workbench was open: Quick Open lists it only once its file search has
 * seen it, so ask again until it does.
 */
export async function openNewFile(
  workbench: Workbench,
  relativePath: string,
  timeoutMs = 60_000,
): Promise<void> {
  const page = workbench.page;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.locator('.part.sidebar .title-label').first().click();
    await page.keyboard.press('Control+1');
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill(relativePath);
    const found = await page
      .locator('.quick-input-widget .monaco-list-row')
      .first()
      .filter({ hasText: path.basename(relativePath) })
      .waitFor({ timeout: 5000 })
      .then(() => true)
      .catch(() => false);
    if (found) break;
    if (Date.now() > deadline)
      throw new Error(`Quick Open does not list ${relativePath} after ${timeoutMs} ms`);
    await page.keyboard.press('Escape');
  }
  await page.keyboard.press('Enter');
  await workbench.activeTab(path.basename(relativePath)).waitFor();
}

/** Types `text` into the Problems panel's filter: only the problems it matches are listed. */
export async function filterProblems(workbench: Workbench, text: string): Promise<void> {
  const filter = workbench.page
    .locator('.markers-panel-container, .pane-body, .panel')
    .getByPlaceholder(/^Filter/)
    .first();
  await filter.fill(text);
}

/** The Problems panel's rows, opening the panel unless it is open (its status bar item toggles it). */
export async function problemRows(workbench: Workbench): Promise<Locator> {
  const panel = workbench.page.locator('.markers-panel');
  if (await panel.isVisible()) return panel.locator('.monaco-list-row');
  return workbench.openProblems();
}

/** The Problems panel's rows matching `message`, with where each points (from its aria label). */
export async function problemsMatching(rows: Locator, message: RegExp): Promise<Problem[]> {
  const found: Problem[] = [];
  for (let i = 0; i < (await rows.count()); i++) {
    const label = (await rows.nth(i).getAttribute('aria-label')) ?? '';
    if (!message.test(label)) continue;
    // "… at line 34 and character 123. generated by ts"
    const at = /line (\d+)(?: and character| column) (\d+)/i.exec(label);
    found.push({ row: rows.nth(i), label, line: Number(at?.[1] ?? 0), column: Number(at?.[2] ?? 0) });
  }
  return found;
}
