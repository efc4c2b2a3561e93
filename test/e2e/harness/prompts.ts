// What VS Code asks a person while a command runs, as Playwright steps: an input box, a quick pick,
// a modal dialog, and the context menu a webview opens on right-click. Selectors are the
// workbench's own (quick input widget, monaco dialog, context view).
import type { Locator, Page } from 'playwright-core';

/** The quick input (input box or quick pick) once it shows a title matching `title`. */
export async function quickInput(page: Page, title: RegExp, timeoutMs = 30_000): Promise<Locator> {
  const widget = page.locator('.quick-input-widget');
  await widget.locator('.quick-input-title', { hasText: title }).waitFor({ timeout: timeoutMs });
  return widget;
}

/** Answers the input box titled `title` with `value` (replacing what it offers) and Enter. */
export async function answerInputBox(page: Page, title: RegExp, value: string): Promise<void> {
  const widget = await quickInput(page, title);
  const input = widget.locator('input');
  await input.fill(value);
  // The box validates as it is typed: Enter is taken only once no message says the value is wrong.
  await widget.locator('.quick-input-message.error, .monaco-inputbox.error').waitFor({ state: 'detached' });
  await input.press('Enter');
  await widget.locator('.quick-input-title', { hasText: title }).waitFor({ state: 'hidden' });
}

/** The rows of the open quick pick as shown: each row's label and description. */
export async function quickPickRows(page: Page): Promise<{ label: string; description: string }[]> {
  const rows = page.locator('.quick-input-widget .monaco-list-row');
  const out: { label: string; description: string }[] = [];
  for (let i = 0; i < (await rows.count()); i++) {
    const row = rows.nth(i);
    const label = (await row.locator('.label-name').first().textContent()) ?? '';
    const description = (await row.locator('.label-description').first().textContent()) ?? '';
    out.push({ label: label.trim(), description: description.trim() });
  }
  return out;
}

/** The modal dialog (e.g. a confirmation) once it shows, with its message and detail. */
export async function modalDialog(page: Page, timeoutMs = 60_000): Promise<Locator> {
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ timeout: timeoutMs });
  return dialog;
}

/** Clicks the dialog's button labelled `label` and waits for the dialog to close. */
export async function clickDialogButton(dialog: Locator, label: string): Promise<void> {
  await dialog.locator('.dialog-buttons .monaco-button', { hasText: label }).first().click();
  await dialog.waitFor({ state: 'detached' });
}

/**
 * Right-clicks `target` inside a webview and picks `item` from the context menu VS Code opens
 * for it (a webview's menu is drawn by the workbench, outside the webview's frames).
 */
export async function pickFromWebviewContextMenu(page: Page, target: Locator, item: string): Promise<void> {
  await target.click({ button: 'right' });
  const menu = page.locator('.context-view .monaco-menu');
  await menu.waitFor({ timeout: 10_000 });
  const entry = menu.locator('.action-item', { hasText: item }).first();
  await entry.click();
  // A click that lands while the menu is still settling highlights the entry but is not taken
  // (seen on a loaded CI machine and locally: the menu stayed open, the command never ran). The
  // highlighted entry has the keyboard focus, so Enter takes it as a person would.
  try {
    await menu.waitFor({ state: 'detached', timeout: 2_000 });
  } catch {
    await entry.hover();
    await page.keyboard.press('Enter');
    await menu.waitFor({ state: 'detached', timeout: 10_000 });
  }
}
