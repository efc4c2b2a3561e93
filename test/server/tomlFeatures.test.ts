// plumb.toml through the server: validation published as diagnostics, and completion of sections,
// task families, parameter names and settings.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  CompletionRequest,
  DidChangeTextDocumentNotification,
  HoverRequest,
  DidOpenTextDocumentNotification,
  type CompletionItem,
  type CompletionList,
} from 'vscode-languageserver-protocol';
import { copyFixture } from './fixtureWorkspace';
import { LspClient } from './lspClient';

describe('plumb.toml in the language server', { timeout: 60_000 }, () => {
  let client: LspClient;
  let root: string;
  let dispose: () => void;
  let uri: string;
  let version = 1;

  const edit = async (text: string) => {
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: ++version },
      contentChanges: [{ text }],
    });
  };
  const complete = async (line: number, character: number): Promise<string[]> => {
    const items = (await client.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri },
      position: { line, character },
    })) as CompletionItem[] | CompletionList;
    return (Array.isArray(items) ? items : items.items).map((i) => i.label).sort();
  };

  before(async () => {
    ({ root, dispose } = copyFixture('config'));
    client = new LspClient();
    await client.initialize(root);
    const file = path.join(root, 'plumb.toml');
    uri = pathToFileURL(file).href;
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'toml', version, text: fs.readFileSync(file, 'utf8') },
    });
  });

  after(async () => {
    await client.stop();
    dispose();
  });

  it('publishes validation diagnostics and updates them as the file is edited', async () => {
    const file = path.join(root, 'plumb.toml');
    await client.waitFor('toml diagnostics', () => client.diagnosticsOf(file).length === 4);
    await edit('[params.Daily]\ndate = "2026-11-01"\n');
    await client.waitFor('toml diagnostics to clear', () => client.diagnosticsOf(file).length === 0);
  });

  it('completes section names, families, parameters and settings', async () => {
    await edit('[\n[params.\n[params.Daily]\ndate = "2026-11-01"\n\n[tasks.Daily]\n\n');
    assert.deepEqual(await complete(0, 1), [
      'alerts',
      'cluster',
      'params',
      'postgres',
      'run',
      'tasks',
      'test_mode',
    ]);
    assert.deepEqual(await complete(1, 8), ['Daily']);
    assert.deepEqual(await complete(4, 0), ['limit', 'region'], 'declared params not yet set');
    assert.ok((await complete(6, 0)).includes('retries'));
  });

  it('completes schedules: keys, task families, pipelines, zones, date parameters, choices and params', async () => {
    await edit(
      [
        '[[',
        '[[schedules]]',
        'name = "daily"',
        'task = "Daily"',
        'pipeline = ',
        'timezone = "Europe/Ber',
        'date_param = "date"',
        'on_conflict = "',
        'params = { ',
        '',
        '[alerts]',
        '',
        '[cluster]',
        '',
        '[tasks.Daily]',
        'sla = ',
        '',
        '[run]',
        'sla = ',
      ].join('\n'),
    );
    assert.deepEqual(await complete(0, 2), ['schedules']);
    assert.deepEqual(await complete(3, 8), ['Daily']);
    assert.deepEqual(await complete(4, 11), ['pipeline.ts']);
    assert.ok((await complete(5, 22)).includes('Europe/Berlin'));
    assert.deepEqual(await complete(6, 14), ['date']);
    assert.deepEqual(await complete(7, 15), ['skip', 'wait']);
    assert.deepEqual(await complete(8, 11), ['limit', 'region'], 'date is given by date_param');
    const keys = await complete(9, 0);
    assert.ok(keys.includes('cron') && keys.includes('each') && !keys.includes('name'), keys.join());
    assert.deepEqual(await complete(11, 0), ['backoff_ms', 'on', 'timeout_ms', 'tries', 'webhooks']);
    assert.deepEqual(await complete(13, 0), ['redis']);
    assert.deepEqual(await complete(15, 6), [
      '{ deadline = "06:00", timezone = "UTC" }',
      '{ within = "2h" }',
    ]);
    assert.deepEqual(await complete(18, 6), [
      '{ deadline = "06:00", timezone = "UTC" }',
      '{ within = "2h" }',
    ]);
  });

  it("hovers a schedule's cron with its next fire times", async () => {
    await edit('[[schedules]]\nname = "daily"\ncron = "0 6 * * *"\ntimezone = "Europe/Berlin"\n');
    const hover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: { line: 2, character: 9 },
    });
    assert.match(
      (hover!.contents as { value: string }).value,
      /^\*\*daily\*\* fires next \(`0 6 \* \* \*`, Europe\/Berlin\):/,
    );
  });
});
