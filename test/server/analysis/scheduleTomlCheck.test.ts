// plumb.toml schedules and concurrency keys against the analysed pipeline: the task and its file,
// parameters in params/each/date_param/time_param, required parameters never given, key templates;
// and the runtime's own schedule rules (croner's cron check, IANA time zones), every error at once.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { PipelineDiagnostic } from '../../../server/src/analysis/diagnostics/pipelineDiagnostic';
import { DiagnosticCodes } from '../../../server/src/analysis/diagnostics/pipelineDiagnostic';
import { analyseFolder, copyFixture } from '../fixtureWorkspace';

describe('plumb.toml schedules', () => {
  let root: string;
  let dispose: () => void;
  before(() => ({ root, dispose } = copyFixture('operations')));
  after(() => dispose());

  const check = (toml: string): PipelineDiagnostic[] => {
    const file = path.join(root, 'plumb.toml');
    fs.writeFileSync(file, toml);
    return analyseFolder(root).result.diagnosticsByUri().get(pathToFileURL(file).href) ?? [];
  };
  const summary = (ds: PipelineDiagnostic[]) =>
    ds.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.code} ${d.message}`);
  const fixes = (d: PipelineDiagnostic | undefined) =>
    d?.fixes?.map(
      (f) =>
        `${f.title} → ${f.edits[0]!.newText} @${f.edits[0]!.range.start.line}:${f.edits[0]!.range.start.character}`,
    );

  it('accepts the fixture: schedules, alerts, test mode, keys, postgres, cluster', () => {
    assert.deepEqual(summary(check(fs.readFileSync(path.join(root, 'plumb.toml'), 'utf8'))), []);
  });

  it('reports every runtime error of the schedules at once: a bad cron (croner), a mistyped zone, an unknown key', () => {
    const ds = check(
      [
        '[[schedules]]',
        'name = "a"',
        'cron = "0 25 * * *"',
        'timezone = "Europe/Berlim"',
        'pipeline = "pipeline.ts"',
        'task = "Weather"',
        'date_param = "date"',
        'priorty = 2',
      ].join('\n'),
    );
    const at = (line: number) => ds.find((d) => d.range.start.line === line);
    assert.equal(ds.length, 3, summary(ds).join('\n'));
    assert.match(at(2)!.message, /schedules\[0\]\.cron: not a cron expression/);
    assert.equal(at(2)!.code, DiagnosticCodes.configWrongType);
    assert.match(at(3)!.message, /unknown time zone 'Europe\/Berlim' \(did you mean Europe\/Berlin\?\)/);
    assert.deepEqual(fixes(at(3)), ['Change to Europe/Berlin → "Europe/Berlin" @3:11']);
    assert.equal(at(7)!.code, DiagnosticCodes.configUnknownKey);
    assert.deepEqual(fixes(at(7)), ['Change to priority → priority @7:0']);
  });

  it("offers the key meant where the runtime's message only lists the known ones ([alerts])", () => {
    const ds = check('[alerts]\ntires = 2\n');
    assert.equal(ds.length, 1, summary(ds).join('\n'));
    assert.equal(ds[0]!.code, DiagnosticCodes.configUnknownKey);
    assert.deepEqual(fixes(ds[0]), ['Change to tries → tries @1:0']);
  });

  it('says which required key a schedule lacks, on its header, and still checks the next one', () => {
    const ds = check(
      [
        '[[schedules]]',
        'name = "a"',
        'pipeline = "pipeline.ts"',
        'task = "Weather"',
        '',
        '[[schedules]]',
        'name = "b"',
        'cron = "@daily"',
        'catch_up = "lastest"',
        'pipeline = "pipeline.ts"',
        'task = "Weather"',
        'date_param = "date"',
      ].join('\n'),
    );
    assert.deepEqual(
      ds.map((d) => [d.range.start.line, d.code]),
      [
        [0, DiagnosticCodes.configMissingKey],
        [8, DiagnosticCodes.configWrongType],
        [3, DiagnosticCodes.missingParam],
      ],
      summary(ds).join('\n'),
    );
    assert.match(ds[0]!.message, /cron is required/);
    assert.deepEqual(fixes(ds[1]), ['Change to latest → "latest" @8:11']);
  });

  it('checks the task against the pipeline file and the analysed families', () => {
    const base = ['[[schedules]]', 'name = "a"', 'cron = "0 6 * * *"'];
    let ds = check([...base, 'pipeline = "pipeline.ts"', 'task = "CustomerRepot"'].join('\n'));
    assert.equal(ds.length, 1, summary(ds).join('\n'));
    assert.equal(ds[0]!.code, DiagnosticCodes.configUnknownFamily);
    assert.match(ds[0]!.message, /No task family named CustomerRepot in pipeline.ts/);
    assert.deepEqual(fixes(ds[0]), ['Change to CustomerReport → "CustomerReport" @4:7']);

    ds = check([...base, 'pipeline = "pipelin.ts"', 'task = "Weather"', 'date_param = "date"'].join('\n'));
    assert.match(ds[0]!.message, /No such file: pipelin.ts/);
    assert.deepEqual(fixes(ds[0]), ['Change to pipeline.ts → "pipeline.ts" @3:11']);

    ds = check([...base, 'pipeline = "pipeline.ts"', 'task = "RawEvents"', 'date_param = "date"'].join('\n'));
    assert.match(ds[0]!.message, /RawEvents is an ExternalTask: there is nothing to run/);
  });

  it("checks params, each, date_param and time_param against the task's parameters, and its required ones", () => {
    const ds = check(
      [
        '[[schedules]]',
        'name = "a"',
        'cron = "0 6 * * *"',
        'pipeline = "pipeline.ts"',
        'task = "CustomerReport"',
        'params = { regoin = "eu", at = "soon" }',
        'each = { region = ["eu", "asia"] }',
        'date_param = "customer"',
        'time_param = "dat"',
      ].join('\n'),
    );
    const messages = summary(ds);
    assert.equal(ds.length, 6, messages.join('\n'));
    const unknown = ds.find((d) => d.message.includes("no parameter 'regoin'"))!;
    assert.equal(unknown.range.start.character, 11, 'underlines the key inside the inline table');
    assert.deepEqual(fixes(unknown), ["Change to 'region' → region @5:11"]);
    assert.ok(messages.some((m) => /5:\d+ .*CustomerReport\.at \(datetime parameter\)/.test(m)));
    assert.ok(
      messages.some((m) => /6:9 .*CustomerReport\.region \(enum parameter\): expected one of eu, us/.test(m)),
    );
    assert.ok(
      messages.some((m) =>
        /7:13 .*date_param must name a date parameter; CustomerReport\.customer is string/.test(m),
      ),
    );
    assert.ok(messages.some((m) => /8:13 .*no parameter 'dat' \(its datetime parameters: at\)/.test(m)));
    // customer comes from the (wrong) date_param, region from each, at from params: date is missing.
    assert.ok(
      messages.some((m) => /4:0 .*CustomerReport requires 'date', which this schedule does not give/.test(m)),
    );
  });

  it('finds placeholders of concurrency keys that are not parameters of the task', () => {
    const ds = check(
      [
        '[[schedules]]',
        'name = "a"',
        'cron = "0 6 * * *"',
        'pipeline = "pipeline.ts"',
        'task = "CustomerReport"',
        'date_param = "date"',
        'params = { customer = "acme" }',
        'concurrency_key = "c-{custmer}"',
        '',
        '[tasks.CustomerReport]',
        'concurrency_key = "{regio}-{customer}"',
      ].join('\n'),
    );
    assert.deepEqual(
      ds.map((d) => [d.range.start.line, d.message, fixes(d)]),
      [
        [
          7,
          '{custmer} in the concurrency key is not a significant parameter of CustomerReport (it has date, customer, region, at).',
          ['Change to {customer} → "c-{customer}" @7:18'],
        ],
        [
          10,
          '{regio} in the concurrency key is not a significant parameter of CustomerReport (it has date, customer, region, at).',
          ['Change to {region} → "{region}-{customer}" @10:18'],
        ],
      ],
    );
  });
});
