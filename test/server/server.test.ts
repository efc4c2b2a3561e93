// The built language server over real LSP on stdio: diagnostics for a workspace, edits, files
// appearing on disk, code lenses, hover, quick fixes and the plumb/* requests.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  CodeActionRequest,
  CodeLensRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentSymbolRequest,
  HoverRequest,
  type CodeAction,
  type DocumentSymbol,
  type MarkupContent,
} from 'vscode-languageserver-protocol';
import {
  ClientCommands,
  GraphRequestMethod,
  TaskAtRequestMethod,
  TasksRequestMethod,
  type GraphRequestResult,
  type TaskAtRequestResult,
  type TasksRequestResult,
} from '../../server/src/protocol';
import { copyFixture } from './fixtureWorkspace';
import { LspClient, serverBundle } from './lspClient';

describe('language server over stdio', { timeout: 60_000 }, () => {
  let client: LspClient;
  let root: string;
  let dispose: () => void;

  before(async () => {
    assert.ok(fs.existsSync(serverBundle), 'run `npm run build` first');
    ({ root, dispose } = copyFixture('problems'));
    client = new LspClient();
    await client.initialize(root);
  });

  after(async () => {
    await client.stop();
    dispose();
  });

  it('publishes pipeline diagnostics for files it was never sent', async () => {
    const external = path.join(root, 'external.ts');
    const diagnostics = await client.waitFor('diagnostics of external.ts', () => {
      const list = client.diagnosticsOf(external);
      return list.length > 0 && list;
    });
    const codes = diagnostics.map((d) => d.code).sort();
    assert.ok(codes.includes('plumb.missing-external-data'), codes.join(','));
    assert.ok(codes.includes('plumb.no-output'));
    assert.ok(diagnostics.every((d) => d.source === 'plumb'));
  });

  it('answers plumb/tasks and plumb/graph', async () => {
    const tasks = await client.connection.sendRequest<TasksRequestResult>(TasksRequestMethod, {});
    assert.ok(tasks.some((t) => t.family === 'Report' && t.params[0]!.name === 'date'));
    const graph = await client.connection.sendRequest<GraphRequestResult>(GraphRequestMethod, {});
    assert.ok(graph.edges.some((e) => e.from.endsWith('#Report') && e.to.endsWith('#Sales')));
    assert.equal(graph.nodes.find((n) => n.family === 'Sales')!.missingExternal, true);
    const uri = pathToFileURL(path.join(root, 'external.ts')).href;
    const near = await client.connection.sendRequest<GraphRequestResult>(GraphRequestMethod, {
      focus: { uri, family: 'Sales' },
      depth: 1,
    });
    assert.equal(near.focus, `${uri}#Sales`);
    assert.deepEqual(near.nodes.map((n) => n.family).sort(), ['Report', 'Sales', 'Weekly']);
  });

  it('follows an edit of an open document and announces the new graph', async () => {
    const file = path.join(root, 'external.ts');
    const uri = pathToFileURL(file).href;
    const text = fs.readFileSync(file, 'utf8');
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'typescript', version: 1, text },
    });
    const changesBefore = client.graphChanges.length;
    // Make Present require Report, which requires Present: a cycle appears.
    const marker = "return new LocalTarget('data/present.csv');";
    const line = text.split('\n').findIndex((l) => l.includes(marker));
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 },
      contentChanges: [
        {
          range: { start: { line, character: 0 }, end: { line, character: 0 } },
          text: "  }\n  requires() {\n    return new Report({ date: '2026-01-01' });\n",
        },
      ],
    });
    const cycle = await client.waitFor('a cycle diagnostic', () =>
      client.diagnosticsOf(file).find((d) => d.code === 'plumb.cycle'),
    );
    assert.match(LspClient.message(cycle), /Present → Report → Present|Report → Present → Report/);
    assert.ok(cycle.relatedInformation!.length >= 2);
    await client.waitFor('plumb/graphChanged', () => client.graphChanges.length > changesBefore);
    const tasks = await client.connection.sendRequest<TasksRequestResult>(TasksRequestMethod, {});
    assert.ok(tasks.length > 0);
    const graph = await client.connection.sendRequest<GraphRequestResult>(GraphRequestMethod, {});
    assert.ok(graph.cycles.length >= 1);
  });

  it('clears the missing-data warning when the file lands on disk, and restores it on delete', async () => {
    const external = path.join(root, 'external.ts');
    const hasMissing = () =>
      client.diagnosticsOf(external).some((d) => d.code === 'plumb.missing-external-data');
    await client.waitFor('missing data warning', hasMissing);
    const data = path.join(root, 'data', 'sales_2026-11-03.csv');
    fs.writeFileSync(data, 'x');
    await client.waitFor('the warning to clear', () => !hasMissing());
    fs.rmSync(data);
    await client.waitFor('the warning to return', hasMissing);
  });

  it('picks up a pipeline file created on disk, and forgets it when deleted', async () => {
    const file = path.join(root, 'late.ts');
    const hasLate = async () =>
      (await client.connection.sendRequest<TasksRequestResult>(TasksRequestMethod, {})).some(
        (t) => t.family === 'Late',
      );
    fs.writeFileSync(
      file,
      [
        "import { Task, LocalTarget } from 'plumb-pipelines';",
        "import { Report } from './external';",
        'export class Late extends Task {',
        "  requires() { return new Report({ date: '2026-11-01' }); }",
        "  output() { return new LocalTarget('data/late.txt'); }",
        '}',
        '',
      ].join('\n'),
    );
    const deadline = Date.now() + 15_000;
    while (!(await hasLate())) {
      assert.ok(Date.now() < deadline, 'Late never appeared in plumb/tasks');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const graph = await client.connection.sendRequest<GraphRequestResult>(GraphRequestMethod, {});
    assert.ok(graph.edges.some((e) => e.from.endsWith('#Late') && e.to.endsWith('#Report')));
    fs.rmSync(file);
    while (await hasLate()) {
      assert.ok(Date.now() < deadline, 'Late stayed in plumb/tasks after its file was deleted');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  it('gives code lenses with the client command ids and the upstream/downstream counts', async () => {
    const uri = pathToFileURL(path.join(root, 'external.ts')).href;
    const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } });
    const forReport = lenses!.filter(
      (l) => (l.command?.arguments?.[0] as { family: string }).family === 'Report',
    );
    const titles = forReport.map((l) => l.command!.title);
    // Report has a date parameter: Backfill… (a range over it) comes with Run.
    assert.deepEqual(titles.slice(0, 5), ['▶ Run', 'Debug', 'Run this task only', 'Backfill…', 'Graph']);
    assert.match(titles[5]!, /^↑ \d+ upstream · ↓ \d+ downstream$/);
    assert.equal(forReport[3]!.command!.command, ClientCommands.backfill);
    const forLatest = lenses!.filter(
      (l) => (l.command?.arguments?.[0] as { family: string }).family === 'LatestReport',
    );
    assert.ok(
      forLatest.some((l) => l.command!.title === '▶ Run') &&
        !forLatest.some((l) => l.command!.title === 'Backfill…'),
      'no date parameter, no backfill',
    );
    assert.equal(forReport[0]!.command!.command, ClientCommands.run);
    assert.deepEqual(forReport[0]!.command!.arguments, [{ uri, family: 'Report' }]);
    const forSales = lenses!.filter(
      (l) => (l.command?.arguments?.[0] as { family: string }).family === 'Sales',
    );
    assert.ok(!forSales.some((l) => l.command!.title === '▶ Run'), 'external data cannot be run');
  });

  it('hovers a task name with its parameters, outputs and neighbours', async () => {
    const file = path.join(root, 'external.ts');
    const uri = pathToFileURL(file).href;
    const tasks = await client.connection.sendRequest<TasksRequestResult>(TasksRequestMethod, {});
    const sales = tasks.find((t) => t.family === 'Sales')!;
    const hover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: sales.nameRange.start,
    });
    const text = (hover!.contents as MarkupContent).value;
    assert.match(text, /\*\*Sales\*\* — external data/);
    assert.match(text, /`date: date` \(required\)/);
    assert.match(text, /data\/sales_\$\{date\}\.csv/);
    assert.match(text, /Required by\*\* \(\d+ downstream in all\): Report/);
    const at = await client.connection.sendRequest<TaskAtRequestResult>(TaskAtRequestMethod, {
      uri,
      position: { line: sales.range.start.line + 1, character: 2 },
    });
    assert.equal(at?.family, 'Sales');
  });

  it('lists task classes as document symbols', async () => {
    const uri = pathToFileURL(path.join(root, 'external.ts')).href;
    const symbols = (await client.connection.sendRequest(DocumentSymbolRequest.type, {
      textDocument: { uri },
    })) as DocumentSymbol[];
    assert.ok(symbols.some((s) => s.name === 'Report' && s.detail === 'task (date)'));
  });

  it('offers the quick fixes carried by diagnostics', async () => {
    const file = path.join(root, 'plain.js');
    const uri = pathToFileURL(file).href;
    const missing = await client.waitFor('missing param diagnostic', () =>
      client
        .diagnosticsOf(file)
        .find((d) => d.code === 'plumb.missing-param' && LspClient.message(d).startsWith('Sales')),
    );
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: missing.range,
      context: { diagnostics: [missing] },
    })) as CodeAction[];
    assert.equal(actions[0]!.title, "Add 'date'");
    assert.equal(actions[0]!.edit!.changes![uri]![0]!.newText, "{ date: '2026-01-01' }");
  });
});

