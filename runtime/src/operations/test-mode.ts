// Test mode: the whole pipeline runs against a separate output root. Local paths the pipeline
// writes resolve under the test area, so nothing in the production area is read as complete or
// written; external data (ExternalTask outputs, which nothing in the pipeline writes) is read where
// it is. The switch travels in the environment (PLUMB_TEST_MODE, PLUMB_TEST_AREA) so isolated task
// processes and integrations (plumb-postgres sends its outputs to its test schema) see it too.
import path from 'node:path';

export const TEST_MODE_ENV = 'PLUMB_TEST_MODE';
export const TEST_AREA_ENV = 'PLUMB_TEST_AREA';

/** Where test runs write when plumb.toml names no [test_mode] root, relative to the project. */
export const DEFAULT_TEST_AREA = path.join('.plumb', 'test-area');

const TRUE = /^(1|true|yes|on)$/i;

// Read once: a target is built for every output of every task, and process.env is slow to read.
let area: string | undefined = fromEnvironment();
let productionReads = 0;
const PROJECT_ENV = 'PLUMB_TEST_PROJECT_ROOT';
let testProjectRoot: string | undefined = process.env[PROJECT_ENV]
  ? path.resolve(process.env[PROJECT_ENV])
  : undefined;

function fromEnvironment(): string | undefined {
  const on = process.env[TEST_MODE_ENV];
  const dir = process.env[TEST_AREA_ENV];
  return on !== undefined && TRUE.test(on) && dir ? path.resolve(dir) : undefined;
}

/**
 * Turns test mode on for this process and the processes it starts: outputs under `projectRoot`
 * move to the same relative place under `dir` (absolute, or relative to the project root).
 */
export function enterTestMode(projectRoot: string, dir: string = DEFAULT_TEST_AREA): string {
  area = path.resolve(projectRoot, dir);
  testProjectRoot = path.resolve(projectRoot);
  process.env[TEST_MODE_ENV] = '1';
  process.env[TEST_AREA_ENV] = area;
  process.env[PROJECT_ENV] = testProjectRoot;
  return area;
}

/** Back to production paths (tests that enter test mode leave it this way). */
export function leaveTestMode(): void {
  area = undefined;
  testProjectRoot = undefined;
  delete process.env[TEST_MODE_ENV];
  delete process.env[TEST_AREA_ENV];
  delete process.env[PROJECT_ENV];
}

/**
 * Where a run keeps its records (run logs, the failing set of alerts): the project's `.plumb`, or
 * in test mode the test area's own `.plumb`, so a test run never marks a production task failed
 * nor adds its durations and check values to production's history, and deleting the test area
 * forgets its runs too.
 */
export function recordsDir(projectRoot: string): string {
  return recordsDirOf(projectRoot, area);
}

/** recordsDir for a run whose test area (`run-started`'s `testArea`) is known: another process's. */
export function recordsDirOf(projectRoot: string, testArea: string | undefined): string {
  return path.join(testArea ?? projectRoot, '.plumb');
}

/** The test area when this run is in test mode, else undefined. */
export function testArea(): string | undefined {
  return area;
}

/** True in test mode (the accessor integrations use; PLUMB_TEST_MODE says the same to other processes). */
export function isTestMode(): boolean {
  return area !== undefined;
}

/**
 * Where an absolute output path really lives now. In test mode: a path inside the test area stays;
 * one inside the project moves to the same relative place in the test area; one elsewhere moves
 * under `<area>/absolute/…`. Unchanged outside test mode and while reading external data.
 */
export function outputPath(absolute: string): string {
  if (area === undefined || productionReads > 0) return absolute;
  if (isInside(absolute, area)) return absolute;
  const root = testProjectRoot;
  if (root !== undefined && isInside(absolute, root)) return path.join(area, path.relative(root, absolute));
  const { root: fsRoot } = path.parse(absolute);
  return path.join(area, 'absolute', fsRoot.replace(/[:\\/]/g, ''), absolute.slice(fsRoot.length));
}

/** Runs `read` with production paths: for outputs of data nothing in the pipeline writes. */
export function withProductionPaths<T>(read: () => T): T {
  productionReads++;
  try {
    return read();
  } finally {
    productionReads--;
  }
}

function isInside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
