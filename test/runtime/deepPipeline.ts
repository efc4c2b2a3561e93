// A generated pipeline of 600 task classes in 60 layers (one file a layer), each requiring one task of
// the layer below and one of up to 21 layers further down, plus wrong.ts with a misspelt and a missing
// parameter; and how `tsc --strict` sees it against the runtime's own source. Shared by the type test
// of task.ts and the test of the server's fix for TypeScript's stack-depth error.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const repo = path.resolve(import.meta.dirname, '../..');
export const LAYERS = 60;
const WIDTH = 10;

const name = (layer: number, t: number) => `L${layer}T${t}`;

/**
 * Writes the pipeline into `dir`; returns its files (wrong.ts last). `form`: what requires() returns,
 * an array literal (the usual way) or the same as a tuple (`[...] as const`).
 */
export function writeDeepPipeline(dir: string, form: 'array' | 'tuple'): string[] {
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
      const far = Math.max(0, layer - 2 - ((layer * 7 + t * 3) % 20));
      const array = `[new ${name(layer - 1, t)}({ date: this.date }), new ${name(far, (t + 1) % WIDTH)}({ date: this.date })]`;
      lines.push(
        `export class ${name(layer, t)} extends Task.with({ date: param.date(), limit: param.int({ default: ${t} }) }) {`,
        `  requires() {`,
        `    return ${array}${form === 'tuple' ? ' as const' : ''};`,
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

/** `tsc --strict` over `files` against the runtime's source: each file's diagnostics, in order. */
export function strictDiagnostics(files: string[]): Map<string, ts.Diagnostic[]> {
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
  const byFile = new Map<string, ts.Diagnostic[]>();
  for (const file of files) {
    const source = program.getSourceFile(file)!;
    byFile.set(file, [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]);
  }
  return byFile;
}

/** The diagnostics of every file but wrong.ts, one line each. */
export function pipelineErrors(byFile: Map<string, ts.Diagnostic[]>): string[] {
  return [...byFile]
    .filter(([file]) => path.basename(file) !== 'wrong.ts')
    .flatMap(([file, list]) =>
      list.map(
        (d) => `${path.basename(file)}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
      ),
    );
}