describe('language server under a burst of keystrokes', { timeout: 60_000 }, () => {
  let client: LspClient;
  let root: string;
  let dispose: () => void;

  before(async () => {
    ({ root, dispose } = copyFixture('problems'));
    // A long debounce, so that the burst below surely lands within one window.
    client = new LspClient({ PLUMB_DEBOUNCE_MS: '500' });
    await client.initialize(root);
    await client.waitFor('the first analysis', () => client.graphChanges.length > 0);
  });

  after(async () => {
    await client.stop();
    dispose();
  });

  it('analyses once after the burst and publishes only its final state', async () => {
    const file = path.join(root, 'external.ts');
    const uri = pathToFileURL(file).href;
    const text = fs.readFileSync(file, 'utf8');
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'typescript', version: 1, text },
    });
    const before = client.graphChanges.length;
    // Thirty keystrokes, each renaming Report's output: every one would change the graph.
    for (let i = 1; i <= 30; i++) {
      await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version: i + 1 },
        contentChanges: [
          { text: text.replace('reports/report_${this.date}', `reports/r${i}_\${this.date}`) },
        ],
      });
    }
    await client.waitFor('plumb/graphChanged', () => client.graphChanges.length > before);
    await new Promise((resolve) => setTimeout(resolve, 1200)); // room for any late extra analysis
    const announced = client.graphChanges.length - before;
    assert.ok(announced <= 2, `${announced} graph announcements for one burst`);
    const graph = await client.connection.sendRequest<GraphRequestResult>(GraphRequestMethod, {});
    const report = graph.nodes.find((n) => n.family === 'Report')!;
    assert.equal(report.outputs[0]!.template, 'reports/r30_${date}.txt');
    // ReportCopy no longer clashes with Report: the duplicate-target warning is gone.
    assert.ok(!client.diagnosticsOf(file).some((d) => d.code === 'plumb.duplicate-output'));
  });
});

