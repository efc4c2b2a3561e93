// plumb.toml in the editor: completion of section names, task families, parameter names, settings
// and setting values (schedule tasks, pipelines, time zones, choices), from the current analysis.
// (Validation runs with the other diagnostics.)
import path from 'node:path';
import { CompletionItemKind, type CompletionItem, type Position } from 'vscode-languageserver/node';
import type { AnalysisResult } from './analysis/analysisResult';
import type { TaskFamily } from './analysis/model';
import { familiesOfConfig } from './analysis/plumbTomlCheck';
import { SCHEDULE_KEYS, sectionOfTable, SECTIONS, type TomlKeySpec } from './analysis/plumbTomlSchema';
import { headerAtLine, tomlLayout } from './analysis/tomlLayout';
import { uriToFile } from './analysis/workspaceAnalysis';

export function isPlumbToml(uri: string): boolean {
  return path.basename(uriToFile(uri) ?? '') === 'plumb.toml';
}

let zones: string[] | undefined;

export function tomlCompletions(
  result: AnalysisResult,
  uri: string,
  text: string,
  position: Position,
): CompletionItem[] {
  const file = uriToFile(uri);
  if (!file) return [];
  const families = familiesOfConfig(file, result.families);
  const line = text.split(/\r\n|\n|\r/)[position.line] ?? '';
  const before = line.slice(0, position.character);
  const familyItems = (list: TaskFamily[]) =>
    list.map((f) => ({
      label: f.family,
      kind: CompletionItemKind.Class,
      detail: `${f.kind} · ${path.basename(f.file.fileName)}`,
    }));
  if (/^\s*\[\[\s*[\w-]*$/.test(before)) {
    return SECTIONS.filter((s) => s.array).map((s) => ({
      label: s.name,
      kind: CompletionItemKind.Module,
      detail: s.detail,
    }));
  }
  const header = /^\s*\[\s*(?:(params|tasks)\.)?([\w-]*)$/.exec(before);
  if (header) {
    if (!header[1]) {
      return SECTIONS.filter((s) => !s.array).map((s) => ({
        label: s.name,
        kind: CompletionItemKind.Module,
        detail: s.package ? `${s.detail} (${s.package})` : s.detail,
      }));
    }
    return familyItems(families);
  }
  const layout = tomlLayout(text);
  const at = headerAtLine(layout, position.line);
  const table = at?.name ?? '';
  const entries = layout.entries.filter((e) => e.table === table && e.index === at?.index);
  const task = entries.find((e) => e.key === 'task')?.valueText.replace(/^["']|["']$/g, '');
  const family = families.find((f) => f.family === (table.startsWith('params.') ? table.slice(7) : task));

  // A parameter inside `params = { … }` / `each = { … }` of a schedule.
  const inline = /^\s*(params|each)\s*=\s*\{(?:[^}]*,)?\s*([\w-]*)$/.exec(before);
  if (inline && table.startsWith('schedules')) {
    const written = new Set([...before.matchAll(/([\w-]+)\s*=/g)].map((m) => m[1]));
    // Parameters the schedule already gives another way.
    for (const e of entries)
      if (e.key === 'date_param' || e.key === 'time_param')
        written.add(e.valueText.replace(/^["']|["']$/g, ''));
    return paramItems(family, written);
  }
  // A value: `key = "…` (or `key = ` before any quote).
  const value = /^\s*([\w-]+)\s*=\s*(["']?)([\w/.+-]*)$/.exec(before);
  if (value) return valueCompletions(value[1]!, table, families, family, file, value[2] === '');
  if (!/^\s*[\w-]*$/.test(before)) return [];
  const present = new Set(entries.map((e) => e.key));
  const keys = (specs: readonly TomlKeySpec[], detail: string): CompletionItem[] =>
    specs
      .filter((k) => !present.has(k.name))
      .map((k) => ({
        label: k.name,
        kind: CompletionItemKind.Property,
        detail: `${detail}: ${k.detail}`,
        insertText: `${k.name} = `,
      }));
  if (table.startsWith('params.')) return paramItems(family, present);
  if (table.startsWith('schedules.'))
    return keys(
      SCHEDULE_KEYS.filter((k) => k.name !== 'name'),
      'schedule',
    );
  const section = sectionOfTable(table);
  if (!section || (section.perFamily && !table.includes('.'))) return [];
  return keys(section.keys, section.array ? 'schedule' : `[${section.name}]`);
}

function paramItems(family: TaskFamily | undefined, present: Set<string | undefined>): CompletionItem[] {
  return (family?.params ?? [])
    .filter((p) => !present.has(p.name))
    .map((p) => ({
      label: p.name,
      kind: CompletionItemKind.Property,
      detail: `${p.type}${p.required ? ', required' : `, default ${p.defaultText}`}`,
      insertText: `${p.name} = `,
    }));
}

function valueCompletions(
  key: string,
  table: string,
  families: TaskFamily[],
  family: TaskFamily | undefined,
  tomlFile: string,
  unquoted: boolean,
): CompletionItem[] {
  const quote = (items: CompletionItem[]) =>
    unquoted ? items.map((i) => ({ ...i, insertText: JSON.stringify(i.label) })) : items;
  const strings = (values: readonly string[], kind: CompletionItemKind, detail?: (v: string) => string) =>
    quote(values.map((v) => ({ label: v, kind, ...(detail && { detail: detail(v) }) })));
  const inSchedule = table === 'schedules' || table.startsWith('schedules.');
  const spec =
    sectionOfTable(table)?.keys.find((k) => k.name === key) ??
    (inSchedule ? SCHEDULE_KEYS.find((k) => k.name === key) : undefined);
  if (spec?.choices) return strings(spec.choices, CompletionItemKind.EnumMember);
  if (key === 'sla' && unquoted && (inSchedule || table === 'run' || table.startsWith('tasks.')))
    return [
      { label: '{ deadline = "06:00", timezone = "UTC" }', detail: 'done by a time of day' },
      { label: '{ within = "2h" }', detail: 'done within a duration after the (scheduled) start' },
    ].map((i) => ({ ...i, kind: CompletionItemKind.Snippet }));
  if (!inSchedule) return [];
  const root = path.dirname(tomlFile);
  switch (key) {
    case 'task':
      return strings(
        families.filter((f) => f.kind !== 'external' && f.cls.exported).map((f) => f.family),
        CompletionItemKind.Class,
        (name) => path.relative(root, families.find((f) => f.family === name)!.file.fileName),
      );
    case 'pipeline': {
      const files = new Set(
        families.map((f) => path.relative(root, f.file.fileName).split(path.sep).join('/')),
      );
      return strings([...files].sort(), CompletionItemKind.File);
    }
    case 'timezone':
      zones ??= [...Intl.supportedValuesOf('timeZone'), 'UTC'];
      return strings(zones, CompletionItemKind.Value);
    case 'date_param':
    case 'time_param': {
      const type = key === 'date_param' ? 'date' : 'datetime';
      return strings(
        (family?.params ?? []).filter((p) => p.type === type).map((p) => p.name),
        CompletionItemKind.Property,
        () => `${type} parameter of ${family!.family}`,
      );
    }
    default:
      return [];
  }
}
