// Checks a parameter value typed in a quick input against the parameter's declared type.
import type { TaskParamInfo } from '../../server/src/protocol';

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

function isRealDate(text: string): boolean {
  const match = datePattern.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function checkDate(value: string): string | undefined {
  return isRealDate(value) ? undefined : 'Expected a date YYYY-MM-DD, e.g. 2026-11-01.';
}

function checkDateInterval(value: string): string | undefined {
  const hint =
    'Expected a date interval YYYY-MM-DD-YYYY-MM-DD (both ends inclusive), e.g. 2026-11-01-2026-11-07.';
  if (value.length !== 21 || value[10] !== '-') return hint;
  const start = value.slice(0, 10);
  const end = value.slice(11);
  if (!isRealDate(start) || !isRealDate(end)) return hint;
  return start <= end ? undefined : `The interval ends (${end}) before it starts (${start}).`;
}

function checkDatetime(value: string): string | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}):?(\d{2})(?::?(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(
    value,
  );
  const ok =
    match &&
    isRealDate(match[1]!) &&
    Number(match[2]) < 24 &&
    Number(match[3]) < 60 &&
    Number(match[4] ?? 0) < 60;
  return ok ? undefined : 'Expected a date-time YYYY-MM-DDTHH:MM[:SS], e.g. 2026-11-01T13:30.';
}

function checkHour(value: string): string | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2})$/.exec(value);
  return match && isRealDate(match[1]!) && Number(match[2]) < 24
    ? undefined
    : 'Expected an hour YYYY-MM-DDTHH, e.g. 2026-11-01T13.';
}

function checkJson(value: string): string | undefined {
  try {
    JSON.parse(value);
    return undefined;
  } catch (error) {
    return `Expected JSON: ${(error as Error).message}`;
  }
}

/** Returns why `value` is not acceptable for `param`, or undefined when it is. */
export function validateParamValue(param: TaskParamInfo, value: string): string | undefined {
  const text = value.trim();
  if (text.length === 0) return `${param.name} is required.`;
  switch (param.type) {
    case 'int':
      return /^[-+]?\d+$/.test(text) ? undefined : 'Expected a whole number, e.g. 42.';
    case 'float':
      return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)
        ? undefined
        : 'Expected a number, e.g. 0.5.';
    case 'bool':
      return /^(true|false)$/i.test(text) ? undefined : 'Expected true or false.';
    case 'date':
      return checkDate(text);
    case 'dateInterval':
      return checkDateInterval(text);
    case 'datetime':
      return checkDatetime(text);
    case 'hour':
      return checkHour(text);
    case 'enum':
      return !param.choices || param.choices.includes(text)
        ? undefined
        : `Expected one of: ${param.choices.join(', ')}.`;
    case 'list':
      // A JSON array or comma-separated items: the runtime parses both.
      return text.startsWith('[') ? checkJson(text) : undefined;
    case 'json':
      return checkJson(text);
    default:
      return undefined;
  }
}

/** The parameters a run must ask for: required, with no default in code and no value in plumb.toml. */
export function paramsWithoutValue(params: readonly TaskParamInfo[]): TaskParamInfo[] {
  return params.filter((p) => p.required && p.defaultText === undefined && p.configText === undefined);
}

/** A placeholder shown in the quick input: what a valid value looks like. */
export function exampleValue(param: TaskParamInfo): string {
  switch (param.type) {
    case 'int':
      return '42';
    case 'float':
      return '0.5';
    case 'bool':
      return 'true | false';
    case 'date':
      return 'YYYY-MM-DD';
    case 'dateInterval':
      return 'YYYY-MM-DD-YYYY-MM-DD';
    case 'datetime':
      return 'YYYY-MM-DDTHH:MM';
    case 'hour':
      return 'YYYY-MM-DDTHH';
    case 'enum':
      return (param.choices ?? []).join(' | ');
    case 'list':
      return 'a,b,c or ["a","b"]';
    case 'json':
      return '{"key": "value"}';
    default:
      return param.type;
  }
}
