// The entry point of an isolated-task pool member (bundled beside cli.js as cli-member.js): only
// what running attempts needs — the runtime library the pipeline imports and the member loop — so a
// member starts without loading, compiling and initialising the CLI's commands. Same command line
// as `plumb __task <init>`, which stays the fallback where this bundle is not beside the CLI.
import './cli-heap'; // first, as in cli.ts: the heap policy applies before anything allocates
import { EXIT_CODES } from './events';
import { runIsolatedChild } from './cli-isolate-member';

/** The member's own crash (between attempts; during one the run guard blames the attempt): as cli.ts. */
function crash(e: unknown): never {
  process.stderr.write(`plumb: crashed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(EXIT_CODES.crashed);
}

for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (e: unknown) => {
    if (process.listenerCount(event) > 1) return;
    crash(e);
  });
}

if (process.argv[2] !== '__task') crash(new Error('usage: cli-member.js __task <init>'));
runIsolatedChild(process.argv[3] ?? '{}').then((code) => process.exit(code), crash);
