// `plumb init [dir]`: writes a new pipeline project that runs at once (package.json, tsconfig,
// plumb.toml, a first pipeline, sample input and its generator), and prints the next steps.
// Never overwrites: when any file it would write exists, it writes nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from './cli-args';
import { generateDataMjs } from './cli-init-templates/generate-data';
import { pipelineTs } from './cli-init-templates/pipeline';
import {
  SAMPLE_DAYS,
  gitignore,
  packageJson,
  plumbToml,
  readme,
  tsconfigJson,
} from './cli-init-templates/project-files';
import { EXIT_CODES } from './events';
import { RUNTIME_VERSION } from './run';

export const INIT_HELP = `usage: plumb init [dir]

Writes a new pipeline project into dir (default: the current directory): package.json depending on
plumb-pipelines, tsconfig.json, plumb.toml, pipeline.ts, generate-data.mjs with ${SAMPLE_DAYS.length} days of
sample input in input/, .gitignore and README.md. Writes nothing if any of these files exists.

exit codes: 0 written, 2 a file exists or dir is not usable
`;

/** The files of a new project, by path relative to its folder. */
export function projectFiles(name: string): Record<string, string> {
  return {
    'package.json': packageJson(name, RUNTIME_VERSION),
    'tsconfig.json': tsconfigJson,
    'plumb.toml': plumbToml,
    'pipeline.ts': pipelineTs,
    'generate-data.mjs': generateDataMjs,
    '.gitignore': gitignore,
    'README.md': readme(name),
  };
}

/** An npm package name from a folder name: lower case, URL-safe characters only. */
export function packageName(dir: string): string {
  const name = path
    .basename(dir)
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, '-')
    .replace(/^[._-]+|-+$/g, '');
  return name || 'my-pipeline';
}

export function initCommand(argv: string[], out: (text: string) => void = (t) => process.stdout.write(t)) {
  const positionals = argv.filter((a) => !a.startsWith('-'));
  const unknown = argv.filter((a) => a.startsWith('-'));
  if (unknown.length > 0)
    throw new UsageError(`init takes no options (got ${unknown.join(' ')})\n\n${INIT_HELP}`);
  if (positionals.length > 1) throw new UsageError(`init takes one folder (got ${positionals.join(' ')})`);
  const given = positionals[0] ?? '.';
  const dir = path.resolve(given);
  const files = projectFiles(packageName(dir));
  const taken = [...Object.keys(files), 'input'].filter((f) => existsSync(path.join(dir, f)));
  if (taken.length > 0)
    throw new UsageError(
      `${dir} already has ${taken.join(', ')}: plumb init never overwrites (choose another folder)`,
    );
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(dir, file), text);
  // The generator the project ships writes its first input, so what it makes is what a user gets.
  const generated = spawnSync(
    process.execPath,
    ['generate-data.mjs', SAMPLE_DAYS[0]!, String(SAMPLE_DAYS.length)],
    { cwd: dir, encoding: 'utf8' },
  );
  if (generated.status !== 0) throw new Error(`generate-data.mjs failed: ${generated.stderr}`);

  const relative = path.relative(process.cwd(), dir);
  const cd = relative.startsWith('..') ? dir : relative;
  out(
    `Created a Plumb project in ${dir}:\n` +
      `  ${Object.keys(files).join(', ')}, input/ (${SAMPLE_DAYS.length} days of orders)\n\n` +
      `Next steps:\n` +
      (cd === '' ? '' : `  cd ${/\s/.test(cd) ? JSON.stringify(cd) : cd}\n`) +
      `  npm install\n` +
      `  npx plumb run pipeline.ts All\n\n` +
      `Then open the folder in VS Code with the Plumb extension: every task gets Run, Debug and Graph.\n`,
  );
  return EXIT_CODES.success;
}
