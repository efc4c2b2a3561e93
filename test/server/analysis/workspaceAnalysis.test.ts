// The workspace analysis as documents change: incremental edits, broken and hostile text, and
// positions on lines TypeScript and LSP count differently.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { DiagnosticCodes } from '../../../server/src/analysis/diagnostics/pipelineDiagnostic';
import {
  analyseFixture,
  analyseFolder,
  copyFixture,
  diagnosticsWithCode,
  edgeList,
} from '../fixtureWorkspace';

describe('workspace analysis', () => {
  it('follows an edited open document without touching the disk', () => {
    const { root, dispose } = copyFixture('cycles');
    try {
      const { analysis } = analyseFolder(root);
      const file = path.join(root, 'ring-d.ts');
      const uri = pathToFileURL(file).href;
      const text = fs.readFileSync(file, 'utf8');
      analysis.openDocument(
        uri,
        text.replace(
          "return new RingA();\n  }\n  output() {\n    return new LocalTarget('out/ring-d",
          "return [];\n  }\n  output() {\n    return new LocalTarget('out/ring-d",
        ),
        2,
      );
      const edited = analysis.analyse();
      assert.ok(!edgeList(edited).includes('RingD → RingA'));
      assert.ok(!diagnosticsWithCode(edited, DiagnosticCodes.cycle).some((d) => d.message.includes('RingA')));
      analysis.closeDocument(uri);
      assert.ok(edgeList(analysis.analyse()).includes('RingD → RingA'), 'back to the disk text');
    } finally {
      dispose();
    }
  });

  it('reuses the summaries of files that did not change', () => {
    const { root, dispose } = copyFixture('cycles');
    try {
      const { analysis, result } = analyseFolder(root);
      const file = path.join(root, 'self.ts');
      analysis.openDocument(pathToFileURL(file).href, fs.readFileSync(file, 'utf8') + '\n// edited\n', 1);
      const next = analysis.analyse();
      const before = new Map(result.files.map((f) => [f.fileName, f]));
      for (const f of next.files) {
        if (f.fileName === file) assert.notEqual(before.get(f.fileName), f);
        else assert.equal(before.get(f.fileName), f, `${f.fileName} reused`);
      }
    } finally {
      dispose();
    }
  });

  it('keeps analysing half-written files and reports what it can read', () => {
    const { result } = analyseFixture('broken');
    const names = result.families.map((f) => f.family).sort();
    assert.deepEqual(names, ['Fine', 'HalfWritten', 'Incomplete']);
    assert.ok(edgeList(result).includes('HalfWritten → Fine'));
  });

  it('refuses text nested too deeply for the parser, and says so, instead of crashing', () => {
    const { root, dispose } = copyFixture('broken');
    try {
      const { analysis } = analyseFolder(root);
      const file = path.join(root, 'deep.ts');
      const deep = 'export const x = ' + '['.repeat(50_000) + ']'.repeat(50_000) + ';\n';
      analysis.openDocument(pathToFileURL(file).href, deep, 1);
      const bangs = path.join(root, 'bangs.ts');
      analysis.openDocument(
        pathToFileURL(bangs).href,
        'export const y = ' + '!'.repeat(60_000) + 'true;\n',
        1,
      );
      const result = analysis.analyse();
      const refused = diagnosticsWithCode(result, DiagnosticCodes.unanalysable);
      assert.deepEqual(refused.map((d) => path.basename(d.uri)).sort(), ['bangs.ts', 'deep.ts']);
      assert.ok(
        result.families.some((f) => f.family === 'Fine'),
        'the rest is still analysed',
      );
    } finally {
      dispose();
    }
  });

  it('counts only \\n, \\r\\n and \\r as line breaks in positions (not U+2028)', () => {
    const { root, dispose } = copyFixture('unresolved');
    try {
      const { analysis } = analyseFolder(root);
      const file = path.join(root, 'pipeline.ts');
      const text = '// a\u2028b\u2029c\r\n' + fs.readFileSync(file, 'utf8');
      analysis.openDocument(pathToFileURL(file).href, text, 1);
      const work = analysis.analyse().families.find((f) => f.family === 'Work')!;
      const lines = text.split(/\r\n|\n|\r/);
      const { start, end } = work.cls.nameRange;
      assert.equal(lines[start.line]!.slice(start.character, end.character), 'Work');
    } finally {
      dispose();
    }
  });
});

