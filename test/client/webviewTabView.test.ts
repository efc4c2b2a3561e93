// Which restored tabs a new panel replaces: the Graph panel only Graph tabs (never a hidden Run tab,
// which it would close), the Run view only Run tabs, under the view types VS Code gives tab inputs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tabShowsView } from '../../client/src/webviewTabView';

const tabViewTypes = [
  'mainThreadWebview-plumb.graph',
  'mainThreadWebview-plumb.run',
  'plumb.graph',
  'mainThreadWebview-markdown.preview',
  'mainThreadWebview-otherplumb.graph',
];

test('the Graph panel replaces Graph tabs only, the Run view Run tabs only', () => {
  const shown = (viewType: string) => tabViewTypes.filter((t) => tabShowsView(t, viewType));
  assert.deepEqual(shown('plumb.graph'), ['mainThreadWebview-plumb.graph', 'plumb.graph']);
  assert.deepEqual(shown('plumb.run'), ['mainThreadWebview-plumb.run']);
});
