// The server must never crash or hang on broken input: thousands of randomly truncated and mutated
// copies of the fixture files are sent to the built server over LSP, and every request after each
// edit must be answered within a bound (a hang guard, not a performance measure).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  CodeLensRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  HoverRequest,
} from 'vscode-languageserver-protocol';
import { GraphRequestMethod, TasksRequestMethod } from '../../server/src/protocol';
import { fixturesDir } from './fixtureWorkspace';
import { LspClient } from './lspClient';

const ITERATIONS = Number(process.env.PLUMB_FUZZ_ITERATIONS ?? 2000);
const SEED = Number(process.env.PLUMB_FUZZ_SEED ?? 20261124);
const ANSWER_BOUND_MS = 10_000;

const FRAGMENTS = [
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  '`${',
  '${this.',
  'new ',
  'extends ',
  'Task.with({',
  'param.',
  'yield ',
  'return ',
  'requires() {',
  'output() {',
  '\u2028',
  '\u2029',
  '\r',
  '"',
  "'",
  '/*',
  '*/',
  '//',
  'class A extends B {}',
  'export * from "./',
  'import { Task } from "plumb-pipelines";',
  '...',
  '=>',
  '\ud83d',
  '\0',
];

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .flatMap((e) =>
      e.isFile() && /\.(ts|js)$/.test(e.name) && !e.name.endsWith('.d.ts')
        ? [path.join(e.parentPath, e.name)]
        : [],
    );
}

function mutate(text: string, rnd: () => number): string {
  const at = () => Math.floor(rnd() * (text.length + 1));
  switch (Math.floor(rnd() * 7)) {
    case 0:
      return text.slice(0, at()); // truncated
    case 1: {
      const a = at();
      return text.slice(0, a) + text.slice(a + Math.floor(rnd() * 80));
    }
    case 2: {
      const a = at();
      return text.slice(0, a) + FRAGMENTS[Math.floor(rnd() * FRAGMENTS.length)] + text.slice(a);
    }
    case 3: {
      const a = at();
      const b = at();
      return text.slice(0, a) + text.slice(Math.min(a, b), Math.max(a, b)) + text.slice(a);
    }
    case 4: {
      // Deep nesting now and then: the parser must be protected from it.
      const a = at();
      const open = rnd() < 0.5 ? '(' : '[';
      return text.slice(0, a) + open.repeat(Math.floor(rnd() * 30_000)) + text.slice(a);
    }
    case 5:
      return [...text].reverse().join('').slice(0, 400) + text.slice(at());
    default: {
      let out = text;
      for (let i = 0; i < 5; i++) {
        const a = Math.floor(rnd() * (out.length + 1));
        out = out.slice(0, a) + FRAGMENTS[Math.floor(rnd() * FRAGMENTS.length)] + out.slice(a + 1);
      }
      return out;
    }
  }
}

function bounded<T>(what: string, promise: Promise<T>): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`${what}: no answer in ${ANSWER_BOUND_MS} ms`)), ANSWER_BOUND_MS),
    ),
  ]);
}

describe('language server under random broken input', { timeout: 600_000 }, () => {
  let client: LspClient;
  let root: string;
  const files: string[] = [];

  before(async () => {
    // One workspace folder holding a copy of every fixture, so edits interact across files.
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-fuzz-')));
    fs.cpSync(fixturesDir, root, { recursive: true });
    files.push(...sourceFiles(root));
    client = new LspClient();
    await client.initialize(root);
  });

  after(async () => {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it(`answers after each of ${ITERATIONS} mutated documents (seed ${SEED})`, async () => {
    const rnd = random(SEED);
    const originals = files.map((f) => ({ file: f, text: fs.readFileSync(f, 'utf8') }));
    const versions = new Map<string, number>();
    for (let i = 0; i < ITERATIONS; i++) {
      const { file, text } = originals[Math.floor(rnd() * originals.length)]!;
      const uri = pathToFileURL(file).href;
      const mutated = mutate(rnd() < 0.3 ? mutate(text, rnd) : text, rnd);
      const version = (versions.get(uri) ?? 0) + 1;
      versions.set(uri, version);
      if (version === 1) {
        await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
          textDocument: { uri, languageId: 'typescript', version, text: mutated },
        });
      } else {
        await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
          textDocument: { uri, version },
          contentChanges: [{ text: mutated }],
        });
      }
      const context = `iteration ${i} (seed ${SEED}) on ${path.basename(file)}`;
      const tasks = await bounded(context, client.connection.sendRequest<unknown[]>(TasksRequestMethod, {}));
      assert.ok(Array.isArray(tasks), context);
      if (i % 25 === 0) {
        await bounded(context, client.connection.sendRequest(GraphRequestMethod, {}));
        await bounded(
          context,
          client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } }),
        );
        const line = Math.floor(rnd() * 20);
        await bounded(
          context,
          client.connection.sendRequest(HoverRequest.type, {
            textDocument: { uri },
            position: { line, character: 5 },
          }),
        );
      }
      assert.equal(client.exited, false, `server exited at ${context}\n${client.logs.join('')}`);
    }
  });
});
