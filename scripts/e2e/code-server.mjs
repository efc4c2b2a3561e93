// Starts and stops code-server (the real VS Code workbench served to a browser) on 127.0.0.1 with
// no auth and fresh user-data, extensions and config folders, optionally with a .vsix installed.
// Shared by the end-to-end suite and `npm start`. The server runs in its own process group so
// stop() (and an exiting parent) can kill it with everything it spawned.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { codeServerEntry, nodeBin } from './tools.mjs';

/** Settings that keep the workbench quiet: no AI chat, no welcome page, no secondary side bar. */
export const quietSettings = {
  'chat.disableAIFeatures': true,
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
};

export async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForHealthz(baseUrl, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`code-server exited with ${child.exitCode} before it listened`);
    try {
      const response = await globalThis.fetch(`${baseUrl}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`code-server did not answer ${baseUrl}/healthz within ${timeoutMs} ms`);
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/**
 * @param {{ vsix?: string, port?: number, settings?: Record<string, unknown>, dir?: string,
 *   log?: (message: string) => void, handleSignals?: boolean }} options
 *   handleSignals (default true): SIGINT, SIGTERM and SIGHUP of this process kill the server at
 *   once and end the process (after 3 s when other handlers listen too); false when the caller
 *   stops the server itself on those signals, as `npm start` does.
 */
export async function startCodeServer(options = {}) {
  const log = options.log ?? (() => {});
  const dir = options.dir ?? mkdtempSync(path.join(os.tmpdir(), 'plumb-code-server-'));
  const ownsDir = options.dir === undefined;
  const userDataDir = path.join(dir, 'user-data');
  const extensionsDir = path.join(dir, 'extensions');
  const configFile = path.join(dir, 'config.yaml');
  const logFile = path.join(dir, 'code-server.log');
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...quietSettings, ...options.settings }, null, 2),
  );
  writeFileSync(configFile, 'auth: none\ncert: false\n');
  // Without these code-server writes its config and state into the home folder.
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: path.join(dir, 'xdg', 'config'),
    XDG_DATA_HOME: path.join(dir, 'xdg', 'data'),
  };
  const common = ['--config', configFile, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];

  if (options.vsix) {
    const started = Date.now();
    const result = spawnSync(nodeBin, [codeServerEntry, ...common, '--install-extension', options.vsix], {
      env,
      encoding: 'utf8',
    });
    if (result.status !== 0) {
      throw new Error(
        `installing ${options.vsix} failed (exit ${result.status}):\n${result.stdout}${result.stderr}`,
      );
    }
    log(`installed ${path.basename(options.vsix)} in ${Date.now() - started} ms`);
  }

  const port = options.port ?? (await freePort());
  const baseUrl = `http://127.0.0.1:${port}`;
  const out = openSync(logFile, 'a');
  const child = spawn(
    nodeBin,
    [
      codeServerEntry,
      ...common,
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      // Required for the extension-host test payload; without it the payload is ignored.
      '--vscode-option',
      'enable-smoke-test-driver',
    ],
    { env, detached: true, stdio: ['ignore', out, out] },
  );
  // Whatever happens to the parent, the server does not outlive it: a signal's default action ends
  // a process without its 'exit' event, so signals are caught too.
  const killOnExit = () => {
    killGroup(child.pid, 'SIGKILL');
    if (ownsDir) rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', killOnExit);
  const signals = options.handleSignals === false ? [] : ['SIGINT', 'SIGTERM', 'SIGHUP'];
  // The process then ends as the signal would have ended it; other handlers (Playwright closes its
  // browsers on these signals but does not exit on SIGTERM) get a moment to finish first.
  const onSignal = (signal) => {
    killOnExit();
    const code = 128 + os.constants.signals[signal];
    if (process.listenerCount(signal) === 1) process.exit(code);
    setTimeout(() => process.exit(code), 3000).unref();
  };
  for (const signal of signals) process.on(signal, onSignal);
  const exited = new Promise((resolve) => child.once('exit', resolve));

  async function stop() {
    process.off('exit', killOnExit);
    for (const signal of signals) process.off(signal, onSignal);
    if (child.exitCode === null && child.signalCode === null) {
      killGroup(child.pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    // Helpers the server spawned (extension host, language servers) share its group.
    killGroup(child.pid, 'SIGKILL');
    if (ownsDir) rmSync(dir, { recursive: true, force: true });
  }

  try {
    const started = Date.now();
    await waitForHealthz(baseUrl, child, 30_000);
    log(`code-server listening on ${baseUrl} after ${Date.now() - started} ms (log: ${logFile})`);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    baseUrl,
    port,
    dir,
    extensionsDir,
    logFile,
    pid: child.pid,
    /** The workbench URL for a folder on this machine. */
    folderUrl: (folder) => `${baseUrl}/?folder=${encodeURIComponent(folder)}`,
    /** A vscode-remote URI for a path on this machine, as the workbench's payload wants it. */
    remoteUri: (absPath) => `vscode-remote://127.0.0.1:${port}${absPath}`,
    stop,
  };
}
