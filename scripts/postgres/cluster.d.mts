// Types of cluster.mjs for the TypeScript tests and benchmark.
export interface ClusterSettings {
  dir: string;
  bin: string;
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}
export interface Cluster extends ClusterSettings {
  /** PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE. */
  env: Record<string, string>;
  /** Runs SQL through psql over the socket as the superuser; returns its unaligned, tuples-only output. */
  psql(sql: string, database?: string): string;
  stop(options?: { keep?: boolean }): void;
}
export declare function freePort(): Promise<number>;
export declare function startCluster(options?: {
  dir?: string;
  password?: string;
  port?: number;
}): Promise<Cluster>;
export declare function openCluster(dir: string): Cluster;
