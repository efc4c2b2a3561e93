// plumb.toml's integration sections ([postgres], [cluster]): the core keeps them raw and each package
// checks its own only when it runs, so the editor checks keys and value types as you type.
import { closestName } from './closestName';
import { DiagnosticCodes, type PipelineDiagnostic } from './diagnostics/pipelineDiagnostic';
import { SECTIONS, type TomlKeySpec } from './plumbTomlSchema';
import type { TomlLayout } from './tomlLayout';

export function checkIntegrationSections(
  uri: string,
  doc: Record<string, unknown>,
  layout: TomlLayout,
): PipelineDiagnostic[] {
  const out: PipelineDiagnostic[] = [];
  for (const section of SECTIONS.filter((s) => s.package)) {
    const table = doc[section.name];
    if (!table || typeof table !== 'object' || Array.isArray(table)) continue;
    const names = section.keys.map((k) => k.name);
    for (const [key, value] of Object.entries(table as Record<string, unknown>)) {
      const entry = layout.entries.find((e) => e.table === section.name && e.key === key);
      const header = layout.tables.find((t) => t.name === section.name)?.range;
      const range = entry?.keyRange ?? header;
      if (!range) continue;
      const spec = section.keys.find((k) => k.name === key);
      if (!spec) {
        const meant = closestName(
          key,
          names.filter((n) => !(n in (table as object))),
        );
        const hint =
          section.name === 'postgres' && key === 'password'
            ? ' A password does not belong in a checked-in file: set PGPASSWORD, ~/.pgpass, or password_env = "VAR".'
            : '';
        out.push({
          uri,
          range,
          severity: 'error',
          code: DiagnosticCodes.configUnknownKey,
          message: `Unknown ${section.package} setting '${key}'${meant ? ` (did you mean ${meant}?)` : ''}.${hint} Known: ${names.join(', ')}.`,
          ...(meant &&
            entry && {
              fixes: [
                { title: `Change to ${meant}`, edits: [{ uri, range: entry.keyRange, newText: meant }] },
              ],
            }),
        });
        continue;
      }
      const wrong = typeProblem(section.name, spec, value);
      if (wrong)
        out.push({
          uri,
          range,
          severity: 'error',
          code: DiagnosticCodes.configWrongType,
          message: `${section.name}.${key} ${wrong}.`,
        });
    }
  }
  return out;
}

function typeProblem(section: string, spec: TomlKeySpec, value: unknown): string | undefined {
  switch (spec.kind) {
    case 'string':
      if (typeof value !== 'string' || value === '') return 'must be a non-empty string';
      if (section === 'cluster' && spec.name === 'redis' && !/^rediss?:\/\//.test(value))
        return 'must be a Redis URL (redis://host:port)';
      return undefined;
    case 'bool':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'int':
      if (!Number.isSafeInteger(value) || (value as number) < 0) return 'must be a whole number ≥ 0';
      if (spec.name === 'port' && ((value as number) < 1 || (value as number) > 65535))
        return 'must be a port number (1–65535)';
      return undefined;
    case 'number':
      return typeof value === 'number' ? undefined : 'must be a number';
    default:
      return undefined;
  }
}
