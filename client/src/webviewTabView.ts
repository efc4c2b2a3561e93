// Which of our views a webview tab shows, from the view type VS Code gives the tab's input: apart
// from hiddenRestoredTabs.ts (which needs VS Code) so that a test can check it in plain Node.

/**
 * Whether a tab whose input names `tabViewType` shows a view of `viewType`. VS Code prefixes the
 * type of an extension's webview ("mainThreadWebview-plumb.graph"); the bare type is accepted too.
 */
export function tabShowsView(tabViewType: string, viewType: string): boolean {
  return tabViewType === viewType || tabViewType.endsWith(`-${viewType}`);
}
