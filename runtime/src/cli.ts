// The `plumb` command line (placeholder until the runtime issue lands the real CLI).
import { EVENT_SCHEMA_VERSION } from './events';

console.log(`plumb (event schema v${EVENT_SCHEMA_VERSION})`);
