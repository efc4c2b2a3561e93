// Compile-time checks of the authoring API (type-checked by `tsc -b`, never run): parameters are
// typed in `new`, input() mirrors requires(), and mistakes are compile errors.
import {
  DateInterval,
  ExternalTask,
  LocalTarget,
  param,
  PlainDate,
  Task,
  WrapperTask,
} from '../../runtime/src/index';

class Streams extends ExternalTask.with({ date: param.date() }) {
  output() {
    return new LocalTarget(`streams_${this.date}.tsv`);
  }
}
class Aggregate extends Task.with({
  interval: param.dateInterval(),
  useHadoop: param.bool({ default: false, significant: false }),
  mode: param.enum(['a', 'b'] as const, { default: 'a' }),
  ids: param.list(param.int(), { default: [] }),
  extra: param.json<{ k: number }>({ default: { k: 1 } }),
}) {
  static retries = 2; // a plain static: no `override` needed
  requires() {
    return this.interval.dates().map((date) => new Streams({ date }));
  }
  output() {
    return { main: new LocalTarget(`agg_${this.interval}.tsv`) };
  }
  run() {
    const inputs: LocalTarget[] = this.input();
    const mode: 'a' | 'b' = this.mode;
    const ids: readonly number[] = this.ids;
    const k: number = this.extra.k;
    return [inputs, mode, ids, k];
  }
}
class Top extends Task.with({ interval: param.dateInterval() }) {
  requires() {
    return {
      agg: new Aggregate({ interval: this.interval }),
      days: [new Streams({ date: this.interval.start })],
    };
  }
  run() {
    const { agg, days } = this.input();
    const main: LocalTarget = agg.main;
    const first: LocalTarget | undefined = days[0];
    return [main, first];
  }
}
class All extends WrapperTask {
  requires() {
    return new Top({ interval: DateInterval.parse('2026-11-01') });
  }
}

const date = PlainDate.parse('2026-11-01');
new Streams({ date });
new All();
new Aggregate({ interval: DateInterval.parse('2026-11-01'), useHadoop: true, mode: 'b' });
// @ts-expect-error a required parameter is missing
new Streams({});
// @ts-expect-error a parameter of the wrong type (a string is not a PlainDate)
new Streams({ date: '2026-11-01' });
// @ts-expect-error a value outside the enum
new Aggregate({ interval: DateInterval.parse('2026-11-01'), mode: 'c' });
// @ts-expect-error an unknown parameter
new Streams({ date, colour: 'red' });
// @ts-expect-error no parameters object at all for a task that needs one
new Top();
