// The "Plumb Graph" panel: the workspace's or a task's neighbourhood graph, following the code as it changes.
import * as vscode from 'vscode';
import type { PipelineGraph, Range } from '../../server/src/protocol';
import type {
  BlastRadius,
  GraphHostMessage,
  GraphViewMessage,
  GraphViewState,
} from '../webview/src/messages';
import type { Ctx } from './context';
import { parseNodeId, requestGraph, requestTaskAt } from './lspRequests';
import { GraphPlanFeed } from './planGraph';
import { familyStatuses } from './runState';
import { revealRange } from './taskArgument';
import { fillWebview, webviewOptions } from './webviewContent';
import { createPanelReplacingRestored } from './hiddenRestoredTabs';
import { GraphDurationsFeed } from './durationsFeed';
import { fileInsideFolders } from './workspaceContainment';
import { graphUpdate, type PostedGraph } from './graphUpdate';
import { layoutSettingMessage, onLayoutSettingChange } from './layoutSetting';

export const graphViewType = 'plumb.graph';
const title = 'Plumb Graph';

export interface GraphScope {
  focus: { uri: string; family: string } | null;
  depth: number;
}

function defaultDepth(): number {
  return vscode.workspace.getConfiguration('plumb').get<number>('graph.defaultDepth', 2);
}

export class GraphPanel implements vscode.Disposable {
  private static current: GraphPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private scope: GraphScope;
  /** Sequence number of the latest graph request: replies to older ones are stale and dropped. */
  private requestSeq = 0;
  private shownVersion = -1;
  /** The server start whose versions `shownVersion` counts in. */
  private shownGeneration = -1;
  /** What the view was last sent: a graph whose drawing is the same is not sent again. */
  private lastPosted: PostedGraph | undefined;
  private ready = false;
  private searchRequested = false;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private highlightTimer: ReturnType<typeof setTimeout> | undefined;
  private statusTimer: ReturnType<typeof setTimeout> | undefined;
  /** Typical durations on the nodes (durationsFeed.ts) and a rerun's blast radius (rerun.ts). */
  private readonly durations: GraphDurationsFeed;
  private blastRadius: BlastRadius | null = null;
  /** What Run would do for the focus task, from the runtime (planGraph.ts). */
  private readonly plan: GraphPlanFeed;

  /** Shows the panel beside the editor with the given scope (null focus: the whole workspace). */
  static show(ctx: Ctx, focus: GraphScope['focus'], depth?: number): GraphPanel {
    const scope = { focus, depth: depth ?? (focus ? defaultDepth() : -1) };
    if (GraphPanel.current) {
      GraphPanel.current.panel.reveal(vscode.ViewColumn.Beside, true);
      GraphPanel.current.setScope(scope);
      return GraphPanel.current;
    }
    const panel = createPanelReplacingRestored(graphViewType, title, true, webviewOptions(ctx));
    return new GraphPanel(ctx, panel, scope);
  }

  /** Brings back a panel VS Code kept across a restart, with the scope the view saved. */
  static restore(ctx: Ctx, panel: vscode.WebviewPanel, state: GraphViewState | undefined): GraphPanel {
    GraphPanel.current?.dispose();
    const scope = { focus: state?.focus ?? null, depth: state?.depth ?? -1 };
    return new GraphPanel(ctx, panel, scope);
  }

  static get active(): GraphPanel | undefined {
    return GraphPanel.current;
  }