describe(
  'language server in a hostile workspace',
  { skip: process.platform === 'win32' && 'FIFOs are POSIX', timeout: 60_000 },
  () => {
    let client: LspClient;
    let root: string;
    let dispose: () => void;

    before(async () => {
      assert.ok(fs.existsSync(serverBundle), 'run `npm run build` first');
      ({ root, dispose } = copyFixture('hostile'));
      fs.symlinkSync('/dev/zero', path.join(root, 'zero.ts'));
      fs.symlinkSync('/dev/zero', path.join(root, 'plumb.toml'));
      execFileSync('mkfifo', [path.join(root, 'pipe.ts'), path.join(root, 'data', 'raw.csv')]);
      fs.writeFileSync(
        path.join(root, 'generated.ts'),
        "import { Task } from 'plumb-pipelines';\nexport class Generated extends Task {}\n" +
          '// padding\n'.repeat(300_000),
      );
      client = new LspClient();
      await client.initialize(root);
    });

    after(async () => {
      await client.stop();
      dispose();
    });

    it('skips links to /dev/zero and FIFOs, and refuses an oversized file with one diagnostic', async () => {
      const big = path.join(root, 'generated.ts');
      const [refused] = await client.waitFor('the too-large diagnostic', () => {
        const list = client.diagnosticsOf(big);
        return list.length > 0 && list;
      });
      assert.equal(refused!.code, 'plumb.unanalysable-file');
      assert.match(LspClient.message(refused!), /too large to analyse \(3\.1 MB; the limit is 1 MB\)/);
      assert.equal(client.diagnosticsOf(big).length, 1);
      const tasks = await client.connection.sendRequest<TasksRequestResult>(TasksRequestMethod, {});
      assert.deepEqual(tasks.map((t) => t.family).sort(), ['Clean', 'Raw']);
      // The FIFO named data/raw.csv is not the external data.
      await client.waitFor('missing data/raw.csv', () =>
        client
          .diagnosticsOf(path.join(root, 'pipeline.ts'))
          .some((d) => d.code === 'plumb.missing-external-data'),
      );
    });

    it('stays responsive when FIFOs named like a source and plumb.toml appear while it runs', async () => {
      fs.rmSync(path.join(root, 'plumb.toml'));
      execFileSync('mkfifo', [path.join(root, 'late.ts'), path.join(root, 'plumb.toml')]);
      await new Promise((resolve) => setTimeout(resolve, 500)); // the watcher reports them
      const file = path.join(root, 'pipeline.ts');
      const uri = pathToFileURL(file).href;
      const text = fs.readFileSync(file, 'utf8');
      await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: {
          uri,
          languageId: 'typescript',
          version: 1,
          text: text.replace('out/clean.csv', 'out/tidy.csv'),
        },
      });
      const tasks = await Promise.race([
        client.connection.sendRequest<TasksRequestResult>(TasksRequestMethod, {}),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the server froze')), 15_000)),
      ]);
      assert.equal(tasks.find((t) => t.family === 'Clean')!.outputs[0]!.template, 'out/tidy.csv');
      assert.equal(client.exited, false);
    });
  },
);
