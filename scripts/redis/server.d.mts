// Types of server.mjs for the TypeScript tests and benchmark.
export interface RedisServer {
  /** redis://127.0.0.1:<port> */
  url: string;
  host: string;
  port: number;
  dir: string;
  pid: number;
  stop(): Promise<void>;
}
export declare function freePort(): Promise<number>;
export declare function startRedis(options?: {
  port?: number;
  bind?: string[];
  persist?: boolean;
}): Promise<RedisServer>;
