// The graph view's toolbar: search, neighbourhood depth, zoom and fit, and the scope it shows.
import { codicon, el, iconButton } from '../shared/dom';
import './toolbar.css';

export interface ToolbarHandlers {
  search(query: string): void;
  /** Enter / next match (shift: previous). */
  nextMatch(backwards: boolean): void;
  changeDepth(depth: number): void;
  showWorkspace(): void;
  zoom(factor: number): void;
  fit(): void;
}

export interface Toolbar {
  element: HTMLElement;
  searchInput: HTMLInputElement;
  setScope(label: string, depth: number | null): void;
  setMatches(current: number, total: number, query: string): void;
}

export function createToolbar(handlers: ToolbarHandlers): Toolbar {
  const element = el('div', 'toolbar graph-toolbar');
  element.setAttribute('role', 'toolbar');

  const searchBox = el('label', 'search-box');
  const searchInput = el('input');
  searchInput.id = 'search';
  searchInput.type = 'search';
  searchInput.placeholder = 'Find task';
  searchInput.setAttribute('aria-label', 'Find a task by name');
  searchInput.spellcheck = false;
  const matchCount = el('span', 'match-count');
  matchCount.id = 'search-count';
  searchBox.append(codicon('search'), searchInput, matchCount);
  searchInput.addEventListener('input', () => handlers.search(searchInput.value));
  searchInput.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') handlers.nextMatch(event.shiftKey);
    if (event.key === 'Escape') {
      searchInput.value = '';
      handlers.search('');
    }
  });

  const depthGroup = el('span', 'depth-group');
  depthGroup.title = 'How many requirement steps up and down to show around the task';
  let depth = 2;
  const depthValue = el('span', 'depth-value');
  depthValue.id = 'depth';
  depthGroup.append(
    el('span', 'depth-label', 'Depth'),
    iconButton(
      'remove',
      'Smaller neighbourhood',
      () => handlers.changeDepth(depth < 0 ? 3 : Math.max(1, depth - 1)),
      'depth-minus',
    ),
    depthValue,
    iconButton(
      'add',
      'Larger neighbourhood',
      () => depth >= 0 && handlers.changeDepth(depth + 1),
      'depth-plus',
    ),
    iconButton('list-tree', 'All upstream and downstream', () => handlers.changeDepth(-1), 'depth-all'),
  );

  const scope = el('span', 'scope');
  scope.id = 'scope';
  const workspace = iconButton(
    'globe',
    'Show the whole workspace',
    () => handlers.showWorkspace(),
    'show-workspace',
  );

  const spacer = el('span', 'spacer');
  element.append(
    searchBox,
    depthGroup,
    workspace,
    scope,
    spacer,
    iconButton('zoom-out', 'Zoom out', () => handlers.zoom(1 / 1.25), 'zoom-out'),
    iconButton('zoom-in', 'Zoom in', () => handlers.zoom(1.25), 'zoom-in'),
    iconButton('screen-full', 'Fit the graph', () => handlers.fit(), 'fit'),
  );

  return {
    element,
    searchInput,
    setScope(label, newDepth) {
      scope.textContent = label;
      // A narrow panel cuts the scope first: the whole label on hover.
      scope.title = label;
      depthGroup.hidden = newDepth === null;
      workspace.hidden = newDepth === null;
      if (newDepth !== null) {
        depth = newDepth;
        depthValue.textContent = newDepth < 0 ? 'all' : String(newDepth);
      }
    },
    setMatches(current, total, query) {
      matchCount.textContent =
        query.trim() === '' ? '' : total === 0 ? 'No match' : `${current + 1} of ${total}`;
      searchBox.classList.toggle('no-match', query.trim() !== '' && total === 0);
    },
  };
}
