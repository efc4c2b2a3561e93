// plumb.toml's schedules and concurrency keys against the analysed pipeline — what only the analysis
// knows: the pipeline file and its task, the task's parameters (in params, each, date_param,
// time_param and key templates), and required parameters a schedule never gives.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Range, TaskParamInfo } from '../protocol';
import { closestName } from './closestName';
import { DiagnosticCodes, type PipelineDiagnostic } from './diagnostics/pipelineDiagnostic';
import type { TaskFamily } from './model';
import { inlineKeyRange, type TomlEntry, type TomlLayout } from './tomlLayout';

/** What the checks need of a parameter value: null when the runtime would accept it. */
export type ValueProblem = (p: TaskParamInfo, value: unknown) => string | undefined;

interface ScheduleAt {
  table: Record<string, unknown>;
  /** Its entries in the layout and its header's range. */
  entries: TomlEntry[];
  header: Range;
}

export function checkSchedules(
  uri: string,
  projectRoot: string,
  doc: Record<string, unknown>,
  layout: TomlLayout,
  families: TaskFamily[],
  valueProblem: ValueProblem,
): PipelineDiagnostic[] {
  const out: PipelineDiagnostic[] = [];
  for (const s of schedulesOf(doc.schedules, layout))
    out.push(...checkSchedule(uri, projectRoot, s, families, valueProblem, doc.params));
  out.push(...checkFamilyKeys(uri, doc, layout, families));
  return out;
}

function schedulesOf(value: unknown, layout: TomlLayout): ScheduleAt[] {
  const zero: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const isTable = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);
  if (Array.isArray(value)) {
    return value.flatMap((table: unknown, index) =>
      isTable(table)
        ? [
            {
              table,
              entries: layout.entries.filter((e) => e.table === 'schedules' && e.index === index),
              header: layout.tables.find((t) => t.name === 'schedules' && t.index === index)?.range ?? zero,
            },
          ]
        : [],
    );
  }
  if (!isTable(value)) return [];
  return Object.entries(value)
    .filter((e): e is [string, Record<string, unknown>] => isTable(e[1]))
    .map(([name, table]) => ({
      table,
      entries: layout.entries.filter((e) => e.table === `schedules.${name}`),
      header: layout.tables.find((t) => t.name === `schedules.${name}`)?.range ?? zero,
    }));
}

function checkSchedule(
  uri: string,
  projectRoot: string,
  s: ScheduleAt,
  families: TaskFamily[],
  valueProblem: ValueProblem,
  configParams: unknown,
): PipelineDiagnostic[] {
  const out: PipelineDiagnostic[] = [];
  const entry = (key: string) => s.entries.find((e) => e.key === key);
  const at = (key: string) => entry(key)?.keyRange ?? s.header;
  const valueAt = (key: string) => entry(key)?.valueRange ?? s.header;
  const problem = (
    range: Range,
    code: PipelineDiagnostic['code'],
    message: string,
    fix?: { title: string; range: Range; newText: string },
    severity: PipelineDiagnostic['severity'] = 'error',
  ) =>
    out.push({
      uri,
      range,
      severity,
      code,
      message,
      ...(fix && { fixes: [{ title: fix.title, edits: [{ uri, range: fix.range, newText: fix.newText }] }] }),
    });

  const { task, pipeline } = s.table;
  if (typeof task !== 'string') return out;
  let candidates = families;
  if (typeof pipeline === 'string') {
    const file = path.resolve(projectRoot, pipeline);
    const inFile = families.filter((f) => path.resolve(f.file.fileName) === file);
    if (inFile.length > 0) candidates = inFile;
    else if (!existsSync(file)) {
      const files = [...new Set(families.map((f) => path.relative(projectRoot, f.file.fileName)))].sort();
      const meant = closestName(pipeline, files);
      problem(
        valueAt('pipeline'),
        DiagnosticCodes.configWrongType,
        `No such file: ${pipeline} (relative to the project root${files.length ? `; task files: ${files.slice(0, 6).join(', ')}` : ''}).`,
        meant
          ? { title: `Change to ${meant}`, range: valueAt('pipeline'), newText: JSON.stringify(meant) }
          : undefined,
      );
    }
  }
  const family = candidates.find((f) => f.family === task);
  if (!family) {
    const elsewhere = families.find((f) => f.family === task);
    if (elsewhere && typeof pipeline === 'string') {
      const own = path.relative(projectRoot, elsewhere.file.fileName);
      problem(
        valueAt('task'),
        DiagnosticCodes.configUnknownFamily,
        `${task} is declared in ${own}, not in ${pipeline}.`,
        { title: `Change pipeline to ${own}`, range: valueAt('pipeline'), newText: JSON.stringify(own) },
      );
    } else {
      const known = [...new Set(candidates.map((f) => f.family))].sort();
      const meant = closestName(task, known);
      problem(
        valueAt('task'),
        DiagnosticCodes.configUnknownFamily,
        `No task family named ${task}${typeof pipeline === 'string' ? ` in ${pipeline}` : ''}${known.length ? ` (known: ${known.slice(0, 8).join(', ')}${known.length > 8 ? ', …' : ''})` : ''}.`,
        meant
          ? { title: `Change to ${meant}`, range: valueAt('task'), newText: JSON.stringify(meant) }
          : undefined,
      );
    }
    return out;
  }
  if (family.kind === 'external' || !family.cls.exported) {
    problem(
      valueAt('task'),
      DiagnosticCodes.configWrongType,
      family.kind === 'external'
        ? `${task} is an ExternalTask: there is nothing to run.`
        : `${task} is not exported: the runtime runs only exported task classes.`,
    );
  }

  const given = new Set<string>();
  const paramNames = family.params.map((p) => p.name);
  const checkNames = (key: 'params' | 'each') => {
    const values = s.table[key];
    const e = entry(key);
    if (!values || typeof values !== 'object' || Array.isArray(values) || !e) return;
    for (const [name, value] of Object.entries(values as Record<string, unknown>)) {
      given.add(name);
      const range = inlineKeyRange(e, name);
      const declared = family.params.find((p) => p.name === name);
      if (!declared) {
        if (family.paramsOpen) continue;
        const meant = closestName(
          name,
          paramNames.filter((n) => !(n in (values as object))),
        );
        problem(
          range,
          DiagnosticCodes.configUnknownParam,
          `${task} has no parameter '${name}'${paramNames.length ? ` (it has ${paramNames.join(', ')})` : ''}.`,
          meant && range !== e.keyRange
            ? { title: `Change to '${meant}'`, range, newText: meant }
            : undefined,
        );
        continue;
      }
      for (const v of key === 'each' && Array.isArray(value) ? value : [value]) {
        const wrong = valueProblem(declared, v);
        if (wrong) {
          problem(
            range,
            DiagnosticCodes.configWrongType,
            `${task}.${name} (${declared.type} parameter): ${wrong}`,
          );
          break;
        }
      }
    }
  };
  checkNames('params');
  checkNames('each');

  for (const [key, types] of [
    ['date_param', ['date']],
    ['time_param', ['datetime']],
  ] as const) {
    const name = s.table[key];
    if (typeof name !== 'string') continue;
    given.add(name);
    const range = valueAt(key);
    const declared = family.params.find((p) => p.name === name);
    const fitting = family.params
      .filter((p) => (types as readonly string[]).includes(p.type))
      .map((p) => p.name);
    if (!declared) {
      if (family.paramsOpen) continue;
      const meant = closestName(name, fitting);
      problem(
        range,
        DiagnosticCodes.configUnknownParam,
        `${task} has no parameter '${name}'${fitting.length ? ` (its ${types.join('/')} parameters: ${fitting.join(', ')})` : ''}.`,
        meant ? { title: `Change to '${meant}'`, range, newText: JSON.stringify(meant) } : undefined,
      );
    } else if (!(types as readonly string[]).includes(declared.type)) {
      problem(
        range,
        DiagnosticCodes.configWrongType,
        `${key} must name a ${types.join(' or ')} parameter; ${task}.${name} is ${declared.type}.`,
      );
    }
  }

  if (!family.paramsOpen) {
    // The runtime's precedence: code default < [params.<Family>] < the schedule's params.
    const configured = familyTable(configParams, task);
    const missing = family.params.filter(
      (p) => p.required && !given.has(p.name) && !Object.hasOwn(configured, p.name),
    );
    if (missing.length > 0) {
      problem(
        at('task'),
        DiagnosticCodes.missingParam,
        `${task} requires ${missing.map((p) => `'${p.name}'`).join(', ')}, which this schedule does not give (set it in params, each${missing.some((p) => p.type === 'date') ? ', date_param' : ''} or [params.${task}]).`,
      );
    }
  }
  const template = s.table.concurrency_key;
  const keyEntry = entry('concurrency_key');
  if (typeof template === 'string' && keyEntry) out.push(...keyPlaceholders(uri, keyEntry, template, family));
  return out;
}

