// Language server entry: wires the LSP connection (stdio or IPC) to the analysis core. Each handler
// asks the scheduler for a current result and hands it to a small module that shapes the answer.
import path from 'node:path';
import {
  createConnection,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeParams,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { WorkspaceAnalysis, uriToFile, type FileChange } from './analysis/workspaceAnalysis';
import { AnalysisScheduler } from './analysisScheduler';
import { DiagnosticsPublisher } from './diagnosticsPublisher';
import { DirectoryWatcher } from './fileWatching';
import { quickFixes } from './lspDiagnostics';
import {
  GraphRequestMethod,
  TaskAtRequestMethod,
  TasksRequestMethod,
  type GraphRequestParams,
  type GraphRequestResult,
  type TaskAtRequestParams,
  type TaskAtRequestResult,
  type TasksRequestResult,
} from './protocol';
import { taskHover } from './taskHover';
import { LazyLenses } from './lazyLenses';
import { taskLenses } from './taskLenses';
import { taskSymbols } from './taskSymbols';
import { isTsParameterDiagnostic, tsDiagnosticFixes } from './tsDiagnosticFixes';
import { isTsDepthDiagnostic, tsDepthFixes } from './tsDepthFixes';
import { isPlumbToml, tomlCompletions } from './tomlFeatures';
import { tomlHover } from './tomlHover';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const log = (message: string) => connection.console.log(message);

let analysis: WorkspaceAnalysis;
let scheduler: AnalysisScheduler;
let watcher: DirectoryWatcher | undefined;
let clientWatchesFiles = false;

connection.onInitialize((params: InitializeParams) => {
  const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  const roots = folders
    .map(uriToFile)
    .filter((f): f is string => f !== undefined)
    .map((f) => path.resolve(f));
  analysis = new WorkspaceAnalysis(roots);
  analysis.log = log;
  const publisher = new DiagnosticsPublisher(connection, log);
  const debounceMs = Number(process.env.PLUMB_DEBOUNCE_MS ?? 150);
  scheduler = new AnalysisScheduler(analysis, publisher, debounceMs, log);
  clientWatchesFiles = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      codeLensProvider: { resolveProvider: true },
      hoverProvider: true,
      documentSymbolProvider: true,
      codeActionProvider: { codeActionKinds: ['quickfix'] },
      completionProvider: { triggerCharacters: ['.', '[', ' ', '"'] },
    },
    serverInfo: { name: 'plumb-language-server' },
  };
});

connection.onInitialized(() => {
  // Watchers first, then the scan: a file written in between is seen by one or the other. The
  // client's watchers are surely in place only once it acks their registration, so then the
  // folders are listed once more for what was written before.
  if (clientWatchesFiles) {
    connection.client
      .register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*' }] })
      .then(
        () => changedBeforeWatchers(),
        (error) => {
          // A client that refuses leaves us without events: watch the folders ourselves.
          log(
            `plumb: the client did not register the file watchers (${(error as Error).message}); watching the folders itself`,
          );
          watcher = new DirectoryWatcher(analysis.roots, filesChanged, log);
          changedBeforeWatchers();
        },
      );
  } else {
    watcher = new DirectoryWatcher(analysis.roots, filesChanged, log);
  }
  const started = Date.now();
  analysis.scan();
  log(`plumb: scanned ${analysis.roots.join(', ') || '(no folder)'} in ${Date.now() - started} ms`);
  scheduler.changed();
});

/** Once watchers are surely in place: what changed on disk since the scan, which none reported. */
function changedBeforeWatchers(): void {
  const changes = analysis.changesSinceScan();
  if (changes.length === 0) return;
  log(`plumb: ${changes.length} file(s) changed before the file watchers were in place`);
  filesChanged(changes);
}

function filesChanged(changes: FileChange[]): void {
  analysis.filesChanged(changes);
  scheduler.changed(changes[0]?.file);
}

connection.onDidChangeWatchedFiles(({ changes }) => {
  const kinds = {
    [FileChangeType.Created]: 'created',
    [FileChangeType.Changed]: 'changed',
    [FileChangeType.Deleted]: 'deleted',
  } as const;
  filesChanged(
    changes.flatMap((c) => {
      const file = uriToFile(c.uri);
      return file ? [{ file, kind: kinds[c.type] }] : [];
    }),
  );
});

documents.onDidOpen(({ document }) => {
  analysis.openDocument(document.uri, document.getText(), document.version);
  scheduler.changed();
});
documents.onDidChangeContent(({ document }) => {
  analysis.openDocument(document.uri, document.getText(), document.version);
  scheduler.changed(uriToFile(document.uri));
});
documents.onDidClose(({ document }) => {
  analysis.closeDocument(document.uri);
  scheduler.changed(uriToFile(document.uri));
});

const lazyLenses = new LazyLenses(taskLenses);
connection.onCodeLens(({ textDocument }) => lazyLenses.lenses(scheduler.latest(), textDocument.uri));
connection.onCodeLensResolve((lens) => lazyLenses.resolve(scheduler.latest(), lens));
connection.onHover(({ textDocument, position }) =>
  isPlumbToml(textDocument.uri)
    ? tomlHover(documents.get(textDocument.uri)?.getText() ?? '', position)
    : taskHover(scheduler.latest(), textDocument.uri, position),
);
connection.onDocumentSymbol(({ textDocument }) => taskSymbols(scheduler.latest(), textDocument.uri));
connection.onCodeAction(({ textDocument, context }) => {
  const actions = quickFixes(context.diagnostics);
  // TypeScript's own errors on `new X({...})` get Plumb's fixes (asks for the analysis only then).
  if (context.diagnostics.some(isTsParameterDiagnostic))
    actions.push(...tsDiagnosticFixes(scheduler.latest(), textDocument.uri, context.diagnostics));
  // TypeScript's TS2321 on a requires() array (deep pipelines): return it as a tuple.
  const document = documents.get(textDocument.uri);
  if (document && context.diagnostics.some(isTsDepthDiagnostic))
    actions.push(...tsDepthFixes(document, context.diagnostics));
  return actions;
});
connection.onCompletion(({ textDocument, position }) => {
  if (!isPlumbToml(textDocument.uri)) return [];
  const text = documents.get(textDocument.uri)?.getText() ?? '';
  return tomlCompletions(scheduler.latest(), textDocument.uri, text, position);
});

connection.onRequest(
  GraphRequestMethod,
  (params: GraphRequestParams | undefined, token): GraphRequestResult | null => {
    const result = scheduler.latest();
    if (token.isCancellationRequested) return null;
    if (!params?.focus) return result.pipelineGraph();
    const focus = result.findFamily(params.focus.uri, params.focus.family);
    return focus
      ? result.pipelineGraph(focus, params.depth ?? 2)
      : { ...result.pipelineGraph(), nodes: [], edges: [], cycles: [] };
  },
);
connection.onRequest(TasksRequestMethod, (): TasksRequestResult => scheduler.latest().tasks());
connection.onRequest(TaskAtRequestMethod, (params: TaskAtRequestParams): TaskAtRequestResult => {
  const result = scheduler.latest();
  const family = result.familyAt(params.uri, params.position);
  return family ? result.taskInfo(family) : null;
});

connection.onShutdown(() => {
  scheduler?.dispose();
  watcher?.dispose();
});

documents.listen(connection);
connection.listen();
