// Validates a plumb.toml against the pipeline: the runtime's own config rules (every error its
// parser finds), then what only the analysis knows — task families and parameters that do not
// exist, parameter values the runtime would reject for that parameter's type, schedules' tasks and
// parameters (scheduleTomlCheck.ts), and the integration sections (integrationTomlCheck.ts).
import path from 'node:path';
import { param, type ParamDef } from 'plumb-pipelines';
import { parse } from 'smol-toml';
import type { Range, TaskParamInfo } from '../protocol';
import { closestName } from './closestName';
import { DiagnosticCodes, type PipelineDiagnostic } from './diagnostics/pipelineDiagnostic';
import { checkIntegrationSections } from './integrationTomlCheck';
import type { TaskFamily } from './model';
import { runtimeConfigErrors, type RuntimeConfigError } from './runtimeConfigErrors';
import { checkSchedules } from './scheduleTomlCheck';
import { tomlLayout, type TomlLayout } from './tomlLayout';

export function familiesOfConfig(tomlFile: string, families: TaskFamily[]): TaskFamily[] {
  const root = path.dirname(tomlFile);
  return families.filter((f) => f.projectRoot === root && !f.cls.abstract);
}

export function checkPlumbToml(
  tomlFile: string,
  uri: string,
  text: string,
  families: TaskFamily[],
): PipelineDiagnostic[] {
  const layout = tomlLayout(text);
  const lineRange = (line: number): Range => ({
    start: { line, character: 0 },
    end: { line, character: 200 },
  });
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (error) {
    const line = ((error as { line?: number }).line ?? 1) - 1;
    const message = (error as Error).message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
    return [{ uri, range: lineRange(line), severity: 'error', code: DiagnosticCodes.configSyntax, message }];
  }
  const out: PipelineDiagnostic[] = [];
  for (const error of runtimeConfigErrors(text, tomlFile)) out.push(runtimeDiagnostic(uri, layout, error));
  const projectFamilies = familiesOfConfig(tomlFile, families);
  out.push(
    ...checkSchedules(uri, path.dirname(tomlFile), doc, layout, projectFamilies, valueProblem),
    ...checkIntegrationSections(uri, doc, layout),
  );
  const byName = new Map(projectFamilies.map((f) => [f.family, f]));
  for (const section of ['params', 'tasks'] as const) {
    const tables = doc[section];
    if (!tables || typeof tables !== 'object') continue;
    for (const [familyName, values] of Object.entries(tables as Record<string, unknown>)) {
      const family = byName.get(familyName);
      const header = headerRange(layout, `${section}.${familyName}`);
      if (!family) {
        const known = [...byName.keys()].sort();
        const meant = closestName(familyName, known);
        const ownHeader = layout.tables.some((t) => t.name === `${section}.${familyName}`);
        out.push({
          uri,
          range: header,
          severity: 'warning',
          code: DiagnosticCodes.configUnknownFamily,
          message: `No task family named ${familyName} in this project${known.length ? ` (known: ${known.slice(0, 8).join(', ')}${known.length > 8 ? ', …' : ''})` : ''}.`,
          ...(meant &&
            ownHeader && {
              fixes: [
                {
                  title: `Change to ${meant}`,
                  edits: [{ uri, range: header, newText: `[${section}.${meant}]` }],
                },
              ],
            }),
        });
        continue;
      }
      if (section === 'params' && values && typeof values === 'object') {
        out.push(...checkParams(uri, layout, family, values as Record<string, unknown>));
      }
    }
  }
  return out;
}

