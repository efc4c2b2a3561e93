// The program's host: a file refused for its size is given an empty snapshot, so it costs no parse.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { WorkspaceFiles } from '../../../server/src/analysis/workspaceFiles';
import { WorkspaceProgram } from '../../../server/src/analysis/workspaceProgram';
import { copyFixture } from '../fixtureWorkspace';

it('parses nothing of a file over the cap and says why', () => {
  const { root, dispose } = copyFixture('hostile');
  try {
    const big = path.join(root, 'big.ts');
    fs.writeFileSync(big, 'export const x = 1;\n'.repeat(200));
    const program = new WorkspaceProgram({ noLib: true, allowJs: true }, new WorkspaceFiles([root], 1000));
    program.setRoots([big, path.join(root, 'pipeline.ts')]);
    const built = program.program();
    assert.equal(built.getSourceFile(big)!.statements.length, 0);
    assert.equal(program.refusal(big), 'it is too large to analyse (3.9 KB; the limit is 1000 bytes)');
    assert.ok(built.getSourceFile(path.join(root, 'pipeline.ts'))!.statements.length > 0);
  } finally {
    dispose();
  }
});
