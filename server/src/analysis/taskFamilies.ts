// The link step: decides which classes are task families (their base resolves to the runtime's Task,
// ExternalTask or WrapperTask, through any number of intermediate classes), gathers inherited
// params/outputs/requirements, and resolves every `new X(...)` in requires()/run() to an edge.
import path from 'node:path';
import type { TaskKind, TaskParamInfo } from '../protocol';
import type {
  ClassSummary,
  FileSummary,
  MethodFacts,
  OutputDecl,
  ReturnedValue,
  TaskEdge,
  TaskFamily,
  TaskOutput,
  TemplateSegment,
} from './model';
import { isUnresolvedTableBase, tableOutputs } from './databaseTargets';
import { isRuntimeSpecifier, type NameResolver, type Resolved } from './nameResolution';
import { globText, templateText } from './templates';

export const RUNTIME_BASES: Record<string, TaskKind> = {
  Task: 'task',
  ExternalTask: 'external',
  WrapperTask: 'wrapper',
};

export interface LinkHost {
  resolver: NameResolver;
  /** Whether a file belongs to the plumb-pipelines package itself (its classes are bases, not tasks). */
  isRuntimeFile(fileName: string): boolean;
  projectRootOf(fileName: string): string;
  workspaceRootOf(fileName: string): string;
}

interface BaseFacts {
  kind: TaskKind;
  typed: boolean;
}

export interface LinkedWorkspace {
  families: TaskFamily[];
  edges: TaskEdge[];
  familyOf(cls: ClassSummary): TaskFamily | undefined;
  /** What a name in a file denotes, as a family, when it is one. */
  familyAt(file: FileSummary, callee: string[]): TaskFamily | undefined;
  resolve(file: FileSummary, callee: string[]): Resolved | undefined;
  isTaskBase(resolved: Resolved | undefined): boolean;
  /** The values a family's requires() returns, resolved (kept with its edges across analyses). */
  returnedValues(family: TaskFamily): ReturnedResolution[];
}

/**
 * What linking keeps across analyses: results whose inputs (the summaries they read) are unchanged.
 * Per class and per family the entries live in the objects' `linkSlot`, tagged with this cache (a
 * new cache orphans them all) and, for classes, with the run that last saw the class current.
 */
export interface LinkCache {
  /** `deps`: the summaries its path's imported constants came from. */
  outputs: WeakMap<OutputDecl, { projectRoot: string; output: TaskOutput; deps: FileSummary[] }>;
  run: number;
}

interface ClassSlot {
  cache: LinkCache;
  run: number;
  family: TaskFamily | undefined;
  methods: Methods;
  deps: FileSummary[];
}

interface FamilySlot {
  cache: LinkCache;
  targets: EdgeTarget[];
  values: ReturnedResolution[];
  deps: FileSummary[];
  /** The edges last made from `targets`: reused while every target is still the same family. */
  edges?: TaskEdge[];
}

/** A value requires() returns, with what its name resolved to (for the "not a task" check). */
export interface ReturnedResolution {
  value: ReturnedValue;
  resolved: Resolved | undefined;
}

interface Methods {
  requires?: [FileSummary, MethodFacts];
  dynamic?: [FileSummary, MethodFacts];
}

interface EdgeTarget {
  file: FileSummary;
  reference: TaskEdge['reference'];
  to: ClassSummary;
}

export function newLinkCache(): LinkCache {
  return { outputs: new WeakMap(), run: 0 };
}

