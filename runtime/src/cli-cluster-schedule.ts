// `plumb schedule --cluster <url> [--remove]`: plumb.toml's schedules handed to the cluster's queue
// (plumb-cluster's schedules.ts: one BullMQ job scheduler per schedule item, fired by any worker),
// instead of run by one `plumb schedule` process on one machine. Run again after editing plumb.toml.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from './cli-args';
import { configuredRedis, isClusterValue } from './cli-cluster-url';
import { ConfigError, loadConfig } from './config';
import { EXIT_CODES } from './events';
import { itemName, runArguments, scheduleItems } from './operations/schedule-plan';
import { findProjectRoot } from './project-root';

export const CLUSTER_SCHEDULE_HELP = `usage: plumb schedule --cluster [<redis-url>] [--remove]

Registers plumb.toml's schedules with the cluster: every plumb worker takes their fires, so no host is
special and a dead host loses no schedule. Run it again after editing the schedules (it replaces what
this project registered before); --remove takes them all off the queue. Without a URL (or with
\`env\`): PLUMB_REDIS_URL, else plumb.toml [cluster] redis.

exit codes: 0 registered (or removed), ${EXIT_CODES.error} usage error (command line, plumb.toml, plumb-cluster not
installed), ${EXIT_CODES.crashed} plumb itself crashed
`;

/** The fire's `plumb run` arguments, from plumb.toml as it is now (plumb worker calls it). */
export function fireRunArguments(projectRoot: string, item: string, at: Date): string[] | undefined {
  const config = loadConfig(projectRoot);
  const found = config.schedules.flatMap(scheduleItems).find((i) => itemName(i) === item);
  return found ? runArguments({ item: found, at }) : undefined;
}

export async function clusterScheduleCommand(
  argv: string[],
  cluster: {
    registerSchedules(
      redis: string,
      projectRoot: string,
      entries: { item: string; cron: string; timezone: string }[],
    ): Promise<{ registered: string[]; removed: string[] }>;
  },
  settings: () => Record<string, unknown>,
): Promise<number> {
  let redis: string | undefined;
  let remove = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--cluster' || arg.startsWith('--cluster=')) {
      if (arg.includes('=')) redis = arg.slice('--cluster='.length);
      else if (isClusterValue(argv[i + 1])) redis = argv[++i];
    } else if (arg === '--remove') remove = true;
    else
      throw new UsageError(
        `plumb schedule --cluster takes --remove only, not '${arg}'\n\n${CLUSTER_SCHEDULE_HELP}`,
      );
  }
  if (!redis || redis === 'env') redis = configuredRedis(settings);
  if (!redis)
    throw new UsageError(
      '--cluster needs a Redis URL (or `env` for PLUMB_REDIS_URL, or plumb.toml [cluster] redis)',
    );
  const projectRoot = findProjectRoot(process.cwd()) ?? process.cwd();
  const config = loadConfig(projectRoot);
  if (!remove && config.schedules.length === 0)
    throw new UsageError(
      `no schedules in ${config.file ?? path.join(projectRoot, 'plumb.toml')} (add a [[schedules]] table)`,
    );
  for (const s of config.schedules)
    if (!existsSync(path.resolve(projectRoot, s.pipeline)))
      throw new ConfigError(
        config.file!,
        undefined,
        `schedules.${s.name}.pipeline`,
        `no such file: ${s.pipeline}`,
      );
  const entries = remove
    ? []
    : config.schedules.flatMap(scheduleItems).map((i) => ({
        item: itemName(i),
        cron: i.schedule.cron,
        timezone: i.schedule.timezone,
      }));
  const { registered, removed } = await cluster.registerSchedules(redis, projectRoot, entries);
  for (const item of registered) process.stdout.write(`plumb schedule: ${item} is on the cluster's queue\n`);
  for (const item of removed) process.stdout.write(`plumb schedule: ${item} taken off the cluster's queue\n`);
  return 0;
}
