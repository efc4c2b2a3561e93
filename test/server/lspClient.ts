// A minimal LSP client for protocol tests: starts the built server (dist/server/server.js) as a
// child process, speaks JSON-RPC over its stdio, and records what the server publishes.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import {
  createProtocolConnection,
  DidChangeWatchedFilesNotification,
  InitializeRequest,
  InitializedNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ErrorCodes,
  ResponseError,
  type Diagnostic,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol';
import { GraphChangedNotificationMethod, type GraphChangedParams } from '../../server/src/protocol';

/** The built server; PLUMB_SERVER_BUNDLE names another build (an older commit's, to see a test fail without a fix). */
export const serverBundle =
  process.env.PLUMB_SERVER_BUNDLE ?? path.resolve(import.meta.dirname, '../../dist/server/server.js');

export class LspClient {
  readonly connection: ProtocolConnection;
  readonly diagnostics = new Map<string, Diagnostic[]>();
  readonly graphChanges: GraphChangedParams[] = [];
  readonly logs: string[] = [];
  /** The file watchers the server asked the client to register (as VS Code's client would). */
  readonly watcherRegistrations: unknown[] = [];
  private readonly child: ChildProcess;
  private waiters: (() => void)[] = [];
  private registrationsHeld: Promise<void> = Promise.resolve();
  private registrationsRefused = false;
  exited = false;

  constructor(env: Record<string, string> = {}) {
    this.child = spawn(process.execPath, [serverBundle, '--stdio'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, PLUMB_DEBOUNCE_MS: '20', ...env },
    });
    this.child.on('exit', () => {
      this.exited = true;
      this.notify();
    });
    this.child.stderr!.on('data', (d: Buffer) => this.logs.push(d.toString()));
    this.connection = createProtocolConnection(
      new StreamMessageReader(this.child.stdout!),
      new StreamMessageWriter(this.child.stdin!),
    );
    this.connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.diagnostics.set(p.uri, p.diagnostics);
      this.notify();
    });
    this.connection.onNotification(GraphChangedNotificationMethod, (p: GraphChangedParams) => {
      this.graphChanges.push(p);
      this.notify();
    });
    this.connection.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
    });
    this.connection.onRequest(RegistrationRequest.type, async (p) => {
      for (const r of p.registrations)
        if (r.method === DidChangeWatchedFilesNotification.method) this.watcherRegistrations.push(r);
      this.notify();
      await this.registrationsHeld;
      if (this.registrationsRefused)
        throw new ResponseError(ErrorCodes.InternalError, 'refused by the test client');
    });
    this.connection.listen();
  }

  /**
   * `watchesFiles`: say the client registers file watchers itself (as VS Code does); the test then
   * sends the workspace/didChangeWatchedFiles notifications, and the server runs no watcher of its own.
   */
  async initialize(root: string, { watchesFiles = false } = {}): Promise<void> {
    await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(root).href,
      workspaceFolders: [{ uri: pathToFileURL(root).href, name: path.basename(root) }],
      capabilities: {
        textDocument: { publishDiagnostics: { relatedInformation: true } },
        ...(watchesFiles && { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } }),
      },
    });
    await this.connection.sendNotification(InitializedNotification.type, {});
  }

  /** Acks no registration until the returned function is called (a client slow to set up watchers). */
  holdRegistrations(): () => void {
    let release!: () => void;
    this.registrationsHeld = new Promise((resolve) => (release = resolve));
    return release;
  }

  /** Answers every registration (held or later) with an error, as a client that refuses them does. */
  refuseRegistrations(): void {
    this.registrationsRefused = true;
  }

  /** Resolves once `predicate` holds, checking after every notification; rejects after `ms`. */
  async waitFor<T>(what: string, predicate: () => T | undefined | false, ms = 15_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = predicate();
      if (value) return value;
      if (this.exited) throw new Error(`server exited while waiting for ${what}\n${this.logs.join('')}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}\n${this.logs.join('')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Diagnostic messages may be markup in LSP 3.18; ours are plain strings. */
  static message(d: Diagnostic): string {
    return typeof d.message === 'string' ? d.message : d.message.value;
  }

  diagnosticsOf(file: string): Diagnostic[] {
    return this.diagnostics.get(pathToFileURL(file).href) ?? [];
  }

  async stop(): Promise<void> {
    if (!this.exited) {
      try {
        await Promise.race([
          this.connection.sendRequest('shutdown').then(() => this.connection.sendNotification('exit')),
          new Promise((r) => setTimeout(r, 2000)),
        ]);
      } catch {
        // already gone
      }
    }
    await new Promise((r) => setTimeout(r, 50));
    if (!this.exited) this.child.kill();
    this.connection.dispose();
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
