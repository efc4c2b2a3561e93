// The `plumb run` command line the extension starts, for plain runs and debug sessions alike.

export type RunMode = 'run' | 'debug' | 'unit';

export interface RunRequest {
  /** File system path of the pipeline module. */
  file: string;
  family: string;
  /** Values the user gave (quick input); everything else comes from code defaults and plumb.toml. */
  params: Record<string, string>;
  /** Unit mode: only this task runs; its requirements must already be complete. */
  unit: boolean;
  /** Run on the cluster at this Redis URL (`--cluster`): each task a job for the cluster's workers. */
  cluster?: string;
  /** `plumb backfill` instead of `plumb run`: the window's options (`--dates 2026-11`, `--start … --stop …`). */
  backfill?: string[];
}

/** Where the runtime should write its events: stdout for a plain run, a file under a debugger. */
export type EventsSink = { kind: 'stdout' } | { kind: 'file'; path: string };

/** Arguments after the CLI script: `run|backfill <file> <Task> [window] --events … [--unit] [--param k=v …]`. */
export function runArguments(request: RunRequest, sink: EventsSink): string[] {
  const args = [
    request.backfill ? 'backfill' : 'run',
    request.file,
    request.family,
    ...(request.backfill ?? []),
  ];
  if (sink.kind === 'stdout') args.push('--events', 'jsonl');
  else args.push('--events-file', sink.path);
  if (request.unit) args.push('--unit');
  if (request.cluster) args.push('--cluster', request.cluster);
  // --param name=value keeps the declared name unambiguous whatever the value looks like.
  for (const [name, value] of Object.entries(request.params)) args.push('--param', `${name}=${value}`);
  args.push('--no-color');
  return args;
}
