// Reads `plumb` command lines: the command, its positional arguments, known flags, and the
// free-form task parameters (`--<param> value`, `--param name=value`).

export interface ParsedArgs {
  command: string | undefined;
  positionals: string[];
  /** Known flags by name (without dashes); a flag given without value is 'true'. */
  flags: Map<string, string>;
  /** Task parameters as written: name (declared or kebab-case) → string value. */
  params: Map<string, string>;
  help: boolean;
}

/** Flags `plumb` itself understands, and whether each takes a value. */
const KNOWN_FLAGS: Record<string, boolean> = {
  workers: true,
  events: true,
  'events-file': true,
  unit: false,
  lock: true,
  'no-color': false,
  format: true,
  json: false,
  quiet: false,
  durable: false,
  help: false,
};

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function parseArgs(argv: string[]): ParsedArgs {
  const out: ParsedArgs = {
    command: undefined,
    positionals: [],
    flags: new Map(),
    params: new Map(),
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') {
      out.help = true;
      continue;
    }
    if (arg === '--') {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      if (out.command === undefined) out.command = arg;
      else out.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
    const next = argv[i + 1];
    const takeValue = (): string | undefined => {
      if (inline !== undefined) return inline;
      if (next !== undefined && !next.startsWith('--')) {
        i++;
        return next;
      }
      return undefined;
    };
    if (name === 'param') {
      const value = takeValue();
      const at = value?.indexOf('=') ?? -1;
      if (value === undefined || at <= 0)
        throw new UsageError(`--param expects name=value, got '${value ?? ''}'`);
      out.params.set(value.slice(0, at), value.slice(at + 1));
    } else if (name in KNOWN_FLAGS) {
      if (KNOWN_FLAGS[name]) {
        const value = takeValue();
        if (value === undefined) throw new UsageError(`--${name} expects a value`);
        out.flags.set(name, value);
      } else out.flags.set(name, inline ?? 'true');
    } else {
      // A task parameter. Without a value it is a boolean switch (`--use-hadoop`).
      out.params.set(name, takeValue() ?? 'true');
    }
  }
  return out;
}
