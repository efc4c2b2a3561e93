// Missing external data is reported only where the editor read the files: an output in a folder
// outside every workspace folder (a sibling project's data) is unknown, not missing.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, it } from 'node:test';
import { WorkspaceAnalysis } from '../../../server/src/analysis/workspaceAnalysis';
import { DiagnosticCodes } from '../../../server/src/analysis/diagnostics/pipelineDiagnostic';
import { copyFixture, diagnosticsWithCode } from '../fixtureWorkspace';

let root: string;
let dispose: () => void;
beforeEach(() => ({ root, dispose } = copyFixture('sibling-data')));
afterEach(() => dispose());

function missingWith(folders: string[]): string[] {
  const analysis = new WorkspaceAnalysis(folders.map((f) => path.join(root, f)));
  analysis.scan();
  const result = analysis.analyse();
  return diagnosticsWithCode(result, DiagnosticCodes.missingExternalData).map((d) => d.message);
}

it('does not report data outside the open folders, whether or not it exists', () => {
  assert.deepEqual(missingWith(['project']), []);
  fs.rmSync(path.join(root, 'shared/streams'), { recursive: true });
  assert.deepEqual(missingWith(['project']), []);
});

it('reports it when its folder is open too and no file matches', () => {
  assert.deepEqual(missingWith(['project', 'shared']), []);
  fs.rmSync(path.join(root, 'shared/streams'), { recursive: true });
  const messages = missingWith(['project', 'shared']);
  assert.equal(messages.length, 1, messages.join('\n'));
  assert.match(messages[0]!, /external data Streams expects it to exist, so Plays cannot run/);
});
