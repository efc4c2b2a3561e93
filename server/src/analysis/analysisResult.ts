// One finished analysis: task families, the graph and the diagnostics, with the queries the shell
// answers from it (tasks, graph or neighbourhood, task at a position). Immutable once built.
import path from 'node:path';
import type { GraphEdgeInfo, GraphNodeInfo, PipelineGraph, Position, TaskInfo } from '../protocol';
import type { DataFiles } from './dataFiles';
import { duplicateTableDiagnostics } from './databaseTargets';
import { cycleDiagnostics, graphCycles } from './diagnostics/cycleDiagnostics';
import { missingDataDiagnostics, missingExternalFamilies } from './diagnostics/missingDataDiagnostics';
import {
  duplicateFamilyDiagnostics,
  insignificantOutputDiagnostics,
} from './diagnostics/identityDiagnostics';
import { duplicateOutputDiagnostics, noOutputDiagnostics } from './diagnostics/outputDiagnostics';
import { DiagnosticCodes, type PipelineDiagnostic } from './diagnostics/pipelineDiagnostic';
import { parameterDiagnostics, requiresValueDiagnostics } from './diagnostics/referenceDiagnostics';
import { fileUri } from './fileSummary';
import { containsPosition } from './lineIndex';
import { checkPlumbToml } from './plumbTomlCheck';
import { tomlLayout } from './tomlLayout';
import type { FileSummary, TaskEdge, TaskFamily } from './model';
import type { LinkedWorkspace } from './taskFamilies';
import { TaskGraph } from './taskGraph';

/**
 * TaskInfo per family, kept across analyses: a family object is reused while its file and bases are
 * unchanged, so only edited families are described again (with the plumb.toml text they were read with).
 */
export type TaskInfoCache = WeakMap<TaskFamily, { configText: string | undefined; info: TaskInfo }>;

/** Graph answers' pieces, kept per family and per edge (both reused across analyses while unchanged). */
const graphNodes = new WeakMap<TaskFamily, { info: TaskInfo; node: GraphNodeInfo }>();
const graphEdges = new WeakMap<TaskEdge, GraphEdgeInfo>();

export class AnalysisResult {
  readonly graph: TaskGraph;
  readonly missing: Set<TaskFamily>;
  private diagnostics?: Map<string, PipelineDiagnostic[]>;
  private wholeGraph?: PipelineGraph;
  private readonly byUri = new Map<string, TaskFamily[]>();
  private readonly configCache = new Map<string, { text: string | undefined; values: Map<string, string> }>();

  constructor(
    readonly version: number,
    readonly files: FileSummary[],
    readonly linked: LinkedWorkspace,
    readonly dataFiles: DataFiles,
    readonly textOf: (file: string) => string | undefined,
    readonly configFiles: string[] = [],
    private readonly infoCache: TaskInfoCache = new WeakMap(),
    previousGraph?: TaskGraph,
  ) {
    this.graph = new TaskGraph(linked.families, linked.edges, previousGraph);
    this.missing = missingExternalFamilies(linked.families, dataFiles);
    for (const f of linked.families) {
      const list = this.byUri.get(f.file.uri) ?? [];
      list.push(f);
      this.byUri.set(f.file.uri, list);
    }
  }

  get families(): TaskFamily[] {
    return this.linked.families;
  }

  familiesIn(uri: string): TaskFamily[] {
    return this.byUri.get(uri) ?? [];
  }

  familyAt(uri: string, position: Position): TaskFamily | undefined {
    return this.familiesIn(uri).find((f) => containsPosition(f.cls.range, position));
  }

  familyById(id: string): TaskFamily | undefined {
    const [uri] = id.split('#');
    return this.familiesIn(uri ?? '').find((f) => f.id === id);
  }

  findFamily(uri: string, family: string): TaskFamily | undefined {
    return (
      this.familiesIn(uri).find((f) => f.family === family) ?? this.families.find((f) => f.family === family)
    );
  }

  /** Every diagnostic, grouped by document URI. */
  diagnosticsByUri(): Map<string, PipelineDiagnostic[]> {
    if (this.diagnostics) return this.diagnostics;
    const all: PipelineDiagnostic[] = [
      ...cycleDiagnostics(this.graph),
      ...missingDataDiagnostics(this.graph, this.missing, this.dataFiles),
      ...noOutputDiagnostics(this.families),
      ...duplicateOutputDiagnostics(this.families),
      ...duplicateTableDiagnostics(this.families, (root) => this.configOf(root).text),
      ...duplicateFamilyDiagnostics(this.families),
      ...insignificantOutputDiagnostics(this.families),
      ...parameterDiagnostics(this.linked.edges),
      ...requiresValueDiagnostics(this.linked),
      ...this.files
        .filter((f) => f.failure)
        .map((f): PipelineDiagnostic => ({
          uri: f.uri,
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          severity: 'information',
          code: DiagnosticCodes.unanalysable,
          message: f.failure!,
        })),
      ...this.configFiles.flatMap((file) => {
        const text = this.textOf(file);
        return text === undefined ? [] : checkPlumbToml(file, fileUri(file), text, this.families);
      }),
    ];
    const map = new Map<string, PipelineDiagnostic[]>();
    for (const d of all) {
      const list = map.get(d.uri) ?? [];
      list.push(d);
      map.set(d.uri, list);
    }
    this.diagnostics = map;
    return map;
  }