  private constructor(
    private readonly ctx: Ctx,
    readonly panel: vscode.WebviewPanel,
    scope: GraphScope,
  ) {
    GraphPanel.current = this;
    this.scope = scope;
    this.plan = new GraphPlanFeed(ctx, (message) => this.ready && this.post(message));
    this.durations = new GraphDurationsFeed(ctx, (message) => this.ready && this.post(message));
    fillWebview(ctx, panel.webview, 'graph', title);
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: GraphViewMessage) => this.onMessage(m)),
      panel.onDidChangeViewState(() => {
        // A hidden webview's page is torn down; it says ready again when shown, and gets everything anew.
        if (!panel.visible) this.ready = false;
      }),
      ctx.graphChanged.event(() => this.scheduleRefresh()),
      vscode.window.onDidChangeTextEditorSelection((e) => this.scheduleHighlight(e.textEditor)),
      vscode.window.onDidChangeActiveTextEditor((editor) => editor && this.scheduleHighlight(editor)),
      ctx.runs.onDidStart(() => this.scheduleStatus()),
      ctx.runs.onDidUpdate(() => this.scheduleStatus()),
      ctx.runs.onDidEnd(() => this.scheduleStatus()),
      onLayoutSettingChange((message) => this.ready && this.post(message)),
    );
  }

  setScope(scope: GraphScope): void {
    this.scope = scope;
    this.lastPosted = undefined;
    this.shownVersion = -1;
    void this.refresh();
  }

  focusSearch(): void {
    // A panel just created is not listening yet: ask again once it says it is ready.
    if (this.ready) this.post({ type: 'focusSearch' });
    else this.searchRequested = true;
  }

  /** Shows (or, with null, clears) what a rerun would run again. */
  showBlastRadius(radius: BlastRadius | null): void {
    this.blastRadius = radius;
    if (this.ready) this.post({ type: 'blastRadius', radius });
  }

  private post(message: GraphHostMessage): void {
    void this.panel.webview.postMessage(message);
  }

  private onMessage(message: GraphViewMessage): void {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        // Before the graph: its first layout is made with the engine the setting chose.
        this.post(layoutSettingMessage());
        this.lastPosted = undefined;
        void this.refresh();
        this.postStatus();
        void this.durations.resend();
        if (this.blastRadius) this.post({ type: 'blastRadius', radius: this.blastRadius });
        this.plan.resend();
        if (vscode.window.activeTextEditor) this.scheduleHighlight(vscode.window.activeTextEditor);
        if (this.searchRequested) this.post({ type: 'focusSearch' });
        this.searchRequested = false;
        break;
      case 'planMode':
        this.plan.setUnit(message.unit === true);
        break;
      case 'open':
        this.plan.select(message.uri, message.range);
        void this.open(message.uri, message.range);
        break;
      case 'setDepth':
        this.setScope({ ...this.scope, depth: message.depth });
        break;
      case 'setFocus':
        this.setScope({
          focus: message.nodeId ? (parseNodeId(message.nodeId) ?? null) : null,
          depth: this.scope.depth,
        });
        break;
      case 'run': {
        const command = { run: 'plumb.runTask', debug: 'plumb.debugTask', unit: 'plumb.runTaskOnly' }[
          message.mode
        ];
        void vscode.commands.executeCommand(command, { uri: message.uri, family: message.family });
        break;
      }
    }
  }

  /** Opens what the view asks for only inside the workspace folders: its messages are not trusted. */
  private async open(uri: string, range: Range): Promise<void> {
    const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
    const checked = await fileInsideFolders(uri, folders);
    if ('refused' in checked) {
      this.ctx.log.warn(`graph view asked to open ${uri}: refused (${checked.refused})`);
      return;
    }
    await revealRange(uri, range);
  }

  /** Typing produces a burst of graph versions: one request after the burst. */
  private scheduleRefresh(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refresh(), 150);
  }

  async refresh(): Promise<void> {
    if (!this.ready || !this.panel.visible) return;
    const seq = ++this.requestSeq;
    const scope = this.scope;
    let graph: PipelineGraph | null;
    let generation: number;
    try {
      const client = await this.ctx.readyClient();
      generation = this.ctx.serverGeneration;
      graph = await requestGraph(client, scope.focus ? { focus: scope.focus, depth: scope.depth } : {});
    } catch (error) {
      this.ctx.log.warn(`plumb/graph failed: ${(error as Error).message}`);
      return;
    }
    // null: the server cancelled the request because a newer analysis is under way.
    if (!graph || seq !== this.requestSeq) return;
    // A restarted server counts versions from zero again: its first graph is never stale.
    if (generation === this.shownGeneration && graph.version < this.shownVersion) return;
    this.shownGeneration = generation;
    this.shownVersion = graph.version;
    // The version changes with every keystroke, the drawing only when the graph itself does: typing
    // above a task sends its new name range (a few bytes), not the whole graph again.
    const update = graphUpdate(this.lastPosted, graph, scope.depth);
    this.lastPosted = update.posted;
    if (!update.message) return;
    this.post(update.message);
    if (update.message.type === 'graph') this.plan.show(scope.focus);
  }

  private scheduleHighlight(editor: vscode.TextEditor): void {
    if (!this.ready || !this.panel.visible || editor.document.uri.scheme !== 'file') return;
    if (this.highlightTimer) clearTimeout(this.highlightTimer);
    this.highlightTimer = setTimeout(async () => {
      try {
        const client = await this.ctx.readyClient();
        const task = await requestTaskAt(client, {
          uri: editor.document.uri.toString(),
          position: { line: editor.selection.active.line, character: editor.selection.active.character },
        });
        this.post({ type: 'highlight', nodeId: task ? task.id : null });
      } catch (error) {
        this.ctx.log.debug(`plumb/taskAt failed: ${(error as Error).message}`);
      }
    }, 100);
  }

  /** Live run status on the graph, at most every 100 ms however fast events come. */
  private scheduleStatus(): void {
    this.statusTimer ??= setTimeout(() => {
      this.statusTimer = undefined;
      this.postStatus();
    }, 100);
  }

  private postStatus(): void {
    if (!this.ready) return;
    const state = this.ctx.runs.latestState;
    this.post({ type: 'status', statuses: state ? familyStatuses(state) : {} });
  }

  dispose(): void {
    if (GraphPanel.current === this) GraphPanel.current = undefined;
    for (const timer of [this.refreshTimer, this.highlightTimer, this.statusTimer])
      if (timer) clearTimeout(timer);
    this.plan.dispose();
    this.durations.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}

export function registerGraphSerializer(ctx: Ctx): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(graphViewType, {
    async deserializeWebviewPanel(panel, state: GraphViewState | undefined) {
      panel.webview.options = webviewOptions(ctx);
      GraphPanel.restore(ctx, panel, state);
    },
  });
}
