// tsserver itself (the editor's own TypeScript service, as VS Code starts it) over its stdio
// protocol, on the same repository and the same edits as the Plumb server: after each edit, the
// code-lens work VS Code asks of it (navtree, then references for the first lens), then the
// semantic diagnostics of the edited file. Peak memory from /proc.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { percentiles } from './edits';
import type { GeneratedRepository, RepositoryEdit } from './generateRepository';
import { processCpuMs, processPeakRssMb, type ServerPhaseResult } from './processStats';

const tsserver = createRequire(import.meta.url).resolve('typescript/lib/tsserver.js');

interface Message {
  type: string;
  request_seq?: number;
  success?: boolean;
  message?: string;
  body?: unknown;
}

class TsServer {
  private readonly child = spawn(
    process.execPath,
    [tsserver, '--disableAutomaticTypingAcquisition', '--suppressDiagnosticEvents'],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  private seq = 0;
  private buffer = Buffer.alloc(0);
  private readonly waiting = new Map<number, (m: Message) => void>();

  constructor() {
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      for (;;) {
        const head = this.buffer.indexOf('\r\n\r\n');
        if (head < 0) return;
        const length = Number(/Content-Length: (\d+)/.exec(this.buffer.subarray(0, head).toString())?.[1]);
        if (this.buffer.length < head + 4 + length) return;
        const message = JSON.parse(this.buffer.subarray(head + 4, head + 4 + length).toString()) as Message;
        this.buffer = this.buffer.subarray(head + 4 + length);
        if (message.type === 'response' && message.request_seq !== undefined) {
          this.waiting.get(message.request_seq)?.(message);
          this.waiting.delete(message.request_seq);
        }
      }
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  request(command: string, args: unknown): Promise<Message> {
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`tsserver: no answer to ${command} in 120 s`)),
        120_000,
      );
      this.waiting.set(seq, (m) => {
        clearTimeout(timer);
        if (m.success === false) reject(new Error(`tsserver ${command}: ${m.message}`));
        else resolve(m);
      });
      this.child.stdin.write(JSON.stringify({ seq, type: 'request', command, arguments: args }) + '\n');
    });
  }

  stop(): void {
    this.child.kill();
  }
}

export async function tsserverPhase(
  repo: GeneratedRepository,
  edits: RepositoryEdit[],
): Promise<ServerPhaseResult> {
  const server = new TsServer();
  const texts = new Map<string, string>();
  const first = repo.taskFiles[0]!;
  const started = performance.now();
  await server.request('configure', { preferences: {}, hostInfo: 'plumb-bench' });
  await server.request('updateOpen', { openFiles: [{ file: first, projectRootPath: repo.root }] });
  await server.request('semanticDiagnosticsSync', { file: first });
  const coldMs = performance.now() - started;
  const lens: number[] = [];
  const navtree: number[] = [];
  const checked: number[] = [];
  const cpu: number[] = [];
  for (const edit of edits) {
    const c0 = processCpuMs(server.pid);
    const t0 = performance.now();
    const before = texts.get(edit.file);
    if (before === undefined) {
      await server.request('updateOpen', {
        openFiles: [{ file: edit.file, fileContent: edit.text, projectRootPath: repo.root }],
      });
    } else {
      const lines = before.split('\n');
      await server.request('updateOpen', {
        changedFiles: [
          {
            fileName: edit.file,
            textChanges: [
              {
                start: { line: 1, offset: 1 },
                end: { line: lines.length, offset: lines.at(-1)!.length + 1 },
                newText: edit.text,
              },
            ],
          },
        ],
      });
    }
    texts.set(edit.file, edit.text);
    await server.request('navtree', { file: edit.file });
    navtree.push(performance.now() - t0);
    await server.request('references', {
      file: edit.file,
      line: edit.at.line + 1,
      offset: edit.at.character + 1,
    });
    lens.push(performance.now() - t0);
    await server.request('semanticDiagnosticsSync', { file: edit.file });
    checked.push(performance.now() - t0);
    cpu.push(processCpuMs(server.pid) - c0);
  }
  const peakRssMb = processPeakRssMb(server.pid);
  server.stop();
  return {
    coldMs,
    lens: percentiles(lens),
    extra: { navtree: percentiles(navtree), semanticDiagnostics: percentiles(checked) },
    cpu: percentiles(cpu),
    peakRssMb,
  };
}