export function linkWorkspace(
  files: FileSummary[],
  host: LinkHost,
  cache: LinkCache = newLinkCache(),
): LinkedWorkspace {
  const { resolver } = host;
  const outputOf = (
    decl: OutputDecl,
    projectRoot: string,
    declaredIn: FileSummary,
    file: string,
  ): TaskOutput => {
    const known = cache.outputs.get(decl);
    if (known?.projectRoot === projectRoot && resolver.allCurrent(known.deps)) {
      resolver.touch(known.deps);
      return known.output;
    }
    const { value: segments, deps } = resolver.track(() => withConstants(decl.segments, declaredIn));
    const output = taskOutput(decl, segments, projectRoot, host.workspaceRootOf(file));
    cache.outputs.set(decl, { projectRoot, output, deps });
    return output;
  };
  /** `${STREAMS_DIR}` imported from another file: its text, when it names a const string there. */
  const withConstants = (
    segments: TemplateSegment[] | undefined,
    file: FileSummary,
  ): TemplateSegment[] | undefined => {
    if (!segments?.some((s) => 'name' in s && s.name !== undefined)) return segments;
    const out: TemplateSegment[] = [];
    for (const s of segments) {
      const r = 'name' in s && s.name !== undefined ? resolver.resolve(file, [s.name]) : undefined;
      const piece = r?.kind === 'constant' ? { text: r.text } : s;
      const last = out[out.length - 1];
      if ('text' in piece && last && 'text' in last) out[out.length - 1] = { text: last.text + piece.text };
      else out.push(piece);
    }
    return out;
  };
  const bases = new Map<ClassSummary, BaseFacts | null>();
  const baseClassOf = (
    file: FileSummary,
    cls: ClassSummary,
  ): { file: FileSummary; cls: ClassSummary } | undefined => {
    if (!cls.base) return undefined;
    const r = resolver.resolve(file, cls.base);
    return r?.kind === 'class' ? { file: r.file, cls: r.cls } : undefined;
  };

  const classify = (file: FileSummary, cls: ClassSummary): BaseFacts | null => {
    const known = bases.get(cls);
    if (known !== undefined) return known;
    bases.set(cls, null); // in progress: a class hierarchy cycle classifies as "not a task"
    let facts: BaseFacts | null = null;
    const rootKind = RUNTIME_BASES[cls.name];
    if (rootKind && host.isRuntimeFile(file.fileName)) facts = { kind: rootKind, typed: true };
    else if (cls.base) {
      const r = resolver.resolve(file, cls.base);
      if (r?.kind === 'unresolved') {
        const kind = isRuntimeSpecifier(r.module) ? RUNTIME_BASES[r.name] : undefined;
        facts = kind || isUnresolvedTableBase(r) ? { kind: kind ?? 'task', typed: false } : null;
      } else if (r?.kind === 'class') facts = classify(r.file, r.cls);
    }
    bases.set(cls, facts);
    return facts;
  };

  /** Walks the class and its bases (nearest first) up to the runtime's own classes. */
  const lineage = (file: FileSummary, cls: ClassSummary): { file: FileSummary; cls: ClassSummary }[] => {
    const chain: { file: FileSummary; cls: ClassSummary }[] = [];
    let current: { file: FileSummary; cls: ClassSummary } | undefined = { file, cls };
    while (current && chain.length < 32 && !host.isRuntimeFile(current.file.fileName)) {
      if (chain.some((c) => c.cls === current!.cls)) break;
      chain.push(current);
      current = baseClassOf(current.file, current.cls);
    }
    return chain;
  };

  const buildFamily = (file: FileSummary, cls: ClassSummary): { family?: TaskFamily; methods: Methods } => {
    const facts = classify(file, cls);
    if (!facts) return { methods: {} };
    const chain = lineage(file, cls);
    const paramMap = new Map<string, TaskParamInfo>();
    let paramsOpen = false;
    for (let i = chain.length - 1; i >= 0; i--) {
      for (const p of chain[i]!.cls.params) paramMap.set(p.name, p);
      paramsOpen ||= chain[i]!.cls.paramsOpen;
    }
    const withOutputs = chain.find((c) => c.cls.outputs !== undefined);
    const withRequires = chain.find((c) => c.cls.requires !== undefined);
    const withDynamic = chain.find((c) => c.cls.dynamic !== undefined);
    const projectRoot = host.projectRootOf(file.fileName);
    const family: TaskFamily = {
      id: `${file.uri}#${cls.name}`,
      family: cls.name,
      kind: facts.kind,
      file,
      cls,
      params: [...paramMap.values()],
      paramsOpen,
      typed: facts.typed,
      projectRoot,
    };
    if (withOutputs) {
      family.outputsFile = withOutputs.file;
      family.outputs = (withOutputs.cls.outputs ?? []).map((decl) =>
        outputOf(decl, projectRoot, withOutputs.file, file.fileName),
      );
    }
    // Database outputs: the table each writes, from this family's own chain (databaseTargets.ts).
    family.outputs = tableOutputs(chain, family.outputs, (f, c) => c.base && resolver.resolve(f, c.base));
    family.outputsFile ??= family.outputs && file;
    return {
      family,
      methods: {
        requires: withRequires && [withRequires.file, withRequires.cls.requires!],
        dynamic: withDynamic && [withDynamic.file, withDynamic.cls.dynamic!],
      },
    };
  };

  const run = ++cache.run;
  const families: TaskFamily[] = [];
  for (const file of files) {
    if (host.isRuntimeFile(file.fileName)) continue;
    for (const cls of file.classes.values()) {
      let slot = cls.linkSlot as ClassSlot | undefined;
      if (!slot || slot.cache !== cache || !resolver.allCurrent(slot.deps)) {
        // Every summary read while classifying (bases, their files) becomes a dependency.
        const { value, deps } = resolver.track(() => buildFamily(file, cls));
        slot = { cache, run, family: value.family, methods: value.methods, deps };
        cls.linkSlot = slot;
      }
      slot.run = run;
      if (slot.family) families.push(slot.family);
    }
  }

  /** The family of a class of this run's files (a class seen in an earlier run only is none). */
  const familyOf = (cls: ClassSummary): TaskFamily | undefined => {
    const slot = cls.linkSlot as ClassSlot | undefined;
    return slot && slot.cache === cache && slot.run === run ? slot.family : undefined;
  };
  const familyAt = (file: FileSummary, callee: string[]): TaskFamily | undefined => {
    const r = resolver.resolve(file, callee);
    return r?.kind === 'class' ? familyOf(r.cls) : undefined;
  };

  const targetsOf = (family: TaskFamily): FamilySlot => {
    const known = family.linkSlot as FamilySlot | undefined;
    if (known && known.cache === cache && resolver.allCurrent(known.deps)) return known;
    const methods = (family.cls.linkSlot as ClassSlot).methods;
    const { value, deps } = resolver.track(() => {
      const targets: EdgeTarget[] = [];
      for (const m of [methods.requires, methods.dynamic]) {
        if (!m) continue;
        const [file, facts] = m;
        for (const reference of facts.references) {
          const r = resolver.resolve(file, reference.callee);
          if (r?.kind === 'class') targets.push({ file, reference, to: r.cls });
        }
      }
      const values: ReturnedResolution[] = [];
      // Only the class's own requires(): an inherited one is reported once, on its own class.
      if (methods.requires && methods.requires[1] === family.cls.requires) {
        const [file, facts] = methods.requires;
        for (const returned of facts.returned)
          values.push({
            value: returned,
            resolved: returned.callee && resolver.resolve(file, returned.callee),
          });
      }
      return { targets, values };
    });
    const slot: FamilySlot = { cache, targets: value.targets, values: value.values, deps };
    family.linkSlot = slot;
    return slot;
  };

  const edges: TaskEdge[] = [];
  for (const family of families) {
    const slot = targetsOf(family);
    let made = slot.edges;
    if (made) {
      // Still the same families at the other end (an edited file makes new family objects)?
      let k = 0;
      for (const t of slot.targets) {
        const to = familyOf(t.to);
        if (to && made[k++]?.to !== to) {
          made = undefined;
          break;
        }
      }
      if (made && k !== made.length) made = undefined;
    }
    if (!made) {
      made = [];
      for (const t of slot.targets) {
        const to = familyOf(t.to);
        if (to)
          made.push({ from: family, to, dynamic: t.reference.dynamic, file: t.file, reference: t.reference });
      }
      slot.edges = made;
    }
    for (const e of made) edges.push(e);
  }

  return {
    families,
    edges,
    familyOf,
    familyAt,
    resolve: (file, callee) => host.resolver.resolve(file, callee),
    // Every family's slot was validated by the edge loop above, in this run.
    returnedValues: (family) => (family.linkSlot as FamilySlot | undefined)?.values ?? [],
    isTaskBase: (r) =>
      r?.kind === 'unresolved'
        ? isRuntimeSpecifier(r.module) && r.name in RUNTIME_BASES
        : r?.kind === 'class' && host.isRuntimeFile(r.file.fileName) && r.cls.name in RUNTIME_BASES,
  };
}

