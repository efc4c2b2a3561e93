// Where things are in a plumb.toml: table headers and `key = value` lines with their ranges. The TOML
// parser gives positions only for syntax errors, so diagnostics and completion locate keys here.
import type { Range } from '../protocol';

export interface TomlEntry {
  table: string;
  key: string;
  keyRange: Range;
  valueText: string;
  line: number;
}

export interface TomlTable {
  name: string;
  range: Range;
}

export interface TomlLayout {
  tables: TomlTable[];
  entries: TomlEntry[];
}

const HEADER = /^(\s*)\[\s*([^\]]*?)\s*\]/;
const ENTRY = /^(\s*)("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*=\s*(.*)$/;

export function tomlLayout(text: string): TomlLayout {
  const tables: TomlTable[] = [];
  const entries: TomlEntry[] = [];
  let table = '';
  text.split(/\r\n|\n|\r/).forEach((line, i) => {
    const header = HEADER.exec(line);
    if (header && !line.trimStart().startsWith('[[')) {
      table = header[2]!.replace(/["'\s]/g, '');
      const start = header[1]!.length;
      tables.push({
        name: table,
        range: { start: { line: i, character: start }, end: { line: i, character: header[0].length } },
      });
      return;
    }
    const entry = ENTRY.exec(line);
    if (!entry) return;
    const key = entry[2]!.replace(/^["']|["']$/g, '');
    const start = entry[1]!.length;
    entries.push({
      table,
      key,
      keyRange: {
        start: { line: i, character: start },
        end: { line: i, character: start + entry[2]!.length },
      },
      valueText: stripComment(entry[3]!).trim(),
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
  let name = '';
  for (const t of layout.tables) {
    if (t.range.start.line > line) break;
    name = t.name;
  }
  return name;
}
