// Where a command finds its cluster's Redis URL: `--cluster <url>`, or `--cluster` alone (or `env`)
// for PLUMB_REDIS_URL, else plumb.toml's [cluster] redis. Shared by plumb run and plumb schedule.
import { UsageError } from './cli-args';

/** Whether `arg` is --cluster's value: a URL (connectionOf says which schemes), host:port or `env`. */
export function isClusterValue(arg: string | undefined): boolean {
  return arg !== undefined && (arg === 'env' || arg.includes('://') || /^[\w.-]+:\d+$/.test(arg));
}

/** The cluster of `--cluster` alone (or `env`): PLUMB_REDIS_URL, else plumb.toml's [cluster] redis. */
export function configuredRedis(settings: () => Record<string, unknown>): string | undefined {
  if (process.env.PLUMB_REDIS_URL) return process.env.PLUMB_REDIS_URL;
  const configured = settings().redis;
  if (configured !== undefined && typeof configured !== 'string')
    throw new UsageError('plumb.toml [cluster] redis must be a string (redis://host:port)');
  return configured;
}
