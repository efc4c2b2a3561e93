// The views an extension adds to the Explorer side bar (e.g. "Plumb Schedules"), as a person opens
// and reads them: the view's header, expanded if it was collapsed, and its tree rows.
import type { Locator, Page } from 'playwright-core';

/** The explorer pane titled `title`, expanded; its rows are `.monaco-list-row`s. */
export async function expandExplorerView(page: Page, title: string): Promise<Locator> {
  const header = page.locator('.part.sidebar .pane-header', { hasText: title }).first();
  await header.waitFor({ timeout: 60_000 });
  if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
  await page
    .locator('.part.sidebar .pane-header[aria-expanded="true"]', { hasText: title })
    .first()
    .waitFor({ timeout: 10_000 });
  // `has` looks inside each pane: the header's own selector, not the one from the page.
  return page
    .locator('.part.sidebar .pane', { has: page.locator('.pane-header', { hasText: title }) })
    .first();
}

/** A tree row of `pane` whose label matches `label`, with its label and description texts. */
export async function treeRow(
  pane: Locator,
  label: RegExp,
  timeoutMs = 60_000,
): Promise<{ row: Locator; label: string; description: string }> {
  const row = pane
    .locator('.monaco-list-row')
    .filter({ has: pane.page().locator('.label-name', { hasText: label }) })
    .first();
  await row.waitFor({ timeout: timeoutMs });
  return {
    row,
    label: ((await row.locator('.label-name').first().textContent()) ?? '').trim(),
    description: ((await row.locator('.label-description').first().textContent()) ?? '').trim(),
  };
}

/** Every row of `pane` as shown: label and description, top to bottom. */
export async function treeRows(pane: Locator): Promise<{ label: string; description: string }[]> {
  const rows = pane.locator('.monaco-list-row');
  const out: { label: string; description: string }[] = [];
  for (let i = 0; i < (await rows.count()); i++) {
    const row = rows.nth(i);
    out.push({
      label: ((await row.locator('.label-name').first().textContent()) ?? '').trim(),
      description: ((await row.locator('.label-description').first().textContent()) ?? '').trim(),
    });
  }
  return out;
}
