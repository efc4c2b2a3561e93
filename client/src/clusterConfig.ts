// Whether a project has a cluster to run on, and its Redis URL: the plumb.cluster.redisUrl setting,
// else plumb.toml's [cluster] redis (the same section plumb worker reads). vscode-free: tested in node.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'smol-toml';

/** The `redis` of plumb.toml's [cluster], when the text has one (an unreadable file has none). */
export function clusterRedisOf(tomlText: string): string | undefined {
  try {
    const cluster = (parse(tomlText) as { cluster?: { redis?: unknown } }).cluster;
    return typeof cluster?.redis === 'string' && cluster.redis !== '' ? cluster.redis : undefined;
  } catch {
    return undefined;
  }
}

/** The Redis URL a "Run on cluster" of a task in `projectRoot` uses, or undefined: no cluster there. */
export function clusterUrl(projectRoot: string, setting: string | undefined): string | undefined {
  if (setting?.trim()) return setting.trim();
  try {
    return clusterRedisOf(readFileSync(path.join(projectRoot, 'plumb.toml'), 'utf8'));
  } catch {
    return undefined;
  }
}
