// The project files around the first pipeline: package.json, tsconfig, plumb.toml, .gitignore and
// a README that says what to do next.

/** The days of sample orders a new project starts with (the interval plumb.toml runs). */
export const SAMPLE_DAYS = ['2026-11-01', '2026-11-02', '2026-11-03'];
export const SAMPLE_INTERVAL = `${SAMPLE_DAYS[0]}-${SAMPLE_DAYS[SAMPLE_DAYS.length - 1]}`;

export function packageJson(name: string, runtimeVersion: string): string {
  const manifest = {
    name,
    version: '0.1.0',
    private: true,
    scripts: {
      start: 'plumb run pipeline.ts All',
      check: 'tsc --noEmit',
      'generate-data': 'node generate-data.mjs',
    },
    dependencies: { 'plumb-pipelines': `^${runtimeVersion}` },
    devDependencies: { '@types/node': '^20.19.0', typescript: '^6.0.3' },
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

export const tsconfigJson = `${JSON.stringify(
  {
    compilerOptions: {
      target: 'ES2022',
      module: 'nodenext',
      moduleResolution: 'nodenext',
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: ['node'],
    },
    include: ['**/*.ts'],
    exclude: ['node_modules', 'output', '.plumb'],
  },
  null,
  2,
)}\n`;

export const plumbToml = `# Plumb settings. This file's folder is the project root: relative output paths start here.
[run]
workers = 2      # tasks run at once
retries = 1      # a failed task is tried once more

# Parameter defaults by task family: code default < this file < the command line.
[params.All]
dateInterval = "${SAMPLE_INTERVAL}"
`;

export const gitignore = `node_modules/
.plumb/
output/
`;

export function readme(name: string): string {
  return `# ${name}

A data pipeline made with [Plumb](https://github.com/plumb-pipelines/plumb) (the npm package
\`plumb-pipelines\`; [the guide](https://github.com/plumb-pipelines/plumb/blob/main/docs/guide.md)).

- \`pipeline.ts\`: the tasks. \`DailyOrders\` is external input (files in \`input/\`), \`DailyRevenue\`
  sums one day, \`RevenueReport\` sums a date interval, \`All\` runs everything.
- \`plumb.toml\`: settings and parameter defaults.
- \`generate-data.mjs\`: writes more days of input (\`node generate-data.mjs 2026-11-04 7\`).

\`\`\`sh
npx plumb run pipeline.ts All                                  # the interval from plumb.toml
npx plumb run pipeline.ts RevenueReport --date-interval ${SAMPLE_DAYS[0]} --top 5
npx plumb graph pipeline.ts All --format dot                   # the task graph
\`\`\`

A second run says everything is already complete: a task runs only when its output is missing.
Delete \`output/\` to start again. With the Plumb extension for VS Code, every task class gets
Run, Debug and Graph lenses.
`;
}
