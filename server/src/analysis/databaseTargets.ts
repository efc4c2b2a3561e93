// PostgreSQL outputs (plumb-postgres) in the analysis: which table a task writes, read from syntax
// alone — `table = 'plays'` or `get table() { return … }` on the class or a base, `new
// PostgresTarget(id, { table })` in output(), and plumb-postgres' own table-load and query bases —
// and the diagnostic for two families that write one table.
import ts from 'typescript';
import type { Range } from '../protocol';
import { isCompiledTwin } from './diagnostics/identityDiagnostics';
import { DiagnosticCodes, type PipelineDiagnostic } from './diagnostics/pipelineDiagnostic';
import { containsPosition, type LineIndex } from './lineIndex';
import type {
  ClassSummary,
  FileSummary,
  OutputDecl,
  TableDecl,
  TaskFamily,
  TaskOutput,
  TemplateSegment,
} from './model';
import type { Resolved } from './nameResolution';
import { templateSegments, templateText } from './templates';
import { templatesOverlap } from './templateOverlap';
import { forEachDescendant, hasModifier, memberName } from './syntax';
import { tomlLayout } from './tomlLayout';

const PACKAGE = 'plumb-postgres';
/** plumb-postgres' task bases: both write the table named by the class's `table` (a query may have none). */
const TABLE_BASES = new Set(['PostgresTableLoad', 'PostgresQuery']);
const TARGET_CLASS = 'PostgresTarget';
/** `this.table`: the table is the class's own `table` member (or a base's). */
const THIS_TABLE: TemplateSegment[] = [{ placeholder: 'table', param: 'table' }];
/** TaskOutputInfo.table of a table whose name the analysis cannot read. */
const COMPUTED = '(computed)';

interface Context {
  sourceFile: ts.SourceFile;
  lines: LineIndex;
}

/** `table = '…'` or `get table() { return … }`: what the class says its table is. */
export function tableMember(cls: ts.ClassLikeDeclaration, ctx: Context): TableDecl | undefined {
  for (const member of cls.members) {
    if (memberName(member) !== 'table' || hasModifier(member, ts.SyntaxKind.StaticKeyword)) continue;
    let value: ts.Expression | undefined;
    if (ts.isPropertyDeclaration(member)) {
      // `abstract table: string` (plumb-postgres' own declaration) names no table.
      if (!member.initializer) continue;
      value = member.initializer;
    } else if (ts.isGetAccessorDeclaration(member) && member.body) {
      // One return: its value; several (a table chosen at run time): a table, name unknown.
      const returns: ts.ReturnStatement[] = [];
      forEachDescendant(member.body, (node) => {
        if (ts.isReturnStatement(node)) returns.push(node);
        return !ts.isFunctionLike(node);
      });
      if (returns.length === 1) value = returns[0]!.expression;
    } else continue;
    return {
      segments: value && templateSegments(value, ctx.sourceFile),
      range: ctx.lines.range(member.getStart(ctx.sourceFile), member.getEnd()),
    };
  }
  return undefined;
}

export function isDatabaseTarget(kind: string): boolean {
  return kind === TARGET_CLASS;
}

/** `new PostgresTarget(taskId, { table: … })` in output(): the table argument (none: a marker). */
export function targetTable(target: ts.NewExpression, ctx: Context): TableDecl | undefined {
  const options = target.arguments?.[1];
  if (!options || !ts.isObjectLiteralExpression(options)) return undefined;
  for (const p of options.properties) {
    if (memberName(p) !== 'table') continue;
    const value = ts.isPropertyAssignment(p) ? p.initializer : undefined;
    return {
      segments: value && templateSegments(value, ctx.sourceFile),
      range: ctx.lines.range(p.getStart(ctx.sourceFile), p.getEnd()),
    };
  }
  return undefined;
}

/**
 * A declaration file's `output(): PostgresTarget;` (plumb-postgres' bases as the package ships them):
 * no body to read, so it stands for what those bases return, the table named by `this.table`.
 */
export function declaredTableOutput(cls: ts.ClassLikeDeclaration, ctx: Context): OutputDecl[] | undefined {
  for (const member of cls.members) {
    if (!ts.isMethodDeclaration(member) || member.body || memberName(member) !== 'output') continue;
    const type = member.type;
    if (!type || !ts.isTypeReferenceNode(type) || type.typeName.getText(ctx.sourceFile) !== TARGET_CLASS)
      continue;
    const range = ctx.lines.range(member.getStart(ctx.sourceFile), member.getEnd());
    return [{ kind: TARGET_CLASS, range, table: { segments: THIS_TABLE, range } }];
  }
  return undefined;
}

/** A base imported from plumb-postgres when the package does not resolve (not installed yet). */
export function isUnresolvedTableBase(r: Resolved | undefined): boolean {
  return r?.kind === 'unresolved' && r.module === PACKAGE && TABLE_BASES.has(r.name);
}

type Lineage = { file: FileSummary; cls: ClassSummary }[];

/**
 * The family's outputs with their tables resolved: `this.table` is the nearest `table` member up the
 * class chain (per family: two subclasses of one base write different tables). A family extending
 * an unresolved plumb-postgres base gets that base's output.
 */