describe('hostile workspaces', { skip: process.platform === 'win32' && 'FIFOs are POSIX' }, () => {
  const bigTask = (name: string) =>
    `import { Task } from 'plumb-pipelines';\nexport class ${name} extends Task {}\n` +
    '// padding\n'.repeat(300_000);

  it('gives a source file over the cap one diagnostic with its size and the limit, and no task', () => {
    const { root, dispose } = copyFixture('hostile');
    try {
      fs.writeFileSync(path.join(root, 'generated.ts'), bigTask('Generated'));
      const { analysis, result } = analyseFolder(root);
      const refused = diagnosticsWithCode(result, DiagnosticCodes.unanalysable);
      assert.deepEqual(
        refused.map((d) => [path.basename(d.uri), d.message]),
        [
          [
            'generated.ts',
            'Plumb did not analyse this file: it is too large to analyse (3.1 MB; the limit is 1 MB).',
          ],
        ],
      );
      assert.deepEqual(result.families.map((f) => f.family).sort(), ['Clean', 'Raw']);
      // The same text open in the editor is refused the same way.
      const open = path.join(root, 'open.ts');
      analysis.openDocument(pathToFileURL(open).href, bigTask('Opened'), 1);
      const again = analysis.analyse();
      assert.deepEqual(
        diagnosticsWithCode(again, DiagnosticCodes.unanalysable)
          .map((d) => path.basename(d.uri))
          .sort(),
        ['generated.ts', 'open.ts'],
      );
      assert.ok(!again.families.some((f) => f.family === 'Opened'));
    } finally {
      dispose();
    }
  });

  it('follows no link out of the workspace, for sources or data', () => {
    const { root, dispose } = copyFixture('hostile');
    const outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-outside-')));
    try {
      fs.writeFileSync(
        path.join(outside, 'elsewhere.ts'),
        "import { Task } from 'plumb-pipelines';\nexport class Elsewhere extends Task {}\n",
      );
      fs.writeFileSync(path.join(outside, 'raw.csv'), 'a,b\n');
      fs.symlinkSync(path.join(outside, 'elsewhere.ts'), path.join(root, 'elsewhere.ts'));
      fs.symlinkSync(path.join(outside, 'raw.csv'), path.join(root, 'data', 'raw.csv'));
      const { result } = analyseFolder(root);
      assert.deepEqual(result.families.map((f) => f.family).sort(), ['Clean', 'Raw']);
      assert.equal(diagnosticsWithCode(result, DiagnosticCodes.missingExternalData).length, 1);
    } finally {
      dispose();
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  // FIFOs named like sources and plumb.toml would block a read for ever: server.test.ts proves the
  // server stays responsive (a hang here would stall the whole test file instead of failing it).
  it('does not count a FIFO that appears later as external data', () => {
    const { root, dispose } = copyFixture('hostile');
    try {
      const { analysis } = analyseFolder(root);
      const fifo = path.join(root, 'data', 'raw.csv');
      execFileSync('mkfifo', [fifo]);
      analysis.filesChanged([{ file: fifo, kind: 'created' }]);
      const result = analysis.analyse();
      assert.equal(diagnosticsWithCode(result, DiagnosticCodes.missingExternalData).length, 1);
      assert.equal(result.dataFiles.has(fifo), false);
    } finally {
      dispose();
    }
  });
});

describe('changes a watcher missed, and failures part-way', () => {
  const folder = (files: Record<string, string>) => {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-changes-')));
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(root, name), text);
    return { root, dispose: () => fs.rmSync(root, { recursive: true, force: true }) };
  };
  const base = (param: string) =>
    `import { Task, param } from 'plumb-pipelines';\nexport class Base extends Task.with({ ${param}: param.int() }) {}\n`;
  const user = (requires: string) =>
    `import { Task } from 'plumb-pipelines';\nimport { Base } from './base';\n` +
    `export class User extends Base {\n  requires() { return ${requires}; }\n}\n`;

  it('takes a source it was never told of, reached by an import, for one of the workspace', () => {
    const { root, dispose } = folder({});
    try {
      const { analysis } = analyseFolder(root);
      // Both land; a watcher reports user.ts but missed base.ts (written before it watched).
      fs.writeFileSync(path.join(root, 'base.ts'), base('x'));
      fs.writeFileSync(path.join(root, 'user.ts'), user('new Base({ x: 1 })'));
      analysis.filesChanged([{ file: path.join(root, 'user.ts'), kind: 'created' }]);
      const result = analysis.analyse();
      assert.deepEqual(diagnosticsWithCode(result, DiagnosticCodes.requiresNotTask), []);
      assert.deepEqual(result.families.map((f) => f.family).sort(), ['Base', 'User']);
    } finally {
      dispose();
    }
  });

  it('does not trust, after an analysis that threw part-way, what that analysis read', () => {
    const { root, dispose } = folder({ 'base.ts': base('x'), 'user.ts': user('[]') });
    try {
      const { analysis } = analyseFolder(root);
      const baseFile = path.join(root, 'base.ts');
      const userFile = path.join(root, 'user.ts');
      const paramsOfUser = () =>
        analysis
          .analyse()
          .families.find((f) => f.family === 'User')!
          .params.map((p) => p.name);
      // A fault after User's base was resolved (from base.ts as it was then): this analysis fails.
      const projectRootOf = analysis.projectRootOf.bind(analysis);
      let fail = true;
      analysis.projectRootOf = (file) => {
        if (file === userFile && fail) {
          fail = false;
          throw new Error('injected fault');
        }
        return projectRootOf(file);
      };
      fs.writeFileSync(baseFile, base('y'));
      analysis.filesChanged([{ file: baseFile, kind: 'changed' }]);
      assert.throws(() => analysis.analyse(), /injected fault/);
      fs.writeFileSync(baseFile, base('z'));
      analysis.filesChanged([{ file: baseFile, kind: 'changed' }]);
      assert.deepEqual(paramsOfUser(), ['z']);
    } finally {
      dispose();
    }
  });
});
