import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lensCommandFor } from '../../client/src/untrustedLens';
import { ClientCommands } from '../../server/src/protocol';

const args = [{ uri: 'file:///w/pipeline.ts', family: 'Top10Artists' }];

test('untrusted: Run, Run this task only and Debug say why they are disabled and lead to trust', () => {
  for (const [command, title] of [
    [ClientCommands.run, '▶ Run'],
    [ClientCommands.runUnit, 'Run this task only'],
    [ClientCommands.debug, 'Debug'],
  ] as const) {
    const lens = lensCommandFor({ title, command, arguments: args }, false);
    assert.equal(lens.title, `${title} (disabled: workspace not trusted)`);
    assert.equal(lens.command, 'workbench.trust.manage');
    assert.match(lens.tooltip ?? '', /trusted workspace: running executes the workspace’s code/);
    assert.equal(lens.arguments, undefined, 'the trust command gets no task arguments');
  }
});

test('the Graph lens and counts work untrusted; in a trusted workspace nothing changes', () => {
  const graph = { title: 'Graph', command: ClientCommands.graph, arguments: args };
  assert.equal(lensCommandFor(graph, false), graph);
  const run = { title: '▶ Run', command: ClientCommands.run, arguments: args };
  assert.equal(lensCommandFor(run, true), run);
});
