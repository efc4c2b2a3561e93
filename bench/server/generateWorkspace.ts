// Generates a pipeline workspace for the language-server benchmark: `files` modules of
// `tasksPerFile` task classes each, with cross-file requires (arrays, map over dates, objects,
// conditionals), external inputs, dated output templates, a tsconfig, and a few data files.
import fs from 'node:fs';
import path from 'node:path';

export interface GeneratedWorkspace {
  root: string;
  files: string[];
  taskCount: number;
}

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export function generateWorkspace(root: string, files = 400, tasksPerFile = 5, seed = 7): GeneratedWorkspace {
  const rnd = random(seed);
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(path.join(root, 'pipelines'), { recursive: true });
  fs.mkdirSync(path.join(root, 'data', 'raw'), { recursive: true });
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
        include: ['pipelines'],
      },
      null,
      2,
    ),
  );
  fs.writeFileSync(path.join(root, 'plumb.toml'), '[run]\nworkers = 2\n');
  const name = (f: number, t: number) => `F${f}T${t}`;
  const written: string[] = [];
  for (let f = 0; f < files; f++) {
    const imports = new Map<number, Set<string>>();
    const body: string[] = [];
    for (let t = 0; t < tasksPerFile; t++) {
      const cls = name(f, t);
      if (f < files / 10 && t === 0) {
        // External inputs: every tenth one has data on disk.
        body.push(
          `/** Raw input ${cls}. */`,
          `export class ${cls} extends ExternalTask.with({ date: param.date() }) {`,
          `  output() {`,
          `    return new LocalTarget(\`data/raw/${cls.toLowerCase()}_\${this.date}.tsv\`);`,
          `  }`,
          `}`,
          '',
        );
        if (f % 10 === 0)
          fs.writeFileSync(path.join(root, 'data', 'raw', `${cls.toLowerCase()}_2026-11-01.tsv`), '');
        continue;
      }
      // Requirements: earlier tasks of this file, or tasks of up to three earlier files.
      const deps: string[] = [];
      const count = f === 0 ? Math.min(t, 1) : 1 + Math.floor(rnd() * 3);
      for (let d = 0; d < count; d++) {
        const otherFile = f === 0 || rnd() < 0.3 ? f : Math.floor(rnd() * f);
        const otherTask =
          otherFile === f ? Math.floor(rnd() * Math.max(t, 1)) : Math.floor(rnd() * tasksPerFile);
        if (otherFile === f && otherTask >= t) continue;
        const dep = name(otherFile, otherTask);
        if (otherFile !== f) {
          if (!imports.has(otherFile)) imports.set(otherFile, new Set());
          imports.get(otherFile)!.add(dep);
        }
        if (!deps.includes(dep)) deps.push(dep);
      }
      const shape = Math.floor(rnd() * 4);
      const news = deps.map((d) => `new ${d}({ date: this.date })`);
      const requires =
        deps.length === 0
          ? '[]'
          : shape === 0
            ? `[${news.join(', ')}]`
            : shape === 1
              ? `{ ${deps.map((d, i) => `in${i}: ${news[i]}`).join(', ')} }`
              : shape === 2
                ? `this.useCache ? [${news.join(', ')}] : [${news[0]}]`
                : `[this.date].map((date) => [${deps.map((d) => `new ${d}({ date })`).join(', ')}])`;
      body.push(
        `/** Step ${t} of pipeline ${f}. */`,
        `export class ${cls} extends Task.with({`,
        `  date: param.date(),`,
        `  useCache: param.bool({ default: false, significant: false }),`,
        `  limit: param.int({ default: ${10 + t} }),`,
        `}) {`,
        `  static retries = ${t % 3};`,
        `  requires() {`,
        `    return ${requires};`,
        `  }`,
        `  output() {`,
        `    return new LocalTarget(\`data/p${f}/${cls.toLowerCase()}_\${this.date}.tsv\`);`,
        `  }`,
        `  async run() {`,
        `    await this.output().writeText(String(this.limit));`,
        `  }`,
        `}`,
        '',
      );
    }
    const header = [
      `import { ExternalTask, LocalTarget, Task, param } from 'plumb-pipelines';`,
      ...[...imports].map(
        ([other, names]) => `import { ${[...names].sort().join(', ')} } from './pipeline${other}';`,
      ),
      '',
    ];
    const file = path.join(root, 'pipelines', `pipeline${f}.ts`);
    fs.writeFileSync(file, header.concat(body).join('\n'));
    written.push(file);
  }
  return { root, files: written, taskCount: files * tasksPerFile };
}
