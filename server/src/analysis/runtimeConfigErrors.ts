// Every error the runtime's own plumb.toml parser finds, not only the first: the parser stops at
// its first error, so the line it names is blanked out (a whole table when the error is about the
// table) and the text parsed again. Messages, cron (croner) and time zone checks stay the runtime's.
import { ConfigError, parseConfig } from 'plumb-pipelines';
import { parse } from 'smol-toml';

export interface RuntimeConfigError {
  /** 0-based line, when the runtime names one. */
  line?: number;
  /** Dotted key as the runtime names it (`run.workers`, `schedules[0].cron`). */
  key?: string;
  /** The message without the file and key prefix. */
  message: string;
}

const MAX_ERRORS = 50;

/**
 * Keys a table cannot do without: a bad value is replaced by a good one rather than blanked, or
 * the next parse would only say the key is missing.
 */
const STAND_INS: Record<string, (n: number) => string> = {
  name: (n) => `"stand-in-${n}"`,
  cron: () => '"0 0 * * *"',
  pipeline: () => '"stand-in.ts"',
  task: () => '"StandIn"',
};

export function runtimeConfigErrors(text: string, file: string): RuntimeConfigError[] {
  const lines = text.split(/\r\n|\n|\r/);
  const errors: RuntimeConfigError[] = [];
  const seen = new Set<string>();
  while (errors.length < MAX_ERRORS) {
    const source = lines.join('\n');
    // A syntax error is reported apart (plumbTomlCheck); one made by blanking lines is ours: stop.
    try {
      parse(source);
    } catch {
      break;
    }
    let error: ConfigError;
    try {
      parseConfig(source, file);
      break;
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      error = e;
    }
    const line = error.line === undefined ? undefined : error.line - 1;
    const prefix = `${file}${error.line ? `:${error.line}` : ''}: ${error.key ? `${error.key}: ` : ''}`;
    const message = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
    const found: RuntimeConfigError = { message };
    if (line !== undefined) found.line = line;
    if (error.key !== undefined) found.key = error.key;
    // The same error again: blanking did not remove it, stop rather than loop.
    const id = `${found.line}\0${found.key}\0${found.message}`;
    if (seen.has(id)) break;
    seen.add(id);
    errors.push(found);
    if (line === undefined || line >= lines.length) break;
    const name = found.key?.split('.').pop();
    const standIn = name === undefined ? undefined : STAND_INS[name];
    if (/^\s*\[/.test(lines[line]!)) blankTable(lines, line);
    else if (standIn && /^\s*["']?[\w-]+["']?\s*=/.test(lines[line]!))
      lines[line] = `${lines[line]!.replace(/=.*$/, '= ')}${standIn(errors.length)}`;
    else lines[line] = '';
  }
  return errors;
}

/** Blanks a table's header and its keys, up to the next header. */
function blankTable(lines: string[], header: number): void {
  lines[header] = '';
  for (let i = header + 1; i < lines.length && !/^\s*\[/.test(lines[i]!); i++) lines[i] = '';
}
