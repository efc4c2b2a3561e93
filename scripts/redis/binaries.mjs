// Where this machine's redis-server is: Debian installs it as /usr/bin/redis-server; PLUMB_REDIS_SERVER
// overrides (a build of its own, another prefix).
import { existsSync } from 'node:fs';

/** The redis-server binary, or undefined when none is installed. */
export function findRedisServer() {
  const override = process.env.PLUMB_REDIS_SERVER;
  if (override) return existsSync(override) ? override : undefined;
  for (const candidate of ['/usr/bin/redis-server', '/usr/local/bin/redis-server'])
    if (existsSync(candidate)) return candidate;
  return undefined;
}