/** `[params.<Family>]` of plumb.toml: the values it gives that family's parameters ({} when none). */
function familyTable(params: unknown, family: string): Record<string, unknown> {
  const table =
    params && typeof params === 'object' ? (params as Record<string, unknown>)[family] : undefined;
  return table && typeof table === 'object' && !Array.isArray(table)
    ? (table as Record<string, unknown>)
    : {};
}

/** `[tasks.<Family>] concurrency_key`: its placeholders must be the family's parameters. */
function checkFamilyKeys(
  uri: string,
  doc: Record<string, unknown>,
  layout: TomlLayout,
  families: TaskFamily[],
): PipelineDiagnostic[] {
  const tasks = doc.tasks;
  if (!tasks || typeof tasks !== 'object') return [];
  const out: PipelineDiagnostic[] = [];
  for (const [name, settings] of Object.entries(tasks as Record<string, unknown>)) {
    const template = (settings as Record<string, unknown> | undefined)?.concurrency_key;
    const family = families.find((f) => f.family === name);
    const e = layout.entries.find((x) => x.table === `tasks.${name}` && x.key === 'concurrency_key');
    if (typeof template === 'string' && family && e) out.push(...keyPlaceholders(uri, e, template, family));
  }
  return out;
}

function keyPlaceholders(
  uri: string,
  e: TomlEntry,
  template: string,
  family: TaskFamily,
): PipelineDiagnostic[] {
  if (family.paramsOpen) return [];
  const significant = family.params.filter((p) => p.significant !== false).map((p) => p.name);
  const out: PipelineDiagnostic[] = [];
  for (const m of template.matchAll(/\{([^{}]+)\}/g)) {
    const name = m[1]!.trim();
    if (significant.includes(name)) continue;
    const meant = closestName(name, significant);
    out.push({
      uri,
      range: e.valueRange,
      severity: 'error',
      code: DiagnosticCodes.configUnknownParam,
      message: `{${name}} in the concurrency key is not a significant parameter of ${family.family}${significant.length ? ` (it has ${significant.join(', ')})` : ' (it has none)'}.`,
      ...(meant && {
        fixes: [
          {
            title: `Change to {${meant}}`,
            edits: [
              { uri, range: e.valueRange, newText: JSON.stringify(template.replace(m[0], `{${meant}}`)) },
            ],
          },
        ],
      }),
    });
  }
  return out;
}
