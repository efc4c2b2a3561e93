// Where things are in a plumb.toml: table headers and `key = value` lines with their ranges. The TOML
// parser gives positions only for syntax errors, so diagnostics and completion locate keys here.
import type { Range } from '../protocol';

export interface TomlEntry {
  table: string;
  /** Under an array table (`[[schedules]]`): which element, counting from 0. */
  index?: number;
  key: string;
  keyRange: Range;
  valueText: string;
  /** The value as written, without a trailing comment. */
  valueRange: Range;
  line: number;
}

export interface TomlTable {
  name: string;
  /** `[[name]]`: the element's index among the tables of that name. */
  index?: number;
  range: Range;
}

export interface TomlLayout {
  tables: TomlTable[];
  entries: TomlEntry[];
}

const HEADER = /^(\s*)\[\s*([^\]]*?)\s*\]/;
const ARRAY_HEADER = /^(\s*)\[\[\s*([^\]]*?)\s*\]\]/;
const ENTRY = /^(\s*)("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*=\s*(.*)$/;

export function tomlLayout(text: string): TomlLayout {
  const tables: TomlTable[] = [];
  const entries: TomlEntry[] = [];
  let table = '';
  let index: number | undefined;
  const arrayCounts = new Map<string, number>();
  text.split(/\r\n|\n|\r/).forEach((line, i) => {
    const arrayHeader = ARRAY_HEADER.exec(line);
    const header = arrayHeader ?? HEADER.exec(line);
    if (header) {
      table = header[2]!.replace(/["'\s]/g, '');
      index = undefined;
      if (arrayHeader) {
        index = arrayCounts.get(table) ?? 0;
        arrayCounts.set(table, index + 1);
      }
      const start = header[1]!.length;
      tables.push({
        name: table,
        ...(index !== undefined && { index }),
        range: { start: { line: i, character: start }, end: { line: i, character: header[0].length } },
      });
      return;
    }
    const entry = ENTRY.exec(line);
    if (!entry) return;
    const key = entry[2]!.replace(/^["']|["']$/g, '');
    const start = entry[1]!.length;
    const valueText = stripComment(entry[3]!).trim();
    const valueStart = line.length - entry[3]!.length;
    entries.push({
      table,
      ...(index !== undefined && { index }),
      key,
      keyRange: {
        start: { line: i, character: start },
        end: { line: i, character: start + entry[2]!.length },
      },
      valueText,
      valueRange: {
        start: { line: i, character: valueStart },
        end: { line: i, character: valueStart + valueText.length },
      },
      line: i,
    });
  });
  return { tables, entries };
}

/** Drops a trailing `# comment` outside quotes. */
function stripComment(value: string): string {
  let quote: string | undefined;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') return value.slice(0, i);
  }
  return value;
}

/** The table a line belongs to: the nearest header above it. */
export function tableAtLine(layout: TomlLayout, line: number): string {
  return headerAtLine(layout, line)?.name ?? '';
}

/** The header a line belongs to (with its index under `[[name]]`), if any. */
export function headerAtLine(layout: TomlLayout, line: number): TomlTable | undefined {
  let found: TomlTable | undefined;
  for (const t of layout.tables) {
    if (t.range.start.line > line) break;
    found = t;
  }
  return found;
}

/**
 * Where `name = …` is written inside an inline table value (`params = { region = "eu" }`), so a
 * diagnostic about one parameter underlines that parameter; the whole key when it is not found.
 */
export function inlineKeyRange(entry: TomlEntry, name: string): Range {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`(^|[{,\\s])(["']?${escaped}["']?)\\s*=`).exec(entry.valueText);
  if (!m) return entry.keyRange;
  const character = entry.valueRange.start.character + m.index + m[1]!.length;
  return {
    start: { line: entry.line, character },
    end: { line: entry.line, character: character + m[2]!.length },
  };
}
