// directory-listing.ts: a folder's listing answers as existsSync would: files and folders are
// there, links (dangling or not) and names it lacks are asked again, a folder too big for the
// budget or one that cannot be searched is not used.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { existsIn, existsInWhole, listFolder, listWholeFolder } from '../../runtime/src/directory-listing';
import { inChildAsNobody, isRoot } from '../support/unprivileged';

const listedNames = (dir: string, budget: number) => listFolder(dir, budget).names;

let root = '';
let dir = '';

before(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'plumb-directory-listing-'));
  dir = path.join(root, 'out');
  mkdirSync(path.join(dir, 'sub'), { recursive: true });
  writeFileSync(path.join(dir, 'a.txt'), '');
  symlinkSync(path.join(dir, 'a.txt'), path.join(dir, 'link.txt'));
  symlinkSync(path.join(root, 'gone'), path.join(dir, 'dangling.txt'));
});
after(() => rmSync(root, { recursive: true, force: true }));

test('listing: files and folders are listed, links are not (existsSync follows them)', () => {
  const names = listedNames(dir, 100)!;
  assert.deepEqual([...names].sort(), ['a.txt', 'sub']);
  const at = dir.length + 1;
  assert.equal(existsIn(names, path.join(dir, 'link.txt'), at), true);
  assert.equal(existsIn(names, path.join(dir, 'dangling.txt'), at), false);
  assert.equal(existsIn(names, path.join(dir, 'sub'), at), true);
  assert.equal(existsIn(names, path.join(dir, 'a.txt', 'x'), at), false, 'below a file');
});

test('listing: a name it lacks is asked again (made since); a missing folder lists nothing', () => {
  const names = listedNames(dir, 100)!;
  const later = path.join(dir, 'later.txt');
  writeFileSync(later, '');
  assert.equal(existsIn(names, later, dir.length + 1), true);
  assert.deepEqual([...listedNames(path.join(root, 'nowhere'), 100)!], []);
  assert.deepEqual([...listedNames(path.join(dir, 'a.txt'), 100)!], [], 'a file is no folder');
});

test('listing: past the budget of entries it is not used', () => {
  assert.equal(listedNames(dir, 2), undefined);
});

test('whole listing: files and folders are there, links are asked, a name it lacks is missing', () => {
  const listing = listWholeFolder(dir + path.sep);
  assert.ok(listing.names!.has('a.txt') && listing.names!.has('sub'));
  assert.deepEqual([...listing.others!].sort(), ['dangling.txt', 'link.txt']);
  const exists = (name: string) => existsInWhole(listing, path.join(dir, name), name);
  assert.equal(exists('a.txt'), true);
  assert.equal(exists('link.txt'), true);
  assert.equal(exists('dangling.txt'), false);
  const since = path.join(dir, 'since.txt');
  writeFileSync(since, '');
  try {
    assert.equal(exists('since.txt'), false, 'not there when listed: never more than exists() says');
  } finally {
    rmSync(since);
  }
  const nowhere = listWholeFolder(path.join(root, 'nowhere') + path.sep);
  assert.equal(existsInWhole(nowhere, path.join(root, 'nowhere', 'a.txt'), 'a.txt'), false);
});

const unsearchable =
  'listing: a folder readable but not searchable is not used (existsSync cannot reach its files)';
test(unsearchable, () => {
  if (isRoot) return inChildAsNobody(__filename, unsearchable);
  const closed = path.join(root, 'closed');
  mkdirSync(closed);
  writeFileSync(path.join(closed, 'f.txt'), '');
  chmodSync(closed, 0o644);
  try {
    assert.equal(listedNames(closed, 100), undefined);
  } finally {
    chmodSync(closed, 0o755);
  }
});
