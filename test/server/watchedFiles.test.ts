// The built server told of disk changes only by the client's file watchers, as VS Code tells it: a
// folder of 60 inter-importing task files written at once, then deleted, settles to what a fresh
// analysis of the same folder says; files changed before the watchers were in place are not missed;
// a client that refuses the watchers leaves the server watching the folders itself.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  DidChangeWatchedFilesNotification,
  FileChangeType,
  type FileEvent,
} from 'vscode-languageserver-protocol';
import { TasksRequestMethod, type TasksRequestResult } from '../../server/src/protocol';
import { analyseFolder } from './fixtureWorkspace';
import { LspClient, serverBundle } from './lspClient';

const LAYERS = 60;

/** Layer k: two tasks, each requiring one of layer k - 1 and one further down (layer 0: external data). */
function layerText(k: number): string {
  const lines = [`import { ExternalTask, LocalTarget, Task } from 'plumb-pipelines';`];
  if (k === 0) {
    for (const t of [0, 1])
      lines.push(
        `export class L0T${t} extends ExternalTask {`,
        `  output() { return new LocalTarget('deep/data/raw${t}.tsv'); }`,
        `}`,
      );
    return lines.join('\n') + '\n';
  }
  const far = Math.max(0, k - 2 - ((k * 7) % 20));
  lines.push(`import { L${k - 1}T0, L${k - 1}T1 } from './layer${k - 1}';`);
  if (far !== k - 1) lines.push(`import { L${far}T0, L${far}T1 } from './layer${far}';`);
  for (const t of [0, 1])
    lines.push(
      `export class L${k}T${t} extends Task {`,
      `  requires() { return [new L${k - 1}T${t}(), new L${far}T${1 - t}()]; }`,
      `  output() { return new LocalTarget('out/l${k}t${t}.tsv'); }`,
      `}`,
    );
  return lines.join('\n') + '\n';
}

/** Each published diagnostic as one line (file, line, code, message), sorted. */
function published(client: LspClient, root: string): string[] {
  return [...client.diagnostics]
    .flatMap(([uri, list]) =>
      list.map(
        (d) =>
          `${path.relative(root, new URL(uri).pathname)}:${d.range.start.line} ${d.code} ${LspClient.message(d)}`,
      ),
    )
    .sort();
}

/** The same lines from an analysis of the folder as it is on disk now, in a fresh workspace. */
function fresh(root: string): string[] {
  const { result } = analyseFolder(root);
  return [...result.diagnosticsByUri().values()]
    .flat()
    .map(
      (d) => `${path.relative(root, new URL(d.uri).pathname)}:${d.range.start.line} ${d.code} ${d.message}`,
    )
    .sort();
}

describe('language server told of files by the client watchers', { timeout: 60_000 }, () => {
  let client: LspClient;
  let root: string;

  before(async () => {
    assert.ok(fs.existsSync(serverBundle), 'run `npm run build` first');
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-watched-')));
    // A task outside the new folder reads data the burst writes into it.
    fs.writeFileSync(
      path.join(root, 'pipeline.ts'),
      [
        `import { ExternalTask, LocalTarget } from 'plumb-pipelines';`,
        `export class Upstream extends ExternalTask {`,
        `  output() { return new LocalTarget('deep/data/raw0.tsv'); }`,
        `}`,
        '',
      ].join('\n'),
    );
    client = new LspClient();
    await client.initialize(root, { watchesFiles: true });
    await client.waitFor('the watcher registration', () => client.watcherRegistrations.length > 0);
  });

  after(async () => {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const send = (changes: [string, FileEvent['type']][]) =>
    client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: changes.map(([file, type]) => ({ uri: pathToFileURL(file).href, type })),
    });

  /** Waits until what the server published equals a fresh analysis; on timeout shows the difference. */
  const settlesToFresh = async (what: string) => {
    const expected = fresh(root);
    try {
      await client.waitFor(
        what,
        () => JSON.stringify(published(client, root)) === JSON.stringify(expected),
        4000,
      );
    } catch {
      assert.deepEqual(published(client, root), expected, what);
    }
  };

  it('analyses every file of a folder written at once, whatever events the watcher delivered', async () => {
    await settlesToFresh('the diagnostics before the burst');
    const deep = path.join(root, 'deep');
    const layer = (k: number) => path.join(deep, `layer${k}.ts`);
    // VS Code's watcher (parcel, inotify) starts watching a new folder only once it has seen the
    // folder appear: files written into it before then are never reported, only the folder is.
    fs.mkdirSync(path.join(deep, 'data'), { recursive: true });
    fs.writeFileSync(path.join(deep, 'data', 'raw0.tsv'), 'x\n');
    for (let k = 0; k < 10; k++) fs.writeFileSync(layer(k), layerText(k));
    fs.writeFileSync(path.join(deep, 'report.ts'), layerText(LAYERS)); // imported by none
    await send([[deep, FileChangeType.Created]]);
    // The rest are reported, in batches as the client's delayer sends them, each created while
    // half-written and changed once complete.
    for (let k = 10; k < LAYERS; k += 10) {
      const batch = Array.from({ length: 10 }, (_, i) => k + i);
      for (const j of batch) fs.writeFileSync(layer(j), layerText(j).slice(0, 80));
      await send(batch.map((j) => [layer(j), FileChangeType.Created]));
      for (const j of batch) fs.writeFileSync(layer(j), layerText(j));
      await send(batch.map((j) => [layer(j), FileChangeType.Changed]));
    }
    await settlesToFresh('the diagnostics after the burst');
    assert.ok(
      !published(client, root).some((line) => line.includes('not a task')),
      published(client, root).join('\n'),
    );
  });

  it('forgets every file of a deleted folder, reported as one event for the folder', async () => {
    fs.rmSync(path.join(root, 'deep'), { recursive: true });
    // VS Code drops the events of a deleted folder's children: only the folder's own is sent.
    await send([[path.join(root, 'deep'), FileChangeType.Deleted]]);
    await settlesToFresh('the diagnostics after the folder is deleted');
    assert.ok(published(client, root).some((line) => line.includes('plumb.missing-external-data')));
  });
});

