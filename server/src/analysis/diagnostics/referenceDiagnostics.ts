// Problems with what requires() names: a task constructed without a required parameter or with one
// it does not declare (reported only where the TypeScript checker cannot, e.g. plain JavaScript or
// a workspace without plumb-pipelines installed), and requires() returning something that is not a task.
import type { Range, TaskParamInfo } from '../../protocol';
import type { ObjectArgument, ReturnedValue, TaskEdge, TaskFamily } from '../model';
import type { Resolved } from '../nameResolution';
import type { LinkedWorkspace } from '../taskFamilies';
import { closestName } from '../closestName';
import { DiagnosticCodes, type PipelineDiagnostic, type QuickFix } from './pipelineDiagnostic';

/** What one `new X({...})` gets wrong about X's parameters, and Plumb's fix for each. */
interface ReferenceProblems {
  /** Required parameters not given (when no spread could give them). */
  missing: TaskParamInfo[];
  /** Adds the missing ones, except those only misspelt (the rename fixes those). */
  addFix?: QuickFix;
  /** Keys X does not declare, with the rename to the parameter each most likely means. */
  unknown: { key: ObjectArgument['keys'][number]; renameFix?: QuickFix }[];
}

function referenceProblems(edge: TaskEdge): ReferenceProblems | undefined {
  const { reference, to, file } = edge;
  const args = reference.args;
  if (!args && !reference.emptyCallAt) return undefined; // `new X(someVariable)`: nothing to read
  const given = new Set(args?.keys.map((k) => k.name) ?? []);
  const declared = new Set(to.params.map((p) => p.name));
  // Unknown keys that are typos of a parameter not given yet: the fix renames the key.
  const notGiven = to.params.map((p) => p.name).filter((n) => !given.has(n));
  const typos = new Map<string, string>();
  for (const key of args?.keys ?? []) {
    const meant = declared.has(key.name) ? undefined : closestName(key.name, notGiven);
    if (meant) typos.set(key.name, meant);
  }
  const missing = args?.hasSpread ? [] : to.params.filter((p) => p.required && !given.has(p.name));
  // Adding a parameter the user only misspelt would duplicate it: that one is left to the rename.
  const toAdd = missing.filter((p) => ![...typos.values()].includes(p.name));
  const unknown = (args?.keys ?? [])
    .filter((key) => !declared.has(key.name))
    .map((key) => {
      const meant = typos.get(key.name);
      const renameFix: QuickFix | undefined = meant
        ? {
            title: `Change to '${meant}'`,
            edits: [
              { uri: file.uri, range: key.range, newText: key.shorthand ? `${meant}: ${key.name}` : meant },
            ],
          }
        : undefined;
      return { key, renameFix };
    });
  return { missing, addFix: toAdd.length > 0 ? missingParamFix(edge, toAdd) : undefined, unknown };
}

export function parameterDiagnostics(edges: TaskEdge[]): PipelineDiagnostic[] {
  const out: PipelineDiagnostic[] = [];
  const seen = new Set<TaskEdge['reference']>();
  for (const edge of edges) {
    const { reference, to, file } = edge;
    if ((to.typed && !file.isJs) || to.paramsOpen) continue;
    if (seen.has(reference)) continue; // an inherited requires() yields the same reference twice
    seen.add(reference);
    const problems = referenceProblems(edge);
    if (!problems) continue;
    const { missing, addFix } = problems;
    if (missing.length > 0) {
      out.push({
        uri: file.uri,
        range: reference.headRange,
        severity: 'error',
        code: DiagnosticCodes.missingParam,
        message: `${to.family} needs ${missing.map((p) => `'${p.name}'`).join(', ')}: ${missing.length === 1 ? 'a required parameter is' : 'required parameters are'} not given.`,
        ...(addFix && { fixes: [addFix] }),
      });
    }
    for (const { key, renameFix } of problems.unknown) {
      out.push({
        uri: file.uri,
        range: key.range,
        severity: 'error',
        code: DiagnosticCodes.unknownParam,
        message: `${to.family} has no parameter '${key.name}'${to.params.length ? ` (it has ${to.params.map((p) => p.name).join(', ')})` : ''}.`,
        ...(renameFix && { fixes: [renameFix] }),
      });
    }
  }
  return out;
}

