// What a task produces: anything that can say whether it exists. LocalTarget is one; a database
// marker table can be another. exists() may be synchronous (cheap, batched) or asynchronous.

export interface Target {
  /** True when the output is there and whole. */
  exists(): boolean | Promise<boolean>;
  /** A path or URI that identifies the output, for display and for the run log. */
  toString(): string;
  /** The absolute file path, for targets that are files (optional). */
  readonly path?: string;
}

export function isTarget(value: unknown): value is Target {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { exists?: unknown }).exists === 'function'
  );
}
