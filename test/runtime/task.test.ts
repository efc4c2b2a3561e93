// Task identity and parameters: stable ids from significant parameters, defaults from code and
// plumb.toml, errors that name the task and the parameter.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PlainDate } from '../../runtime/src/calendar';
import { LocalTarget } from '../../runtime/src/local-target';
import { param, ParamError } from '../../runtime/src/parameter';
import { buildTask } from '../../runtime/src/task-factory';
import { ExternalTask, setParamConfigDefaults, Task, taskKind, WrapperTask } from '../../runtime/src/task';

class Report extends Task.with({
  day: param.date(),
  region: param.enum(['eu', 'us'] as const, { default: 'eu' }),
  verbose: param.bool({ default: false, significant: false }),
}) {
  output() {
    return new LocalTarget(`report_${this.day}_${this.region}.txt`);
  }
}

test('the task id is family + significant parameters, stable across instances', () => {
  const day = PlainDate.parse('2026-11-02');
  const a = new Report({ day });
  const b = new Report({ day, verbose: true });
  assert.equal(a.taskId, 'Report(day=2026-11-02, region=eu)');
  assert.equal(b.taskId, a.taskId);
  assert.equal(a.taskFamily, 'Report');
  assert.deepEqual(a.params, { day: '2026-11-02', region: 'eu' });
  assert.equal(b.verbose, true);
  assert.equal(Object.getOwnPropertyDescriptor(a, 'day')?.writable, false);
});

test('kinds: task, external, wrapper', () => {
  class E extends ExternalTask {}
  class W extends WrapperTask {}
  assert.equal(taskKind(new Report({ day: PlainDate.parse('2026-01-01') })), 'task');
  assert.equal(taskKind(new E()), 'external');
  assert.equal(taskKind(new W()), 'wrapper');
});

test('plumb.toml [params.<Family>] supplies values between arguments and declared defaults', (t) => {
  t.after(() => setParamConfigDefaults({}));
  setParamConfigDefaults({ Report: { region: 'us', day: '2026-05-05' } });
  assert.equal(
    new Report({ day: PlainDate.parse('2026-01-01') }).taskId,
    'Report(day=2026-01-01, region=us)',
  );
  assert.equal(buildTask(Report, {}).taskId, 'Report(day=2026-05-05, region=us)');
  setParamConfigDefaults({ Report: { region: 'mars' } });
  assert.throws(
    () => new Report({ day: PlainDate.parse('2026-01-01') }),
    (e: unknown) =>
      e instanceof ParamError &&
      e.message ===
        "Report: parameter 'region' (plumb.toml [params.Report]) expected one of eu, us, got 'mars'",
  );
});

test('building from strings accepts declared and kebab-case names and rejects unknown ones', () => {
  const task = buildTask(
    Report,
    new Map([
      ['day', '2026-11-03'],
      ['region', 'us'],
      ['verbose', 'true'],
    ]),
  );
  assert.equal(task.taskId, 'Report(day=2026-11-03, region=us)');
  assert.throws(
    () => buildTask(Report, { colour: 'red' }),
    /'colour' is not a parameter of Report \(it takes --day, --region, --verbose\)/,
  );
  assert.throws(() => buildTask(Report, {}), /Report: parameter 'day' is required/);
  assert.throws(
    () => new (Report as unknown as new (p: object) => Task)({ day: '2026-01-01' }),
    /parameter 'day' expected a date/,
  );
});

test('reserved names cannot be parameters', () => {
  assert.throws(() => Task.with({ taskId: param.string() }), /parameter name 'taskId' is reserved/);
});

test('a wrapper is complete when all its requirements are; the first missing one settles it', async () => {
  const checked: string[] = [];
  class Probe extends Task.with({ name: param.string(), answer: param.string() }) {
    override complete(): boolean | Promise<boolean> {
      checked.push(this.name);
      if (this.answer === 'reject') return Promise.reject(new Error('store down'));
      if (this.answer === 'later') return Promise.resolve(true);
      return this.answer === 'yes';
    }
  }
  class W extends WrapperTask.with({ answers: param.list(param.string()) }) {
    requires() {
      return this.answers.map((answer, i) => new Probe({ name: `p${i}`, answer }));
    }
  }
  assert.equal(new W({ answers: ['yes', 'yes'] }).complete(), true);
  assert.equal(await new W({ answers: ['yes', 'later'] }).complete(), true);
  checked.length = 0;
  // A rejected check nobody waits for any more must not become an unhandled rejection.
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);
  process.on('unhandledRejection', onUnhandled);
  assert.equal(new W({ answers: ['reject', 'no', 'yes'] }).complete(), false);
  await new Promise((resolve) => setTimeout(resolve, 10));
  process.off('unhandledRejection', onUnhandled);
  assert.deepEqual(unhandled, []);
  assert.deepEqual(checked, ['p0', 'p1']);
  await assert.rejects(Promise.resolve(new W({ answers: ['yes', 'reject'] }).complete()), /store down/);
});