/** One of the runtime's own errors, on its key (or table), with its "did you mean" as a quick fix. */
function runtimeDiagnostic(uri: string, layout: TomlLayout, error: RuntimeConfigError): PipelineDiagnostic {
  const line = error.line ?? 0;
  const key = error.key
    ?.split('.')
    .pop()
    ?.replace(/\[\d+\]$/, '');
  const entry = layout.entries.find((e) => e.line === line && e.key === key);
  const header = layout.tables.find((t) => t.range.start.line === line);
  const range = entry?.keyRange ??
    header?.range ?? { start: { line, character: 0 }, end: { line, character: 200 } };
  const unknown = /^unknown (setting|section)/.test(error.message);
  const code = unknown
    ? DiagnosticCodes.configUnknownKey
    : / is required$/.test(error.message)
      ? DiagnosticCodes.configMissingKey
      : DiagnosticCodes.configWrongType;
  const message = error.key ? `${error.key}: ${error.message}` : error.message;
  const diagnostic: PipelineDiagnostic = { uri, range, severity: 'error', code, message };
  // The runtime's own guess; else ours, among the keys its message lists (the [alerts] parser has none).
  const known = /\(known: ([^)]*)\)/.exec(error.message)?.[1]?.split(', ');
  const meant =
    /\(did you mean ([^ ?]+)\?\)/.exec(error.message)?.[1] ??
    (unknown && key && known ? closestName(key, known) : undefined);
  if (meant) {
    const edit =
      unknown && entry
        ? { range: entry.keyRange, newText: meant }
        : unknown && header
          ? { range: header.range, newText: header.index === undefined ? `[${meant}]` : `[[${meant}]]` }
          : entry && !unknown
            ? { range: entry.valueRange, newText: JSON.stringify(meant) }
            : undefined;
    if (edit) diagnostic.fixes = [{ title: `Change to ${meant}`, edits: [{ uri, ...edit }] }];
  }
  return diagnostic;
}

function headerRange(layout: TomlLayout, name: string): Range {
  const table = layout.tables.find((t) => t.name === name);
  if (table) return table.range;
  // Dotted keys (`[params]` + `Family.x = …`) have no header of their own: use the first entry.
  const entry = layout.entries.find((e) => `${e.table}.${e.key}`.startsWith(name));
  return entry?.keyRange ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}

function checkParams(
  uri: string,
  layout: TomlLayout,
  family: TaskFamily,
  values: Record<string, unknown>,
): PipelineDiagnostic[] {
  const out: PipelineDiagnostic[] = [];
  const table = `params.${family.family}`;
  for (const [name, value] of Object.entries(values)) {
    const entry = layout.entries.find((e) => e.table === table && e.key === name);
    const range = entry?.keyRange ?? headerRange(layout, table);
    const declared = family.params.find((p) => p.name === name);
    if (!declared) {
      if (family.paramsOpen) continue;
      const meant = closestName(
        name,
        family.params.map((p) => p.name).filter((n) => !(n in values)),
      );
      out.push({
        uri,
        range,
        severity: 'error',
        code: DiagnosticCodes.configUnknownParam,
        message: `${family.family} has no parameter '${name}'${family.params.length ? ` (it has ${family.params.map((p) => p.name).join(', ')})` : ''}.`,
        ...(meant &&
          entry && {
            fixes: [
              { title: `Change to '${meant}'`, edits: [{ uri, range: entry.keyRange, newText: meant }] },
            ],
          }),
      });
      continue;
    }
    const problem = valueProblem(declared, value);
    if (problem) {
      out.push({
        uri,
        range,
        severity: 'error',
        code: DiagnosticCodes.configWrongType,
        message: `${family.family}.${name} (${declared.type} parameter): ${problem}`,
      });
    }
  }
  return out;
}

/** Asks the runtime's own parameter definition whether it accepts the value, as the CLI would. */
export function valueProblem(p: TaskParamInfo, value: unknown): string | undefined {
  const def = definitionOf(p);
  if (!def) return undefined;
  try {
    def.fromConfig(value);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

function definitionOf(p: TaskParamInfo): ParamDef<unknown> | undefined {
  switch (p.type) {
    case 'string':
    case 'int':
    case 'float':
    case 'bool':
    case 'date':
    case 'dateInterval':
    case 'datetime':
    case 'hour':
      return (param[p.type] as () => ParamDef<unknown>)();
    case 'enum':
      return p.choices?.length
        ? (param.enum(p.choices as [string, ...string[]]) as ParamDef<unknown>)
        : undefined;
    default:
      // list items and json shapes are not known statically: leave them to the runtime.
      return undefined;
  }
}
