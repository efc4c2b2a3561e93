// Builds the language client that starts the bundled server for the workspace's task files and plumb.toml.
// Loaded on demand (clientLifecycle imports it dynamically): vscode-languageclient is most of the
// extension bundle, and a TypeScript workspace without Plumb never needs it.
import * as vscode from 'vscode';
import {
  CodeLensRequest,
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';

export { State } from 'vscode-languageclient/node';
import { lensCommandFor } from './untrustedLens';

/** Languages whose documents the server analyses. plumb.toml is matched by name as well as by language,
 * in case another TOML extension claims the file. */
export const documentSelector = [
  { scheme: 'file', language: 'typescript' },
  { scheme: 'file', language: 'typescriptreact' },
  { scheme: 'file', language: 'javascript' },
  { scheme: 'file', language: 'javascriptreact' },
  { scheme: 'file', language: 'plumb-toml' },
  { scheme: 'file', pattern: '**/plumb.toml' },
];

/** In an untrusted workspace a Run/Debug lens says why it is disabled and offers to manage trust. */
function labelUntrustedLens(lens: vscode.CodeLens): vscode.CodeLens {
  if (lens.command) lens.command = lensCommandFor(lens.command, vscode.workspace.isTrusted);
  return lens;
}

/** Asks VS Code for the lenses of the visible documents again (after trust is granted they run). */
export function refreshCodeLenses(client: LanguageClient): void {
  const feature = client.getFeature(CodeLensRequest.method);
  for (const editor of vscode.window.visibleTextEditors)
    feature.getProvider(editor.document)?.onDidChangeCodeLensEmitter.fire();
}

export function createLanguageClient(
  extensionUri: vscode.Uri,
  log: vscode.LogOutputChannel,
  /** Rewrites a lens before it is shown (the Run lens's plan count, planLens.ts). */
  decorateLens: (lens: vscode.CodeLens) => vscode.CodeLens = (lens) => lens,
): LanguageClient {
  const serverModule = vscode.Uri.joinPath(extensionUri, 'dist', 'server', 'server.js').fsPath;
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: {
      module: serverModule,
      transport: TransportKind.ipc,
      options: { execArgv: ['--nolazy', '--inspect=6019'] },
    },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector,
    outputChannel: log,
    // No synchronize.fileEvents: the server registers the file watchers it wants (dynamic registration).
    middleware: {
      provideCodeLenses: async (document, token, next) => {
        if (!vscode.workspace.getConfiguration('plumb').get<boolean>('codeLens.enabled', true)) return [];
        const lenses = await next(document, token);
        return lenses?.map((lens) => decorateLens(labelUntrustedLens(lens)));
      },
      resolveCodeLens: async (lens, token, next) => {
        const resolved = await next(lens, token);
        return resolved ? decorateLens(labelUntrustedLens(resolved)) : resolved;
      },
    },
  };
  return new LanguageClient('plumb', 'Plumb Language Server', serverOptions, clientOptions);
}