const taskText = (name: string) =>
  `import { LocalTarget, Task } from 'plumb-pipelines';\n` +
  `export class ${name} extends Task {\n  output() { return new LocalTarget('out/${name}.txt'); }\n}\n`;

describe('language server starting while files change', { timeout: 30_000 }, () => {
  it('sees the files written, changed and deleted after its scan and before the watchers were acked', async () => {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-startup-')));
    fs.writeFileSync(path.join(root, 'pipeline.ts'), taskText('A'));
    fs.writeFileSync(path.join(root, 'gone.ts'), taskText('Gone'));
    const client = new LspClient();
    try {
      const release = client.holdRegistrations();
      await client.initialize(root, { watchesFiles: true });
      // The first graph is published after the scan; the registration is still unacked.
      await client.waitFor('the first graph', () => client.graphChanges.length > 0);
      await client.waitFor('the watcher registration', () => client.watcherRegistrations.length > 0);
      const tasks = async () =>
        (await client.connection.sendRequest<TasksRequestResult>(TasksRequestMethod, {}))
          .map((t) => t.family)
          .sort();
      assert.deepEqual(await tasks(), ['A', 'Gone']);
      const published = client.graphChanges.length;
      // Nothing imports these files, and no watcher will ever report them.
      fs.writeFileSync(path.join(root, 'late.ts'), taskText('Late'));
      fs.writeFileSync(path.join(root, 'pipeline.ts'), taskText('Renamed'));
      fs.rmSync(path.join(root, 'gone.ts'));
      release();
      await client.waitFor('a graph after the ack', () => client.graphChanges.length > published, 5000);
      assert.deepEqual(await tasks(), ['Late', 'Renamed']);
    } finally {
      await client.stop();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('language server whose client refuses the file watchers', { timeout: 30_000 }, () => {
  it('watches the folders itself: sees files written before the refusal and after it', async () => {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-refused-')));
    fs.writeFileSync(path.join(root, 'pipeline.ts'), taskText('A'));
    const client = new LspClient();
    /** Asks for the task families until they are `expected`; after 8 s fails showing the last answer. */
    const tasksBecome = async (expected: string[], what: string) => {
      const deadline = Date.now() + 8000;
      for (;;) {
        const families = (await client.connection.sendRequest<TasksRequestResult>(TasksRequestMethod, {}))
          .map((t) => t.family)
          .sort();
        if (JSON.stringify(families) === JSON.stringify(expected) || Date.now() > deadline)
          return assert.deepEqual(families, expected, what);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    try {
      const release = client.holdRegistrations();
      await client.initialize(root, { watchesFiles: true });
      await client.waitFor('the watcher registration', () => client.watcherRegistrations.length > 0);
      await tasksBecome(['A'], 'the tasks of the scan');
      fs.writeFileSync(path.join(root, 'early.ts'), taskText('Early'));
      client.refuseRegistrations();
      release();
      // Its own watchers are in place before it lists the folders again, so once the file written
      // before the refusal is known, a file written now can be seen only by them.
      await tasksBecome(['A', 'Early'], 'the file written before the refusal');
      fs.mkdirSync(path.join(root, 'later'));
      fs.writeFileSync(path.join(root, 'later', 'late.ts'), taskText('Late'));
      await tasksBecome(['A', 'Early', 'Late'], 'the file written after the refusal');
    } finally {
      await client.stop();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
