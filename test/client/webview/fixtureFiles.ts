// Reads the webview tests' fixtures: a run's event stream as the runtime writes it (JSON lines) and
// a pipeline graph as the language server sends it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEventLine, type RunEvent } from '../../../runtime/src/events';
import type { PipelineGraph } from '../../../server/src/protocol';

const dir = path.join(__dirname, 'fixtures');

export function readRunEvents(name: string): RunEvent[] {
  return readFileSync(path.join(dir, name), 'utf8')
    .split('\n')
    .map(parseEventLine)
    .filter((e): e is RunEvent => e !== undefined);
}

export function readGraph(name: string): PipelineGraph {
  return JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as PipelineGraph;
}
