// Generates a TypeScript repository where few files use Plumb, for the server-at-scale benchmark:
// `files` modules in all, of which `taskFiles` are pipelines (5 task classes each, importing
// plumb-pipelines and some of the repository's own modules); the rest are ordinary library code
// (interfaces, classes, functions) importing each other, as an application's source tree would.
import fs from 'node:fs';
import path from 'node:path';

export interface GeneratedRepository {
  root: string;
  libFiles: string[];
  taskFiles: string[];
}

const runtimePackage = path.resolve(import.meta.dirname, '../../runtime');

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function libModule(i: number, imports: number[]): string {
  const lines = imports.map((j) => `import { Entity${j}, make${j}, type Shape${j} } from './m${j}';`);
  lines.push(
    '',
    `/** The shape of record kind ${i}. */`,
    `export interface Shape${i} {`,
    `  id: string;`,
    `  count: number;`,
    `  tags: readonly string[];`,
    ...imports.map((j) => `  link${j}?: Shape${j};`),
    `}`,
    '',
    `export type Key${i} = keyof Shape${i};`,
    '',
    `export class Entity${i} {`,
    `  private readonly cache = new Map<string, Shape${i}>();`,
    `  constructor(readonly name: string) {}`,
    `  get(id: string): Shape${i} | undefined {`,
    `    return this.cache.get(id);`,
    `  }`,
    `  put(shape: Shape${i}): void {`,
    `    this.cache.set(shape.id, { ...shape, tags: [...shape.tags].sort() });`,
    `  }`,
    `  total(): number {`,
    `    let n = 0;`,
    `    for (const s of this.cache.values()) n += s.count;`,
    `    return n;`,
    `  }`,
    ...imports.map(
      (j) => `  with${j}(other: Entity${j}): number {\n    return this.total() + other.total();\n  }`,
    ),
    `}`,
    '',
    `export function make${i}(id: string, count = ${i % 17}): Shape${i} {`,
    `  return { id, count, tags: ['k${i}'] };`,
    `}`,
    '',
    `export function summarise${i}(shapes: Shape${i}[]): Record<string, number> {`,
    `  const out: Record<string, number> = {};`,
    `  for (const s of shapes) for (const t of s.tags) out[t] = (out[t] ?? 0) + s.count;`,
    `  return out;`,
    `}`,
    ...imports.map(
      (j) =>
        `\nexport function join${i}x${j}(a: Shape${i}, b: Shape${j} = make${j}(a.id)): number {\n  return a.count + b.count + new Entity${j}('x').total();\n}`,
    ),
    '',
  );
  return lines.join('\n');
}

function taskModule(p: number, lib: number[], earlier: number[], rnd: () => number): string {
  const lines = [
    `import { ExternalTask, LocalTarget, Task, param } from 'plumb-pipelines';`,
    ...lib.map((j) => `import { make${j}, summarise${j} } from '../lib/m${j}';`),
    ...earlier.map((q) => `import { P${q}T4 } from './pipeline${p === q ? p : q}';`),
    '',
  ];
  for (let t = 0; t < 5; t++) {
    const cls = `P${p}T${t}`;
    if (t === 0) {
      lines.push(
        `/** Raw input of pipeline ${p}. */`,
        `export class ${cls} extends ExternalTask.with({ date: param.date() }) {`,
        `  output() {`,
        `    return new LocalTarget(\`data/raw/p${p}_\${this.date}.tsv\`);`,
        `  }`,
        `}`,
        '',
      );
      continue;
    }
    const deps = [`P${p}T${t - 1}`];
    if (t === 1) for (const q of earlier) deps.push(`P${q}T4`);
    else if (t > 2 && rnd() < 0.5) deps.push(`P${p}T${t - 2}`);
    const j = lib[t % lib.length]!;
    lines.push(
      `/** Step ${t} of pipeline ${p}. */`,
      `export class ${cls} extends Task.with({`,
      `  date: param.date(),`,
      `  limit: param.int({ default: ${10 + t} }),`,
      `}) {`,
      `  requires() {`,
      `    return [${deps.map((d) => `new ${d}({ date: this.date })`).join(', ')}];`,
      `  }`,
      `  output() {`,
      `    return new LocalTarget(\`data/p${p}/step${t}_\${this.date}.tsv\`);`,
      `  }`,
      `  async run() {`,
      `    const totals = summarise${j}([make${j}(String(this.limit))]);`,
      `    await this.output().writeText(JSON.stringify(totals));`,
      `  }`,
      `}`,
      '',
    );
  }
  return lines.join('\n');
}

