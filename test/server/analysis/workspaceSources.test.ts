// The analysis' sources: a file refused for its size is never parsed, and says why; its beginning
// still tells which modules it imports.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { WorkspaceFiles } from '../../../server/src/analysis/workspaceFiles';
import { WorkspaceSources } from '../../../server/src/analysis/workspaceSources';
import { copyFixture } from '../fixtureWorkspace';

it('parses nothing of a file over the cap and says why, but reads its imports', () => {
  const { root, dispose } = copyFixture('hostile');
  try {
    const big = path.join(root, 'big.ts');
    fs.writeFileSync(big, "import { Task } from 'plumb-pipelines';\n" + 'export const x = 1;\n'.repeat(200));
    const sources = new WorkspaceSources(new WorkspaceFiles([root], 1000));
    assert.deepEqual(sources.parse(big), {
      refused: 'it is too large to analyse (3.9 KB; the limit is 1000 bytes)',
    });
    const head = sources.importText(big)!;
    assert.equal(head.whole, false);
    assert.ok(head.text.startsWith("import { Task } from 'plumb-pipelines';"));
    const parsed = sources.parse(path.join(root, 'pipeline.ts'));
    assert.ok(parsed && 'sourceFile' in parsed && parsed.sourceFile.statements.length > 0);
  } finally {
    dispose();
  }
});
