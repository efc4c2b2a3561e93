// The extension's shared context: channels, the language client, the task index, runs and panels.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { GraphChangedParams } from '../../server/src/protocol';
import { TaskIndex } from './taskIndex';
import { RunTracker } from './runTracker';

export class Ctx implements vscode.Disposable {
  /** The client log ("Plumb"); the language client writes into it too. */
  readonly log = vscode.window.createOutputChannel('Plumb', { log: true });
  /** Human output of runs (the CLI's stderr): "Plumb Run". */
  readonly runOutput = vscode.window.createOutputChannel('Plumb Run');
  readonly runs = new RunTracker();
  readonly tasks: TaskIndex;
  client: LanguageClient | undefined;
  /** Counts server starts: graph versions restart from zero with each new server process. */
  serverGeneration = 0;
  /** The server's plumb/graphChanged notifications, re-fired for every view that follows the code. */
  readonly graphChanged = new vscode.EventEmitter<GraphChangedParams>();
  /** Starts the language server if it has not started (set by activate; commands call it). */
  ensureServer: () => void = () => {};
  private readonly disposables: vscode.Disposable[] = [];
  private resolveClient!: (client: LanguageClient) => void;
  /** Resolves once the language client has started the first time. */
  readonly clientReady = new Promise<LanguageClient>((resolve) => (this.resolveClient = resolve));

  constructor(readonly extension: vscode.ExtensionContext) {
    this.tasks = new TaskIndex(() => this.client, this.log);
    this.disposables.push(this.log, this.runOutput, this.runs, this.tasks, this.graphChanged);
  }

  clientStarted(client: LanguageClient): void {
    this.client = client;
    this.resolveClient(client);
  }

  /** The running client, waiting for its start when it is still starting. */
  async readyClient(): Promise<LanguageClient> {
    const first = await this.clientReady;
    return this.client ?? first;
  }

  get extensionUri(): vscode.Uri {
    return this.extension.extensionUri;
  }

  /** The runtime CLI bundled into the extension: Run works where the workspace has no plumb-pipelines. */
  get cliPath(): string {
    return vscode.Uri.joinPath(this.extensionUri, 'dist', 'runtime', 'cli.js').fsPath;
  }

  get webviewRoot(): vscode.Uri {
    return vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
  }

  get nodePath(): string {
    return vscode.workspace.getConfiguration('plumb').get<string>('nodePath', 'node') || 'node';
  }

  push(...disposables: vscode.Disposable[]): void {
    this.disposables.push(...disposables);
  }

  dispose(): void {
    for (const d of this.disposables.reverse()) d.dispose();
  }
}
