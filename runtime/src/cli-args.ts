// Reads `plumb` command lines: the command, its positional arguments, known flags, and the
// free-form task parameters (`--<param> value`, `--param name=value`), each parameter kept with
// the positional it follows (`plumb run p.ts A --x 1 B --y 2`: x belongs to A, y to B). Nothing
// typed is dropped: a repeated flag or parameter is an error here, a flag or positional the
// command does not use is an error in checkCommandLine.
import { didYouMean } from './did-you-mean';

/** A parameter written without a value (`--use-hadoop`): true for a bool parameter, else an error. */
export type ParamText = string | undefined;

export interface ParsedArgs {
  command: string | undefined;
  positionals: string[];
  /** Known flags by name (without dashes); a switch given without value is 'true'. */
  flags: Map<string, string>;
  /**
   * Task parameters as written (name, declared or kebab-case → text), grouped by how many
   * positionals (command excluded) came before them: paramsAfter[2] follows the second one.
   */
  paramsAfter: Map<string, ParamText>[];
  /** How many positionals came before each flag: a flag another command owns may be a task parameter. */
  flagsAfter: Map<string, number>;
  help: boolean;
}

/** Flags `plumb` itself understands, and whether each takes a value. */
export const KNOWN_FLAGS: Record<string, boolean> = {
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
  'concurrency-key': true,
  'test-mode': false,
  plan: false,
  'max-tasks': true,
  sla: true,
  'scheduled-at': true,
  'scheduled-by': true,
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
    paramsAfter: [],
    flagsAfter: new Map(),
    help: false,
  };
  const setParam = (name: string, value: ParamText, written: string) => {
    const group = (out.paramsAfter[out.positionals.length] ??= new Map());
    if (group.has(name)) throw new UsageError(`${written} is given twice`);
    group.set(name, value);
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
    if (!arg.startsWith('-') || arg === '-') {
      if (out.command === undefined) out.command = arg;
      else out.positionals.push(arg);
      continue;
    }
    if (!arg.startsWith('--')) throw new UsageError(`unknown option ${arg} (options are written --name)`);
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
    if (name === '') throw new UsageError(`'${arg}' names no option`);
    if (name === 'param') {
      const value = takeValue();
      const at = value?.indexOf('=') ?? -1;
      if (value === undefined || at <= 0)
        throw new UsageError(`--param expects name=value, got '${value ?? ''}'`);
      setParam(value.slice(0, at), value.slice(at + 1), `parameter ${value.slice(0, at)}`);
    } else if (name in KNOWN_FLAGS) {
      if (out.flags.has(name)) throw new UsageError(`--${name} is given twice`);
      if (KNOWN_FLAGS[name]) {
        const value = takeValue();
        if (value === undefined) throw new UsageError(`--${name}: missing value`);
        out.flags.set(name, value);
      } else {
        if (inline !== undefined) throw new UsageError(`--${name} takes no value (got '${inline}')`);
        out.flags.set(name, 'true');
      }
      out.flagsAfter.set(name, out.positionals.length);
    } else {
      // A task parameter. Without a value it is a bool switch (`--use-hadoop`); the task decides.
      setParam(name, takeValue(), `--${name}`);
    }
  }
  return out;
}

/** What a command accepts: its flags and how many positionals (command excluded). */
export interface CommandShape {
  usage: string;
  flags: readonly string[];
  /** Positionals allowed: [min, max] (max Infinity for task lists). */
  positionals: [number, number];
  /** Whether task parameters may be given (commands that take task names). */
  takesParams?: boolean;
}

/**
 * Refuses what `shape` would not use: a flag of another command, a missing or extra positional,
 * a parameter where no task takes it. Every message names what was typed.
 */
export function checkCommandLine(args: ParsedArgs, shape: CommandShape): void {
  for (const [flag, value] of [...args.flags]) {
    if (!shape.flags.includes(flag) && shape.takesParams && KNOWN_FLAGS[flag]) {
      // Another command's option (`--format` of graph) is a task parameter here (a task's `format`).
      args.flags.delete(flag);
      const at = args.flagsAfter.get(flag) ?? 0;
      const group = (args.paramsAfter[at] ??= new Map());
      if (group.has(flag)) throw new UsageError(`--${flag} is given twice`);
      group.set(flag, value);
      continue;
    }
    if (!shape.flags.includes(flag)) {
      throw new UsageError(
        `--${flag} is not an option of plumb ${args.command}${didYouMean(flag, shape.flags, (f) => `--${f}`)}\n${shape.usage}`,
      );
    }
  }
  const [min, max] = shape.positionals;
  if (args.positionals.length < min) throw new UsageError(shape.usage);
  if (args.positionals.length > max) {
    throw new UsageError(
      `unexpected argument '${args.positionals[max]}' (plumb ${args.command} takes ${max === 0 ? 'none' : `at most ${max}`})\n${shape.usage}`,
    );
  }
  if (shape.takesParams) return;
  for (const group of args.paramsAfter) {
    for (const name of group?.keys() ?? []) {
      throw new UsageError(
        `--${name} is not an option of plumb ${args.command}${didYouMean(name, shape.flags, (f) => `--${f}`)}\n${shape.usage}`,
      );
    }
  }
}

/**
 * The task names after positional `from` with the parameters that follow each; parameters written
 * before the first task name belong to it.
 */
export function taskRequests(
  args: ParsedArgs,
  from: number,
): { name: string; params: Map<string, ParamText> }[] {
  const out = args.positionals.slice(from).map((name) => ({ name, params: new Map<string, ParamText>() }));
  args.paramsAfter.forEach((group, k) => {
    const target = out[Math.max(0, k - from - 1)];
    if (!target) return;
    for (const [name, value] of group) {
      if (target.params.has(name)) throw new UsageError(`--${name} is given twice for ${target.name}`);
      target.params.set(name, value);
    }
  });
  return out;
}
