// What the suite reads from a workspace's pipeline sources to know what to expect on screen.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const taskClass = /class\s+(\w+)\s+extends\s+(?:Task|ExternalTask|WrapperTask)\b/g;

/** Every task family declared in the workspace's .ts files (outside node_modules). */
export function taskFamilies(workspace: string): string[] {
  return sourceFiles(workspace).flatMap((f) =>
    [...readFileSync(path.join(workspace, f), 'utf8').matchAll(taskClass)].map((m) => m[1]!),
  );
}

/** The 1-based number of the first line of `file` matching `pattern`. */
export function lineOf(workspace: string, file: string, pattern: RegExp): number {
  const index = readFileSync(path.join(workspace, file), 'utf8')
    .split('\n')
    .findIndex((l) => pattern.test(l));
  if (index < 0) throw new Error(`no line of ${file} matches ${pattern}`);
  return index + 1;
}

/** The line of the first statement inside `family`'s run() method: where a breakpoint stops. */
export function firstLineOfRun(workspace: string, file: string, family: string): number {
  const lines = readFileSync(path.join(workspace, file), 'utf8').split('\n');
  const classLine = lines.findIndex((l) => new RegExp(`class\\s+${family}\\b`).test(l));
  const runLine = lines.findIndex((l, i) => i > classLine && /\brun\s*\(\s*\)/.test(l));
  if (classLine < 0 || runLine < 0) throw new Error(`no run() in class ${family} of ${file}`);
  return runLine + 2;
}

/** The workspace-relative path of the .ts file declaring class `family`. */
export function fileDeclaring(workspace: string, family: string): string {
  const declaration = new RegExp(`class\\s+${family}\\b`);
  const found = sourceFiles(workspace).find((f) =>
    declaration.test(readFileSync(path.join(workspace, f), 'utf8')),
  );
  if (!found) throw new Error(`no file in ${workspace} declares class ${family}`);
  return found;
}

function sourceFiles(workspace: string): string[] {
  return readdirSync(workspace, { recursive: true, encoding: 'utf8' }).filter(
    (f) => f.endsWith('.ts') && !f.split(path.sep).includes('node_modules'),
  );
}
