// A large pipeline type-checks clean: 600 task classes in 60 layers, each requiring one task of the
// layer below and one of a layer further down (in an array), checked with `tsc --strict` against the
// runtime's types. A wrong parameter must still be a compile error.
// Found (issue 15): the array literal in requires() gets its element union reduced by subtype
// (removeSubtypes), which compares the two task classes structurally; their first compared member is
// their own requires(), whose return types hold the next layer's classes in arrays: about two stack
// frames per layer, so chains over ~50 layers pass TypeScript's limit of 100 (TS2321 on the array
// literal, 34 here). The same pipeline over a ten-line stand-in for the runtime (a Task with one
// field, a with() returning an intersection) gets the same errors: the runtime's types add nothing
// to the depth. Not fixed yet: a class's own members are compared before anything Task declares.
// Returning `[...] as const` (a tuple: no union to reduce) checks clean, input() typed the same.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import ts from 'typescript';

const repo = path.resolve(import.meta.dirname, '../..');
const LAYERS = 60;
const WIDTH = 10;

const name = (layer: number, t: number) => `L${layer}T${t}`;

/** One file per layer; layer 0 is external data. */
function writePipeline(dir: string): string[] {
  const files: string[] = [];
  for (let layer = 0; layer < LAYERS; layer++) {
    const lines = [`import { ExternalTask, LocalTarget, Task, param } from 'plumb-pipelines';`];
    for (let below = 0; below < layer; below++)
      lines.push(
        `import { ${Array.from({ length: WIDTH }, (_, t) => name(below, t)).join(', ')} } from './layer${below}';`,
      );
    for (let t = 0; t < WIDTH; t++) {
      if (layer === 0) {
        lines.push(
          `export class ${name(layer, t)} extends ExternalTask.with({ date: param.date() }) {`,
          `  output() {`,
          `    return new LocalTarget(\`data/raw${t}_\${this.date}.tsv\`);`,
          `  }`,
          `}`,
        );
        continue;
      }
      // A requirement from the layer below and one from up to 21 layers further down.
      const far = Math.max(0, layer - 2 - ((layer * 7 + t * 3) % 20));
      lines.push(
        `export class ${name(layer, t)} extends Task.with({ date: param.date(), limit: param.int({ default: ${t} }) }) {`,
        `  requires() {`,
        `    return [new ${name(layer - 1, t)}({ date: this.date }), new ${name(far, (t + 1) % WIDTH)}({ date: this.date })];`,
        `  }`,
        `  output() {`,
        `    return new LocalTarget(\`data/l${layer}t${t}_\${this.date}.tsv\`);`,
        `  }`,
        `  async run() {`,
        `    const [a, b] = this.input();`,
        `    await this.output().writeText(String(a.path) + String(b.path) + this.limit);`,
        `  }`,
        `}`,
      );
    }
    const file = path.join(dir, `layer${layer}.ts`);
    fs.writeFileSync(file, lines.join('\n') + '\n');
    files.push(file);
  }
  const wrong = path.join(dir, 'wrong.ts');
  fs.writeFileSync(
    wrong,
    [
      `import { Task, param } from 'plumb-pipelines';`,
      `import { ${name(LAYERS - 1, 0)} } from './layer${LAYERS - 1}';`,
      `export class Misspelt extends Task.with({ date: param.date() }) {`,
      `  requires() {`,
      `    return new ${name(LAYERS - 1, 0)}({ dat: this.date });`,
      `  }`,
      `}`,
      `export class Missing extends Task.with({ date: param.date() }) {`,
      `  requires() {`,
      `    return new ${name(LAYERS - 1, 0)}({ limit: 3 });`,
      `  }`,
      `}`,
      '',
    ].join('\n'),
  );
  files.push(wrong);
  return files;
}

describe('a 600-task pipeline of 60 layers under tsc --strict', { timeout: 600_000 }, () => {
  let dir: string;
  let byFile: Map<string, ts.Diagnostic[]>;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-depth-'));
    const files = writePipeline(dir);
    const program = ts.createProgram({
      rootNames: files,
      options: {
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        moduleResolution: ts.ModuleResolutionKind.Bundler,
        types: ['node'],
        typeRoots: [path.join(repo, 'node_modules', '@types')],
        paths: { 'plumb-pipelines': [path.join(repo, 'runtime', 'src', 'index.ts')] },
      },
    });
    byFile = new Map();
    for (const file of files) {
      const source = program.getSourceFile(file)!;
      byFile.set(path.basename(file), [
        ...program.getSemanticDiagnostics(source),
        ...program.getSyntacticDiagnostics(source),
      ]);
    }
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it(
    'reports nothing in the pipeline files (no TS2321 "Excessive stack depth comparing types")',
    {
      todo: 'TS2321 from subtype reduction through requires() (see the file comment): not fixed yet',
    },
    () => {
      const errors = [...byFile]
        .filter(([file]) => file !== 'wrong.ts')
        .flatMap(([file, list]) =>
          list.map((d) => `${file}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`),
        );
      assert.deepEqual(errors.slice(0, 5), [], `${errors.length} errors`);
    },
  );

  it('still makes a misspelt or missing parameter a compile error', () => {
    const codes = byFile
      .get('wrong.ts')!
      .map((d) => d.code)
      .sort();
    assert.ok(codes.includes(2561) || codes.includes(2353), `misspelt: ${codes.join(',')}`);
    assert.ok(codes.includes(2345) || codes.includes(2741), `missing: ${codes.join(',')}`);
  });
});
