// Immutable calendar values for date-like parameters, each with one canonical string form.
// Plain UTC arithmetic on purpose: a pipeline's "2026-11-01" must not move with the machine's zone.

const DAY_MS = 86_400_000;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** A calendar day without a time or zone. `${date}` gives 'YYYY-MM-DD'. */
export class PlainDate {
  /** Days since 1970-01-01. */
  readonly epochDay: number;
  private constructor(epochDay: number) {
    this.epochDay = epochDay;
    Object.freeze(this);
  }
  static of(year: number, month: number, day: number): PlainDate {
    const ms = Date.UTC(year, month - 1, day);
    const d = new Date(ms);
    if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) {
      throw new RangeError(`not a calendar date: ${year}-${pad(month)}-${pad(day)}`);
    }
    return new PlainDate(ms / DAY_MS);
  }
  static fromEpochDay(epochDay: number): PlainDate {
    return new PlainDate(epochDay);
  }
  /** Parses 'YYYY-MM-DD'. */
  static parse(text: string): PlainDate {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
    if (!m) throw new RangeError(`expected a date as YYYY-MM-DD, got '${text}'`);
    return PlainDate.of(Number(m[1]), Number(m[2]), Number(m[3]));
  }
  get year(): number {
    return new Date(this.epochDay * DAY_MS).getUTCFullYear();
  }
  get month(): number {
    return new Date(this.epochDay * DAY_MS).getUTCMonth() + 1;
  }
  get day(): number {
    return new Date(this.epochDay * DAY_MS).getUTCDate();
  }
  addDays(days: number): PlainDate {
    return new PlainDate(this.epochDay + days);
  }
  equals(other: PlainDate): boolean {
    return this.epochDay === other.epochDay;
  }
  toString(): string {
    return new Date(this.epochDay * DAY_MS).toISOString().slice(0, 10);
  }
  toJSON(): string {
    return this.toString();
  }
}

/** Consecutive days, both ends inclusive. `${interval}` gives 'YYYY-MM-DD-YYYY-MM-DD'. */
export class DateInterval {
  readonly start: PlainDate;
  readonly end: PlainDate;
  constructor(start: PlainDate, end: PlainDate) {
    if (end.epochDay < start.epochDay)
      throw new RangeError(`date interval ends before it starts: ${start}-${end}`);
    this.start = start;
    this.end = end;
    Object.freeze(this);
  }
  /**
   * Parses the forms people type: a year (`2026`), a month (`2026-11`), an ISO week (`2026-W48`,
   * Monday to Sunday), a day (`2026-11-01`) or days (`2026-11-01-2026-11-07`, both included).
   * Whatever the form, the canonical string is the days form.
   */
  static parse(text: string): DateInterval {
    const t = text.trim();
    let m: RegExpExecArray | null;
    if ((m = /^(\d{4}-\d{2}-\d{2})(?:-(\d{4}-\d{2}-\d{2}))?$/.exec(t))) {
      const start = PlainDate.parse(m[1]!);
      return new DateInterval(start, m[2] ? PlainDate.parse(m[2]) : start);
    }
    if ((m = /^(\d{4})$/.exec(t))) {
      const y = Number(m[1]);
      return new DateInterval(PlainDate.of(y, 1, 1), PlainDate.of(y, 12, 31));
    }
    if ((m = /^(\d{4})-(\d{2})$/.exec(t))) {
      const y = Number(m[1]);
      const month = Number(m[2]);
      if (month < 1 || month > 12) throw new RangeError(`not a month: '${text}' (months are 01 to 12)`);
      const start = PlainDate.of(y, month, 1);
      return new DateInterval(start, PlainDate.fromEpochDay(Date.UTC(y, month, 1) / DAY_MS - 1));
    }
    if ((m = /^(\d{4})-W(\d{2})$/i.exec(t))) {
      const y = Number(m[1]);
      const week = Number(m[2]);
      const weeks = (isoWeekOneMonday(y + 1) - isoWeekOneMonday(y)) / 7;
      if (week < 1 || week > weeks)
        throw new RangeError(`not an ISO week: '${text}' (${y} has weeks W01 to W${weeks})`);
      const monday = isoWeekOneMonday(y) + (week - 1) * 7;
      return new DateInterval(PlainDate.fromEpochDay(monday), PlainDate.fromEpochDay(monday + 6));
    }
    throw new RangeError(`expected a date interval, got '${text}'; ${DateInterval.FORMS}`);
  }
  /** The forms parse() accepts, for error messages. */
  static readonly FORMS =
    'accepted forms: a year (2026), a month (2026-11), an ISO week (2026-W48), a day (2026-11-01) or days (2026-11-01-2026-11-07, both included)';
  /** Every day of the interval, in order. */
  dates(): PlainDate[] {
    const out: PlainDate[] = [];
    for (let d = this.start.epochDay; d <= this.end.epochDay; d++) out.push(PlainDate.fromEpochDay(d));
    return out;
  }
  get length(): number {
    return this.end.epochDay - this.start.epochDay + 1;
  }
  toString(): string {
    return `${this.start}-${this.end}`;
  }
  toJSON(): string {
    return this.toString();
  }
}

/** An instant at second precision, in UTC. `${t}` gives 'YYYY-MM-DDTHH:MM:SS'. */
export class DateTime {
  readonly epochMs: number;
  constructor(epochMs: number) {
    if (!Number.isFinite(epochMs)) throw new RangeError('not a valid date-time');
    this.epochMs = Math.floor(epochMs / 1000) * 1000;
    Object.freeze(this);
  }
  /** Parses 'YYYY-MM-DDTHH:MM:SS' (or 'YYYY-MM-DDTHHMMSS' as Luigi writes it); always UTC. */
  static parse(text: string): DateTime {
    const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):?(\d{2}):?(\d{2})Z?$/.exec(text.trim());
    if (!m) throw new RangeError(`expected a date-time as YYYY-MM-DDTHH:MM:SS, got '${text}'`);
    return new DateTime(checkedUtc(m, Number(m[4]), Number(m[5]), Number(m[6]), text));
  }
  toDate(): Date {
    return new Date(this.epochMs);
  }
  toString(): string {
    return new Date(this.epochMs).toISOString().slice(0, 19);
  }
  toJSON(): string {
    return this.toString();
  }
}

/** An hour of a day, in UTC. `${h}` gives 'YYYY-MM-DDTHH'. */
export class DateHour {
  readonly epochMs: number;
  constructor(epochMs: number) {
    if (!Number.isFinite(epochMs)) throw new RangeError('not a valid hour');
    this.epochMs = Math.floor(epochMs / 3_600_000) * 3_600_000;
    Object.freeze(this);
  }
  static parse(text: string): DateHour {
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})$/.exec(text.trim());
    if (!m) throw new RangeError(`expected an hour as YYYY-MM-DDTHH, got '${text}'`);
    return new DateHour(checkedUtc(m, Number(m[4]), 0, 0, text));
  }
  toString(): string {
    return new Date(this.epochMs).toISOString().slice(0, 13);
  }
  toJSON(): string {
    return this.toString();
  }
}

/** The epoch day of the Monday of ISO week 1 of `year` (the week holding January 4). */
function isoWeekOneMonday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4) / DAY_MS;
  const weekday = (new Date(jan4 * DAY_MS).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return jan4 - weekday;
}

function checkedUtc(m: RegExpExecArray, h: number, min: number, s: number, text: string): number {
  PlainDate.of(Number(m[1]), Number(m[2]), Number(m[3])); // validates the day
  if (h > 23 || min > 59 || s > 59) throw new RangeError(`not a valid time of day in '${text}'`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), h, min, s);
}