/** `segments`: the declaration's, with imported constants read in. */
function taskOutput(
  decl: NonNullable<ClassSummary['outputs']>[number],
  segments: TemplateSegment[] | undefined,
  projectRoot: string,
  workspaceRoot: string,
): TaskOutput {
  const output: TaskOutput = { decl, info: { kind: decl.kind, range: decl.range } };
  if (!segments) return output;
  output.info.template = templateText(segments);
  const first = segments[0];
  const absolute = first !== undefined && 'text' in first && path.isAbsolute(first.text);
  const rootPrefix = projectRoot.endsWith(path.sep) ? projectRoot : projectRoot + path.sep;
  const absoluteSegments: TemplateSegment[] = absolute ? segments : [{ text: rootPrefix }, ...segments];
  output.absoluteSegments = mergeText(absoluteSegments);
  const glob = globText(output.absoluteSegments);
  const relativeRoot = workspaceRoot.endsWith(path.sep) ? workspaceRoot : workspaceRoot + path.sep;
  output.info.glob = glob.startsWith(relativeRoot) ? glob.slice(relativeRoot.length) : glob;
  return output;
}

function mergeText(segments: TemplateSegment[]): TemplateSegment[] {
  const out: TemplateSegment[] = [];
  for (const s of segments) {
    const last = out[out.length - 1];
    if ('text' in s && last && 'text' in last) out[out.length - 1] = { text: last.text + s.text };
    else out.push(s);
  }
  // `./data/x` under the root: drop the `./` so patterns compare with real paths; and
  // `../other/x` (a sibling project's data) climbs out of the root, as the path itself does.
  return out.map((s) => ('text' in s ? { text: withoutDotSegments(s.text) } : s));
}

function withoutDotSegments(text: string): string {
  let out = text.replace(/\/\.\//g, '/');
  for (let before = ''; before !== out;) {
    before = out;
    out = out.replace(/\/(?!\.\.\/)[^/]+\/\.\.\//, '/');
  }
  return out;
}
