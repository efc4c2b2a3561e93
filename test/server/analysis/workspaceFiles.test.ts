// Reading files of an untrusted workspace: FIFOs and devices are refused without blocking, links
// out of the workspace are refused, and a file over the cap is refused without reading it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MAX_SOURCE_BYTES, WorkspaceFiles } from '../../../server/src/analysis/workspaceFiles';

const posix = process.platform !== 'win32';

describe('WorkspaceFiles', { skip: !posix && 'FIFOs and /dev/zero are POSIX' }, () => {
  let root: string;
  let outside: string;

  before(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-hostile-')));
    outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-outside-')));
    fs.writeFileSync(path.join(root, 'fine.ts'), '\ufeffexport const x = 1;\n');
    fs.writeFileSync(path.join(outside, 'secret.ts'), 'export const secret = 1;\n');
    fs.symlinkSync('/dev/zero', path.join(root, 'zero.ts'));
    fs.symlinkSync(path.join(outside, 'secret.ts'), path.join(root, 'out.ts'));
    fs.symlinkSync(path.join(root, 'fine.ts'), path.join(root, 'in.ts'));
    fs.symlinkSync(path.join(root, 'pipe.ts'), path.join(root, 'pipe-link.ts'));
    execFileSync('mkfifo', [path.join(root, 'run.jsonl'), path.join(root, 'pipe.ts')]);
  });

  after(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('reads a regular file as TypeScript would (byte-order mark dropped)', () => {
    assert.deepEqual(new WorkspaceFiles([root]).read(path.join(root, 'fine.ts')), {
      text: 'export const x = 1;\n',
    });
  });

  it('refuses a FIFO at once instead of waiting for a writer, and a link to /dev/zero', () => {
    const files = new WorkspaceFiles([root]);
    assert.deepEqual(files.read(path.join(root, 'pipe.ts')), { refused: 'it is not a regular file' });
    assert.deepEqual(files.read(path.join(root, 'run.jsonl')), { refused: 'it is not a regular file' });
    assert.ok('refused' in files.read(path.join(root, 'zero.ts'))!);
    // A link that stays inside still must not lead to a FIFO.
    assert.deepEqual(files.read(path.join(root, 'pipe-link.ts')), { refused: 'it is not a regular file' });
    assert.equal(files.isAcceptable(path.join(root, 'pipe.ts')), false);
    assert.equal(files.isAcceptable(path.join(root, 'zero.ts')), false);
  });

  it('refuses a link from the workspace to outside it, and follows one that stays inside', () => {
    const files = new WorkspaceFiles([root]);
    assert.deepEqual(files.read(path.join(root, 'out.ts')), {
      refused: 'it is a link to a file outside the workspace',
    });
    assert.equal(files.isAcceptable(path.join(root, 'out.ts')), false);
    assert.equal(files.isAcceptable(path.join(root, 'in.ts')), true);
    assert.deepEqual(files.read(path.join(root, 'in.ts')), { text: 'export const x = 1;\n' });
    // A file outside every workspace folder (a dependency, a lib file) is not a link out.
    assert.deepEqual(files.read(path.join(outside, 'secret.ts')), { text: 'export const secret = 1;\n' });
  });

  it('refuses a file over the cap with its size and the cap, reading none of it', () => {
    const big = path.join(root, 'big.ts');
    fs.writeFileSync(big, Buffer.alloc(3 * 1024 * 1024 + 512, 'a'));
    assert.deepEqual(new WorkspaceFiles([root]).read(big), {
      refused: 'it is too large to analyse (3 MB; the limit is 1 MB)',
    });
    assert.equal(MAX_SOURCE_BYTES, 1024 * 1024);
    assert.deepEqual(new WorkspaceFiles([root], 10).read(path.join(root, 'fine.ts')), {
      refused: 'it is too large to analyse (23 bytes; the limit is 10 bytes)',
    });
  });
});
