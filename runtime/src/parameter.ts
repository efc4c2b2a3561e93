// Typed task parameters: builders the type checker and a static reader both understand, each able
// to parse a CLI/config string, validate a JS value and print its canonical string form.
import { DateHour, DateInterval, DateTime, PlainDate } from './calendar';

export type ParamKind =
  | 'string'
  | 'int'
  | 'float'
  | 'bool'
  | 'date'
  | 'dateInterval'
  | 'datetime'
  | 'hour'
  | 'enum'
  | 'list'
  | 'json';

export interface ParamOptions<T> {
  /** Makes the parameter optional in the constructor. */
  default?: T;
  /** Significant parameters make up the task id (default true). */
  significant?: boolean;
  description?: string;
}

/** A declared parameter. `HasDefault` is a type-level flag: with a default it is optional in `new`. */
export interface ParamDef<T, HasDefault extends boolean = boolean> {
  readonly kind: ParamKind;
  readonly hasDefault: HasDefault;
  readonly default: T | undefined;
  readonly significant: boolean;
  readonly description: string | undefined;
  /** For enums: the allowed values. For lists: the item's definition. */
  readonly choices?: readonly string[];
  readonly item?: ParamDef<unknown>;
  /** Parses the CLI / plumb.toml string form; throws ParamError-friendly RangeErrors. */
  parse(text: string): T;
  /** Accepts a value from plumb.toml (a TOML string, number, boolean, array or table). */
  fromConfig(value: unknown): T;
  /** Checks a value given in code and returns it frozen. */
  normalize(value: unknown): T;
  /** The canonical string form (what `parse` accepts back). */
  format(value: T): string;
}

export type ParamSchema = Record<string, ParamDef<unknown>>;

/** The value type of a parameter definition. */
export type ParamValue<D> = D extends ParamDef<infer T, boolean> ? T : never;

/** Parameter values as task instance properties. */
export type ParamValues<S extends ParamSchema> = { readonly [K in keyof S]: ParamValue<S[K]> };

type OptionalKeys<S extends ParamSchema> = {
  [K in keyof S]: S[K] extends { hasDefault: true } ? K : never;
}[keyof S];
export type RequiredKeys<S extends ParamSchema> = Exclude<keyof S, OptionalKeys<S>>;

/** What `new Family({...})` takes: every parameter without a default is required. */
export type ParamInput<S extends ParamSchema> = { [K in RequiredKeys<S>]: ParamValue<S[K]> } & {
  [K in OptionalKeys<S>]?: ParamValue<S[K]>;
};

/** Options given as nothing at all (no default: the parameter is required). */
export type NoOptions = Record<never, never>;

type WithDefault<O> = O extends { default: unknown } ? true : false;

interface Codec<T> {
  kind: ParamKind;
  parse(text: string): T;
  normalize(value: unknown): T;
  format(value: T): string;
  fromConfig?(value: unknown): T;
}

function define<T, O extends ParamOptions<T>>(
  codec: Codec<T>,
  options: O | undefined,
  extra: { choices?: readonly string[]; item?: ParamDef<unknown> } = {},
): ParamDef<T, WithDefault<O>> {
  const hasDefault = options !== undefined && 'default' in options && options.default !== undefined;
  const def: ParamDef<T, boolean> = {
    kind: codec.kind,
    hasDefault,
    default: hasDefault ? codec.normalize(options!.default) : undefined,
    significant: options?.significant ?? true,
    description: options?.description,
    ...extra,
    parse: codec.parse,
    normalize: codec.normalize,
    format: codec.format,
    fromConfig: (value: unknown) =>
      codec.fromConfig
        ? codec.fromConfig(value)
        : typeof value === 'string'
          ? codec.parse(value)
          : codec.normalize(value),
  };
  return Object.freeze(def) as ParamDef<T, WithDefault<O>>;
}

function typeError(expected: string, value: unknown): RangeError {
  const shown = typeof value === 'string' ? `'${value}'` : (JSON.stringify(value) ?? String(value));
  return new RangeError(`expected ${expected}, got ${shown}`);
}

const stringCodec: Codec<string> = {
  kind: 'string',
  parse: (t) => t,
  normalize: (v) => {
    if (typeof v !== 'string') throw typeError('a string', v);
    return v;
  },
  format: (v) => v,
};

const intCodec: Codec<number> = {
  kind: 'int',
  parse: (t) => {
    if (!/^[+-]?\d+$/.test(t.trim())) throw typeError('an integer', t);
    return intCodec.normalize(Number(t));
  },
  normalize: (v) => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw typeError('an integer', v);
    return v;
  },
  format: (v) => String(v),
};

const floatCodec: Codec<number> = {
  kind: 'float',
  parse: (t) => {
    const n = Number(t);
    if (t.trim() === '' || Number.isNaN(n)) throw typeError('a number', t);
    return n;
  },
  normalize: (v) => {
    if (typeof v !== 'number' || Number.isNaN(v)) throw typeError('a number', v);
    return v;
  },
  format: (v) => String(v),
};

const boolCodec: Codec<boolean> = {
  kind: 'bool',
  parse: (t) => {
    const s = t.trim().toLowerCase();
    if (s === 'true' || s === '1' || s === 'yes') return true;
    if (s === 'false' || s === '0' || s === 'no') return false;
    throw typeError('true or false', t);
  },
  normalize: (v) => {
    if (typeof v !== 'boolean') throw typeError('true or false', v);
    return v;
  },
  format: (v) => String(v),
};

