// The editor's Rerun commands without VS Code (client/src/rerunModel.ts): the command line, the
// blast radius from the real runtime's listing, the roots of a downstream rerun, the typed window.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  blastRadiusOf,
  downstreamRoots,
  rerunArguments,
  rerunWindow,
  type RerunListing,
  type RerunRequest,
} from '../../client/src/rerunModel';
import { runCli, workspace } from '../runtime/support/cli';
import { readGraph } from './webview/fixtureFiles';

const request: RerunRequest = {
  file: 'pipeline.ts',
  mode: 'downstream',
  roots: [{ family: 'Summary', params: { dates: '2026-11-01-2026-11-03' } }],
  from: 'Clean',
  since: '2026-11-02',
  until: '2026-11-03',
};

test('the command line: roots with --param, the mode, --from, the window, then list or events', () => {
  assert.deepEqual(rerunArguments(request, 'list'), [
    'rerun',
    'pipeline.ts',
    'Summary',
    '--param',
    'dates=2026-11-01-2026-11-03',
    '--downstream',
    '--from',
    'Clean',
    '--since',
    '2026-11-02',
    '--until',
    '2026-11-03',
    '--list',
    '--json',
    '--no-color',
  ]);
  assert.deepEqual(rerunArguments({ ...request, mode: 'upstream', from: undefined }, 'events').slice(5), [
    '--upstream',
    '--since',
    '2026-11-02',
    '--until',
    '2026-11-03',
    '--events',
    'jsonl',
    '--no-color',
  ]);
});

test("the blast radius per family from the runtime's own --list --json (the real CLI)", () => {
  const dir = workspace('rerun');
  assert.equal(runCli(dir, ['run', 'pipeline.ts', 'Summary', '--dates', '2026-11-01-2026-11-03']).code, 0);
  const r = runCli(dir, rerunArguments(request, 'list'));
  assert.equal(r.code, 0, r.stderr);
  const radius = blastRadiusOf(JSON.parse(r.stdout) as RerunListing, 'Clean');
  assert.deepEqual(radius.families, {
    Clean: { tasks: 2, outputs: 2 },
    Report: { tasks: 2, outputs: 2 },
    Summary: { tasks: 1, outputs: 1 },
  });
  assert.deepEqual(radius.seeds, ['Clean']);
  assert.match(radius.text, /^Rerun downstream of Clean: 5 tasks, 5 outputs replaced/);
});

test('a downstream rerun is rooted at the families downstream that nothing requires', () => {
  const graph = readGraph('music-graph.json');
  const id = (family: string) => graph.nodes.find((n) => n.family === family)!.id;
  assert.deepEqual(downstreamRoots(graph, id('AggregateArtists')), [id('WeeklyReport')]);
  // Through a cycle (CleanSessions ⇄ DedupeSessions) to the one root.
  assert.deepEqual(downstreamRoots(graph, id('SessionStats')), [id('WeeklyReport')]);
  assert.deepEqual(downstreamRoots(graph, id('WeeklyReport')), [id('WeeklyReport')]);
});

test('the typed window: empty, one day, first..last; mistakes say why', () => {
  assert.deepEqual(rerunWindow(''), {});
  assert.deepEqual(rerunWindow('2026-11-03'), { since: '2026-11-03', until: '2026-11-03' });
  assert.deepEqual(rerunWindow(' 2026-11-01 .. 2026-11-07 '), { since: '2026-11-01', until: '2026-11-07' });
  assert.match((rerunWindow('2026-11-31') as { error: string }).error, /not a calendar day/);
  assert.match((rerunWindow('2026-11-07..2026-11-01') as { error: string }).error, /before/);
  assert.ok('error' in rerunWindow('November'));
});