export function tableOutputs(
  chain: Lineage,
  outputs: TaskOutput[] | undefined,
  baseOf: (file: FileSummary, cls: ClassSummary) => Resolved | undefined,
): TaskOutput[] | undefined {
  let decls = outputs;
  if (!decls) {
    const last = chain[chain.length - 1];
    if (!last || !isUnresolvedTableBase(baseOf(last.file, last.cls))) return outputs;
    const range = last.cls.nameRange;
    decls = [
      {
        decl: { kind: TARGET_CLASS, range, table: { segments: THIS_TABLE, range } },
        info: { kind: TARGET_CLASS, range },
      },
    ];
  }
  if (!decls.some((o) => o.decl.table)) return decls;
  return decls.map((o) => {
    const table = o.decl.table;
    if (!table) return o;
    let found: TaskOutput['table'] = { segments: table.segments, range: table.range };
    if (table.segments && sameSegments(table.segments, THIS_TABLE)) {
      const owner = chain.find((c) => c.cls.table);
      // No `table` anywhere: a query task whose output is only its marker row.
      if (!owner) return o;
      found = { ...owner.cls.table!, uri: owner.file.uri };
    }
    const info = { ...o.info };
    info.table = found.segments ? templateText(found.segments) : COMPUTED;
    return { ...o, info, table: found };
  });
}

function sameSegments(a: TemplateSegment[], b: TemplateSegment[]): boolean {
  return a.length === b.length && a.every((s, i) => JSON.stringify(s) === JSON.stringify(b[i]));
}

/** The `[postgres] schema` of a project's plumb.toml (tables named without one go there), else public. */
export function defaultSchema(configText: string | undefined): string {
  for (const e of configText === undefined ? [] : tomlLayout(configText).entries) {
    if (e.table !== 'postgres' || e.key !== 'schema') continue;
    const m = /^"([^"\\]*)"|^'([^']*)'/.exec(e.valueText.trim());
    if (m) return m[1] ?? m[2]!;
  }
  return 'public';
}

interface Written {
  family: TaskFamily;
  output: TaskOutput;
  /** `schema.table`, placeholders kept. */
  segments: TemplateSegment[];
}

function qualifiedSegments(segments: TemplateSegment[], schema: string): TemplateSegment[] {
  const first = segments[0];
  // 'schema.name' names its schema; `${this.schema}.name` may, so it is compared as written.
  if (segments.some((s) => 'text' in s && s.text.includes('.'))) return segments;
  if (first && 'text' in first) return [{ text: `${schema}.${first.text}` }, ...segments.slice(1)];
  return [{ text: `${schema}.` }, ...segments];
}

/**
 * Two families of one project whose tables can be the same `schema.table`: each load replaces (or
 * appends to) what the other wrote. One family writing its table for many parameter values is how
 * daily loads work, and is not reported.
 */
export function duplicateTableDiagnostics(
  families: TaskFamily[],
  configTextOf: (projectRoot: string) => string | undefined,
): PipelineDiagnostic[] {
  const schemas = new Map<string, string>();
  const written: Written[] = [];
  for (const family of families) {
    if (family.kind === 'external' || family.cls.abstract) continue;
    for (const output of family.outputs ?? []) {
      if (!output.table?.segments) continue;
      let schema = schemas.get(family.projectRoot);
      if (schema === undefined)
        schemas.set(family.projectRoot, (schema = defaultSchema(configTextOf(family.projectRoot))));
      written.push({ family, output, segments: qualifiedSegments(output.table.segments, schema) });
    }
  }
  const clashes = new Map<Written, Written[]>();
  for (let i = 0; i < written.length; i++) {
    for (let j = i + 1; j < written.length; j++) {
      const a = written[i]!;
      const b = written[j]!;
      // Projects of one workspace may use different databases: only tables of one project compare.
      if (a.family === b.family || a.family.projectRoot !== b.family.projectRoot) continue;
      if (isCompiledTwin(a.family, b.family)) continue;
      if (!templatesOverlap(a.segments, b.segments, a.family, b.family)) continue;
      clashes.set(a, [...(clashes.get(a) ?? []), b]);
      clashes.set(b, [...(clashes.get(b) ?? []), a]);
    }
  }
  return [...clashes].map(([w, others]) => ({
    ...placeOf(w),
    severity: 'warning' as const,
    code: DiagnosticCodes.duplicateTable,
    message: `${w.family.family} and ${others.map((o) => o.family.family).join(', ')} can write the same table ${templateText(w.segments)}: each load replaces or appends to what the other wrote, and the table holds whichever ran last.`,
    related: others.map((o) => ({
      location: placeOf(o),
      message: `${o.family.family} writes ${templateText(o.segments)}`,
    })),
  }));
}

/** At the `table` declaration when it is in the family's own class, else at the class name. */
function placeOf(w: Written): { uri: string; range: Range } {
  const t = w.output.table!;
  const uri = t.uri ?? w.family.outputsFile?.uri ?? w.family.file.uri;
  const own = uri === w.family.file.uri && containsPosition(w.family.cls.range, t.range.start);
  return own ? { uri, range: t.range } : { uri: w.family.file.uri, range: w.family.cls.nameRange };
}
