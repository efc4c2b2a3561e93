// The buttons that move a DAG canvas's view: zoom, fit, and "show all" while tasks are out of view.
// Views put them in their own toolbar: over the canvas they would cover nodes.
import { codicon, el, iconButton } from '../shared/dom';

export interface ViewTarget {
  zoomBy(factor: number): void;
  fit(): void;
  showAll(): void;
}

/** "Show all N": visible only while some tasks are not wholly in view. */
export function showAllButton(target: ViewTarget): {
  element: HTMLButtonElement;
  update(inView: number, total: number): void;
} {
  const element = el('button', 'show-all');
  element.type = 'button';
  element.id = 'show-all';
  element.hidden = true;
  element.addEventListener('click', () => target.showAll());
  let shown = '';
  return {
    element,
    update(inView, total) {
      element.hidden = total === 0 || inView === total;
      const key = `${inView}/${total}`;
      if (element.hidden || key === shown) return;
      shown = key;
      // "Show all" is dropped where the toolbar is narrow (the count and the icon stay).
      const label = el('span', 'show-all-label');
      label.append(el('span', 'show-all-word', 'Show all '), String(total));
      element.replaceChildren(codicon('zoom-out'), label);
      element.setAttribute('aria-label', `Show all ${total}`);
      element.title = `${inView} of ${total} tasks in view: zoom out to show them all (Fit returns to a readable zoom)`;
    },
  };
}

/**
 * What a view that cannot show every node says it shows: after Show all (too many to draw even that
 * small), or after a fit that kept the nodes readable rather than show them all (the rest are a drag,
 * or Show all, away).
 */
export function shownNote(inView: number, total: number, showingAll: boolean): string {
  return showingAll
    ? `Showing ${inView} of ${total}: the rest do not fit even this small. ` +
        'Zoom in, search, or open a task’s neighbourhood to see them.'
    : `Showing ${inView} of ${total} whole: drag for the rest, or Show all.`;
}

/** Zoom out, zoom in and fit, after `first` (e.g. the show-all button). */
export function zoomControls(target: ViewTarget, first: HTMLElement): HTMLElement {
  const controls = el('div', 'dag-controls');
  controls.append(
    first,
    iconButton('zoom-out', 'Zoom out', () => target.zoomBy(1 / 1.25), 'zoom-out'),
    iconButton('zoom-in', 'Zoom in', () => target.zoomBy(1.25), 'zoom-in'),
    iconButton('screen-full', 'Fit the graph', () => target.fit(), 'fit'),
  );
  return controls;
}
