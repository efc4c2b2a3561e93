// Only files that can hold tasks are analysed: those importing the runtime (by name, or a file of
// its package by a relative path), directly or through other modules, and open documents. The rest
// of a repository is read for its imports only.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { it } from 'node:test';
import { WorkspaceAnalysis } from '../../../server/src/analysis/workspaceAnalysis';

const runtimeIndex = path.resolve(import.meta.dirname, '../../../runtime/src/index.ts');

function workspace(files: Record<string, string>): { root: string; dispose: () => void } {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-taskfiles-')));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return { root, dispose: () => fs.rmSync(root, { recursive: true, force: true }) };
}

it('analyses only the files that reach the runtime through their imports', () => {
  const { root, dispose } = workspace({
    'lib/plain.ts': 'export class Bar {}\nexport class Foo extends Bar {}\n',
    'lib/usesPlain.ts': "import { Foo } from './plain';\nexport class Baz extends Foo {}\n",
    'base.ts': "export { Task as Base, LocalTarget } from 'plumb-pipelines';\n",
    'tasks/a.ts':
      "import { Base } from '../base';\nimport { Foo } from '../lib/plain';\nexport class A extends Base {}\n",
    'tasks/b.ts': "import { A } from './a';\nexport class B extends A {}\n",
  });
  try {
    // This repository's examples and tests import the runtime by a relative path, not by its name.
    fs.writeFileSync(
      path.join(root, 'relative.ts'),
      `import { Task } from ${JSON.stringify(path.relative(root, runtimeIndex).replace(/\.ts$/, ''))};\nexport class R extends Task {}\n`,
    );
    const analysis = new WorkspaceAnalysis([root]);
    analysis.scan();
    const analysed = analysis
      .analysedFiles()
      .map((f) => path.relative(root, f))
      .sort();
    assert.deepEqual(analysed, ['relative.ts', 'tasks/a.ts', 'tasks/b.ts']);
    const result = analysis.analyse();
    assert.deepEqual(result.families.map((f) => f.family).sort(), ['A', 'B', 'R']);
    assert.equal(result.families.find((f) => f.family === 'R')!.typed, true, 'the runtime file, resolved');

    // A file that starts importing the runtime is analysed from then on.
    const plain = path.join(root, 'lib', 'plain.ts');
    fs.writeFileSync(plain, "import { Task } from 'plumb-pipelines';\nexport class Foo extends Task {}\n");
    analysis.filesChanged([{ file: plain, kind: 'changed' }]);
    assert.deepEqual(
      analysis
        .analyse()
        .families.map((f) => f.family)
        .sort(),
      ['A', 'B', 'Baz', 'Foo', 'R'],
      'plain.ts and its importer usesPlain.ts now hold tasks',
    );
  } finally {
    dispose();
  }
});

it("leaves the runtime's own files in the workspace to name resolution: they hold its bases", () => {
  const { root, dispose } = workspace({
    'vendor/runtime/package.json': '{ "name": "plumb-pipelines" }',
    'vendor/runtime/index.ts': "export { Task } from './task';\n",
    'vendor/runtime/base.ts': 'export class Base {}\n',
    'vendor/runtime/task.ts': "import { Base } from './base';\nexport class Task extends Base {}\n",
    'pipeline.ts': "import { Task } from './vendor/runtime/index';\nexport class Mine extends Task {}\n",
  });
  try {
    const analysis = new WorkspaceAnalysis([root]);
    analysis.scan();
    assert.deepEqual(
      analysis.analysedFiles().map((f) => path.relative(root, f)),
      ['pipeline.ts'],
    );
    assert.deepEqual(
      analysis.analyse().families.map((f) => f.family),
      ['Mine'],
    );
  } finally {
    dispose();
  }
});

it('analyses a file over the size cap only when its beginning imports the runtime', () => {
  const padding = '// padding\n'.repeat(300_000);
  const { root, dispose } = workspace({
    'generated.ts': `import { Task } from 'plumb-pipelines';\nexport class G extends Task {}\n${padding}`,
    'data.ts': `export const rows = [];\n${padding}`,
  });
  try {
    const analysis = new WorkspaceAnalysis([root]);
    analysis.scan();
    assert.deepEqual(
      analysis.analysedFiles().map((f) => path.basename(f)),
      ['generated.ts'],
    );
  } finally {
    dispose();
  }
});