  /** What the client is told about a family (shared between answers: treat as read-only). */
  taskInfo(f: TaskFamily): TaskInfo {
    const config = this.configOf(f.projectRoot);
    const cached = this.infoCache.get(f);
    if (cached && cached.configText === config.text) return cached.info;
    const info: TaskInfo = {
      family: f.family,
      id: f.id,
      kind: f.kind,
      uri: f.file.uri,
      nameRange: f.cls.nameRange,
      range: f.cls.range,
      params: f.params.map((p) => {
        const configText = config.values.get(`${f.family}\0${p.name}`);
        return configText === undefined ? { ...p } : { ...p, configText };
      }),
      outputs: (f.outputs ?? []).map((o) => ({ ...o.info })),
      exported: f.cls.exported,
      abstract: f.cls.abstract,
    };
    this.infoCache.set(f, { configText: config.text, info });
    return info;
  }

  /** `[params.<Family>]` values of the plumb.toml at a project root, as source text. */
  private configOf(projectRoot: string): { text: string | undefined; values: Map<string, string> } {
    let config = this.configCache.get(projectRoot);
    if (config) return config;
    const file = path.join(projectRoot, 'plumb.toml');
    const text = this.configFiles.includes(file) ? this.textOf(file) : undefined;
    const values = new Map<string, string>();
    for (const e of text === undefined ? [] : tomlLayout(text).entries) {
      if (e.table.startsWith('params.')) values.set(`${e.table.slice(7)}\0${e.key}`, e.valueText);
    }
    config = { text, values };
    this.configCache.set(projectRoot, config);
    return config;
  }

  tasks(): TaskInfo[] {
    return this.families.map((f) => this.taskInfo(f));
  }

  upstreamCount(f: TaskFamily): number {
    return this.graph.transitiveCounts().up[this.graph.idOf(f)]!;
  }

  downstreamCount(f: TaskFamily): number {
    return this.graph.transitiveCounts().down[this.graph.idOf(f)]!;
  }

  /** The whole graph, or the neighbourhood of one family within `depth` steps. */
  pipelineGraph(focus?: TaskFamily, depth = 2): PipelineGraph {
    if (!focus && this.wholeGraph) return this.wholeGraph;
    const g = this.graph;
    const counts = g.transitiveCounts();
    const included = focus ? g.neighbourhood(g.idOf(focus), depth) : undefined;
    const nodes: GraphNodeInfo[] = [];
    g.nodes.forEach((f, i) => {
      if (included && !included.has(i)) return;
      nodes.push(this.graphNode(f, counts.up[i]!, counts.down[i]!, g.cyclic[i]!));
    });
    const edges: PipelineGraph['edges'] = [];
    for (const e of g.edges) {
      if (included && !(included.has(g.idOf(e.from)) && included.has(g.idOf(e.to)))) continue;
      const inCycle = g.edgeInCycle(e);
      let info = graphEdges.get(e);
      if (info?.inCycle !== inCycle) {
        info = {
          from: e.from.id,
          to: e.to.id,
          dynamic: e.dynamic,
          inCycle,
          ...(e.reference.optional && { optional: true }),
          location: { uri: e.file.uri, range: e.reference.range },
        };
        graphEdges.set(e, info);
      }
      edges.push(info);
    }
    const cycles = graphCycles(g).filter((c) => !included || c.some((id) => nodes.some((n) => n.id === id)));
    const graph: PipelineGraph = { version: this.version, nodes, edges, cycles };
    if (focus) graph.focus = focus.id;
    else this.wholeGraph = graph;
    return graph;
  }

  /** A node of the graph answer; the previous answer's object when nothing in it changed. */
  private graphNode(f: TaskFamily, up: number, down: number, inCycle: boolean): GraphNodeInfo {
    const info = this.taskInfo(f);
    const missingExternal = this.missing.has(f);
    const known = graphNodes.get(f);
    if (
      known?.info === info &&
      known.node.upstreamCount === up &&
      known.node.downstreamCount === down &&
      known.node.inCycle === inCycle &&
      known.node.missingExternal === missingExternal
    )
      return known.node;
    const node: GraphNodeInfo = {
      family: info.family,
      id: info.id,
      kind: info.kind,
      uri: info.uri,
      nameRange: info.nameRange,
      range: info.range,
      params: info.params,
      outputs: info.outputs,
      exported: info.exported,
      abstract: info.abstract,
      upstreamCount: up,
      downstreamCount: down,
      inCycle,
      missingExternal,
    };
    graphNodes.set(f, { info, node });
    return node;
  }
}
