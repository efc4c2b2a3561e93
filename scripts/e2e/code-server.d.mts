// Types of code-server.mjs for the TypeScript end-to-end suite.
export declare const quietSettings: Record<string, unknown>;
export declare function freePort(): Promise<number>;
export interface CodeServer {
  baseUrl: string;
  port: number;
  dir: string;
  extensionsDir: string;
  logFile: string;
  pid: number;
  folderUrl(folder: string): string;
  remoteUri(absPath: string): string;
  stop(): Promise<void>;
}
export declare function startCodeServer(options?: {
  vsix?: string;
  port?: number;
  settings?: Record<string, unknown>;
  dir?: string;
  log?: (message: string) => void;
  /** Default true: SIGINT/SIGTERM/SIGHUP kill the server at once (see code-server.mjs). */
  handleSignals?: boolean;
}): Promise<CodeServer>;