function classCodec<T extends object>(
  kind: ParamKind,
  cls: { prototype: T },
  parse: (t: string) => T,
  what: string,
): Codec<T> {
  return {
    kind,
    parse,
    normalize: (v) => {
      if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === cls.prototype) return v as T;
      throw typeError(what, v);
    },
    format: (v) => String(v),
    // TOML has native dates; smol-toml gives them as Date-like objects whose toISOString we can read.
    fromConfig: (v) => {
      if (typeof v === 'string') return parse(v);
      if (v instanceof Date)
        return parse(kind === 'date' ? v.toISOString().slice(0, 10) : v.toISOString().slice(0, 19));
      throw typeError(what, v);
    },
  };
}

const dateCodec = classCodec('date', PlainDate, PlainDate.parse, 'a date (PlainDate, YYYY-MM-DD)');
const intervalCodec = classCodec(
  'dateInterval',
  DateInterval,
  DateInterval.parse,
  'a date interval (DateInterval, YYYY-MM-DD-YYYY-MM-DD)',
);
const datetimeCodec = classCodec(
  'datetime',
  DateTime,
  DateTime.parse,
  'a date-time (DateTime, YYYY-MM-DDTHH:MM:SS)',
);
const hourCodec = classCodec('hour', DateHour, DateHour.parse, 'an hour (DateHour, YYYY-MM-DDTHH)');

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** The parameter builders: `Task.with({ date: param.date(), n: param.int({ default: 3 }) })`. */
export const param = {
  string: <const O extends ParamOptions<string> = NoOptions>(options?: O) => define(stringCodec, options),
  int: <const O extends ParamOptions<number> = NoOptions>(options?: O) => define(intCodec, options),
  float: <const O extends ParamOptions<number> = NoOptions>(options?: O) => define(floatCodec, options),
  bool: <const O extends ParamOptions<boolean> = NoOptions>(options?: O) => define(boolCodec, options),
  date: <const O extends ParamOptions<PlainDate> = NoOptions>(options?: O) => define(dateCodec, options),
  dateInterval: <const O extends ParamOptions<DateInterval> = NoOptions>(options?: O) =>
    define(intervalCodec, options),
  datetime: <const O extends ParamOptions<DateTime> = NoOptions>(options?: O) =>
    define(datetimeCodec, options),
  hour: <const O extends ParamOptions<DateHour> = NoOptions>(options?: O) => define(hourCodec, options),

  enum: <const C extends readonly string[], const O extends ParamOptions<C[number]> = NoOptions>(
    choices: C,
    options?: O,
  ) => {
    const allowed = new Set<string>(choices);
    const check = (v: unknown): C[number] => {
      if (typeof v !== 'string' || !allowed.has(v)) throw typeError(`one of ${choices.join(', ')}`, v);
      return v as C[number];
    };
    return define<C[number], O>({ kind: 'enum', parse: check, normalize: check, format: (v) => v }, options, {
      choices: Object.freeze([...choices]),
    });
  },

  /** A list; on the command line comma-separated (`1,2,3`) or a JSON array. */
  list: <T, const O extends ParamOptions<readonly T[]> = NoOptions>(item: ParamDef<T>, options?: O) => {
    const normalize = (v: unknown): readonly T[] => {
      if (!Array.isArray(v)) throw typeError('a list', v);
      return Object.freeze(v.map((x) => item.normalize(x)));
    };
    return define<readonly T[], O>(
      {
        kind: 'list',
        parse: (t) => {
          const s = t.trim();
          if (s.startsWith('['))
            return Object.freeze((JSON.parse(s) as unknown[]).map((x) => item.fromConfig(x)));
          return Object.freeze(s === '' ? [] : s.split(',').map((x) => item.parse(x.trim())));
        },
        normalize,
        format: (v) => v.map((x) => item.format(x)).join(','),
        fromConfig: (v) =>
          Array.isArray(v) ? Object.freeze(v.map((x) => item.fromConfig(x))) : normalize(v),
      },
      options,
      { item: item as ParamDef<unknown> },
    );
  },

  /** Any JSON value, deep-frozen; on the command line as JSON text. Canonical form: JSON with sorted keys. */
  json: jsonParam,
};

function jsonParam<T = unknown>(options: ParamOptions<T> & { default: T }): ParamDef<T, true>;
function jsonParam<T = unknown>(options?: ParamOptions<T>): ParamDef<T, false>;
function jsonParam<T>(options?: ParamOptions<T>): ParamDef<T, boolean> {
  return define<T, ParamOptions<T>>(
    {
      kind: 'json',
      parse: (t) => {
        try {
          return deepFreeze(JSON.parse(t) as T);
        } catch (e) {
          throw new RangeError(`expected JSON, got '${t}' (${(e as Error).message})`, { cause: e });
        }
      },
      normalize: (v) => deepFreeze(JSON.parse(JSON.stringify(v)) as T),
      format: (v) => stableJson(v),
      fromConfig: (v) => deepFreeze(JSON.parse(JSON.stringify(v)) as T),
    },
    options,
  );
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

/** A parameter value that could not be read, naming the task, the parameter and where it came from. */
export class ParamError extends Error {
  constructor(
    readonly family: string,
    readonly param: string,
    readonly source: string,
    detail: string,
  ) {
    super(`${family}: parameter '${param}' ${source ? `(${source}) ` : ''}${detail}`);
    this.name = 'ParamError';
  }
}

/** `dateInterval` → `date-interval`, the CLI spelling. */
export function kebabCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
