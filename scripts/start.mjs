// `npm start`: packages the extension, starts the same real VS Code the end-to-end suite uses
// (code-server) on the example pipeline with the .vsix installed, prints the URL to open, and runs
// until Ctrl+C. The page opens on the example's pipeline.ts with its graph beside it. Needs no root
// and no browser (only the tests drive one). `npm start -- --pipeline` (`npm run start:pipeline`)
// runs the example in the terminal only. `--port N` (or PORT) picks the port; default 8080, or a
// free one when it is taken.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { freePort, startCodeServer } from './e2e/code-server.mjs';
import { projectRoot } from './e2e/tools.mjs';
import { vsixPath } from './package.mjs';

const example = path.join(projectRoot, 'examples', 'top-artists');
const args = process.argv.slice(2);
const log = (message) => console.log(`start: ${message}`);

function step(script, ...scriptArgs) {
  const result = spawnSync(process.execPath, [path.join(projectRoot, script), ...scriptArgs], {
    cwd: projectRoot,
    stdio: 'inherit',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

async function portToUse() {
  const index = args.indexOf('--port');
  const asked = Number(index >= 0 ? args[index + 1] : process.env.PORT);
  if (asked > 0) return asked;
  const net = await import('node:net');
  const taken = await new Promise((resolve) => {
    const probe = net.createServer().once('error', () => resolve(true));
    probe.listen(8080, '127.0.0.1', () => probe.close(() => resolve(false)));
  });
  return taken ? freePort() : 8080;
}

/** The example folder with pipeline.ts open (the workbench's `payload` opens files). */
function firstScreenUrl(server) {
  const payload = JSON.stringify([['openFile', server.remoteUri(path.join(example, 'pipeline.ts'))]]);
  return `${server.folderUrl(example)}&payload=${encodeURIComponent(payload)}`;
}

if (args.includes('--pipeline')) {
  // The example's own entry (examples/top-artists/plumb.toml supplies the parameters).
  step('scripts/build.mjs');
  step('runtime/dist/cli.js', 'run', path.join(example, 'pipeline.ts'), 'All');
} else {
  step('scripts/e2e/setup.mjs', '--no-browser');
  step('scripts/package.mjs');
  // Ctrl+C stops code-server gracefully (SIGTERM, then SIGKILL), so startCodeServer leaves the
  // signals to this script. Before it listens, exiting is enough: its 'exit' hook kills it.
  let server;
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    log('stopping code-server…');
    await server?.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // The extension host inherits this: once the example's tasks are known, Plumb opens the graph.
  process.env.PLUMB_START_GRAPH = '1';
  server = await startCodeServer({ vsix: vsixPath, port: await portToUse(), log, handleSignals: false });
  console.log(
    `\nPlumb is running in VS Code on the example pipeline. Open:\n\n  ${firstScreenUrl(server)}\n`,
  );
  console.log('Press Ctrl+C to stop.');
}