/**
 * Plumb's parameter fixes in one document, also where the TypeScript checker reports the mistake
 * itself (a typed task in a .ts file): they go with its diagnostics, not a second one of ours. Each
 * with where the mistake is: the whole `new X(...)` for the missing, the key for a misspelt one.
 */
export function parameterFixes(edges: TaskEdge[], uri: string): { range: Range; fix: QuickFix }[] {
  const out: { range: Range; fix: QuickFix }[] = [];
  const seen = new Set<TaskEdge['reference']>();
  for (const edge of edges) {
    if (edge.file.uri !== uri || edge.to.paramsOpen || seen.has(edge.reference)) continue;
    seen.add(edge.reference);
    const problems = referenceProblems(edge);
    if (problems?.addFix) out.push({ range: edge.reference.range, fix: problems.addFix });
    for (const { key, renameFix } of problems?.unknown ?? [])
      if (renameFix) out.push({ range: key.range, fix: renameFix });
  }
  return out;
}

function missingParamFix(edge: TaskEdge, missing: TaskParamInfo[]): QuickFix {
  const props = missing.map((p) => `${p.name}: ${placeholderValue(p, edge.from)}`).join(', ');
  const { args, emptyCallAt } = edge.reference;
  const at = args?.insertAt ?? emptyCallAt!;
  const newText = args ? (args.empty ? ` ${props} ` : `, ${props}`) : `{ ${props} }`;
  return {
    title: `Add ${missing.map((p) => `'${p.name}'`).join(', ')}`,
    edits: [{ uri: edge.file.uri, range: { start: at, end: at }, newText }],
  };
}

/** Passes the requiring task's own parameter of the same name through when it has one. */
function placeholderValue(p: TaskParamInfo, requirer: TaskFamily): string {
  if (requirer.params.some((q) => q.name === p.name)) return `this.${p.name}`;
  switch (p.type) {
    case 'int':
    case 'float':
      return '0';
    case 'bool':
      return 'false';
    case 'enum':
      return p.choices?.[0] !== undefined ? `'${p.choices[0]}'` : `''`;
    case 'list':
      return '[]';
    case 'date':
      return `'2026-01-01'`;
    case 'dateInterval':
      return `'2026-01-01-2026-01-07'`;
    default:
      return `''`;
  }
}

export function requiresValueDiagnostics(linked: LinkedWorkspace): PipelineDiagnostic[] {
  const out: PipelineDiagnostic[] = [];
  for (const family of linked.families) {
    for (const { value, resolved } of linked.returnedValues(family)) {
      const problem = valueProblem(value, resolved, linked);
      if (problem) {
        out.push({
          uri: family.file.uri,
          range: value.range,
          severity: 'error',
          code: DiagnosticCodes.requiresNotTask,
          message: `${family.family}.requires() returns ${problem}`,
        });
      }
    }
  }
  return out;
}

function valueProblem(
  value: ReturnedValue,
  resolved: Resolved | undefined,
  linked: LinkedWorkspace,
): string | undefined {
  if (value.kind === 'literal')
    return `${value.text}, which is not a task: return task instances (new X({...})).`;
  if (!value.callee) return undefined;
  const family = resolved?.kind === 'class' ? linked.familyOf(resolved.cls) : undefined;
  if (value.kind === 'name') {
    return family
      ? `the class ${family.family} itself, not a task instance: write new ${value.text}({...}).`
      : undefined;
  }
  if (family || linked.isTaskBase(resolved)) return undefined;
  if (resolved?.kind === 'class')
    return `a ${value.text}, which is not a task (its class does not extend Task).`;
  if (resolved?.kind === 'unresolved' && resolved.module.startsWith('plumb-pipelines')) {
    return `a ${value.text}, which is not a task.`;
  }
  return undefined;
}
