// One home for every package we ship: each package.json names the same repository (and its own
// folder in it), and the .vsix's manifest links the extension's details page there (Source,
// Issues), so a user of any of them finds the code and where to report a problem.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { vsixPath } from '../../scripts/package.mjs';
import { readZipEntry, zipEntries } from '../../scripts/vsix-contents.mjs';

const repo = path.resolve(__dirname, '..', '..');
const HOME = 'github.com/plumb-pipelines/plumb';

interface Manifest {
  name: string;
  private?: boolean;
  repository?: { type?: string; url?: string; directory?: string };
}

const manifest = (folder: string) =>
  JSON.parse(readFileSync(path.join(repo, folder, 'package.json'), 'utf8')) as Manifest;

test('every package.json names the one repository, and its own folder in it', () => {
  // The extension (the root manifest) and every npm package (a folder with its own package.json).
  const folders = ['.', 'runtime', 'postgres', 'cluster', 'create'];
  for (const folder of folders) {
    const { name, repository } = manifest(folder);
    assert.equal(repository?.type, 'git', `${name}: repository.type`);
    assert.match(
      repository?.url ?? '',
      new RegExp(`^(git\\+)?https://${HOME}\\.git$`),
      `${name}: repository.url`,
    );
    assert.equal(repository?.directory, folder === '.' ? undefined : folder, `${name}: repository.directory`);
  }
  // No other folder holds a package that would ship without a repository field.
  for (const folder of ['server', 'client'])
    assert.ok(!existsSync(path.join(repo, folder, 'package.json')), `${folder}/ is built into the extension`);
});

test("the .vsix links its details page's Source and Issues to that repository", () => {
  assert.ok(existsSync(vsixPath), `${vsixPath} is missing: run \`npm run package\``);
  const xml = readZipEntry(zipEntries(vsixPath), 'extension.vsixmanifest').toString('utf8');
  const link = (id: string) =>
    new RegExp(`Id="Microsoft\\.VisualStudio\\.Services\\.Links\\.${id}" Value="([^"]*)"`).exec(xml)?.[1];
  assert.equal(link('Source'), `https://${HOME}.git`);
  assert.equal(link('Support'), `https://${HOME}/issues`);
  // The README's links to the repository use the same home.
  const readme = readFileSync(path.join(repo, 'client', 'README.md'), 'utf8');
  const links = [...readme.matchAll(/\]\((https?:\/\/[^)]+)\)/g)].map((m) => m[1]!);
  assert.ok(links.length >= 3, `links in client/README.md: ${links.join(', ')}`);
  assert.deepEqual(
    links.filter((l) => !l.startsWith(`https://${HOME}/`) && l !== `https://${HOME}`),
    [],
    'every link of the details page points into the repository',
  );
});