export function generateRepository(
  root: string,
  files = 3500,
  taskFiles = 20,
  seed = 11,
): GeneratedRepository {
  const rnd = random(seed);
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(path.join(root, 'src', 'lib'), { recursive: true });
  fs.mkdirSync(path.join(root, 'src', 'pipelines'), { recursive: true });
  fs.mkdirSync(path.join(root, 'node_modules'), { recursive: true });
  fs.symlinkSync(runtimePackage, path.join(root, 'node_modules', 'plumb-pipelines'), 'dir');
  fs.writeFileSync(
    path.join(root, 'tsconfig.json'),
    JSON.stringify(
      {
        compilerOptions: {
          strict: true,
          module: 'esnext',
          moduleResolution: 'bundler',
          target: 'es2022',
          noEmit: true,
          types: [],
        },
        include: ['src'],
      },
      null,
      2,
    ),
  );
  fs.writeFileSync(path.join(root, 'plumb.toml'), '[run]\nworkers = 2\n');
  const libCount = files - taskFiles;
  const libFiles: string[] = [];
  for (let i = 0; i < libCount; i++) {
    const imports = new Set<number>();
    for (let k = 0; k < 3 && i > 0; k++) imports.add(Math.floor(rnd() * i));
    const file = path.join(root, 'src', 'lib', `m${i}.ts`);
    fs.writeFileSync(
      file,
      libModule(
        i,
        [...imports].sort((a, b) => a - b),
      ),
    );
    libFiles.push(file);
  }
  const written: string[] = [];
  for (let p = 0; p < taskFiles; p++) {
    const lib = [...new Set([0, 1, 2].map(() => Math.floor(rnd() * libCount)))];
    const earlier = p === 0 ? [] : [...new Set([Math.floor(rnd() * p), Math.floor(rnd() * p)])];
    const file = path.join(root, 'src', 'pipelines', `pipeline${p}.ts`);
    fs.writeFileSync(file, taskModule(p, lib, earlier, rnd));
    written.push(file);
  }
  return { root, libFiles, taskFiles: written };
}

export interface RepositoryEdit {
  file: string;
  /** The whole new text (one line differs from the previous text of the file). */
  text: string;
  /** Where a code lens or a reference is asked for afterwards: a class name in the file (0-based). */
  at: { line: number; character: number };
  pipeline: boolean;
}

/**
 * One-line edits as someone typing would make them, the same sequence for every server: three of
 * four in pipelines (a parameter default, an output path), one in library code (a default value).
 */
export function repositoryEdits(repo: GeneratedRepository, count: number): RepositoryEdit[] {
  const texts = new Map<string, string>();
  const textOf = (f: string) => texts.get(f) ?? fs.readFileSync(f, 'utf8');
  const edits: RepositoryEdit[] = [];
  let seed = 3;
  for (let i = 0; edits.length < count && i < count * 10; i++) {
    seed = (seed * 48271) % 2147483647;
    const pipeline = i % 4 !== 3;
    const list = pipeline ? repo.taskFiles : repo.libFiles;
    const file = list[seed % list.length]!;
    const before = textOf(file);
    const text = pipeline
      ? i % 2 === 0
        ? before.replace(/default: (\d+) \}/, (_m, n: string) => `default: ${Number(n) + 1} }`)
        : before.replace(/data\/p(\d+)(v*)\//, (_m, p: string, v: string) => `data/p${p}${v}v/`)
      : before.replace(/count = (\d+)\)/, (_m, n: string) => `count = ${Number(n) + 1})`);
    if (text === before) continue;
    texts.set(file, text);
    const lines = text.split('\n');
    const line = lines.findIndex((l) => /^export class \w+/.test(l));
    const character = lines[line]!.indexOf('class ') + 'class '.length;
    edits.push({ file, text, at: { line, character }, pipeline });
  }
  return edits;
}
