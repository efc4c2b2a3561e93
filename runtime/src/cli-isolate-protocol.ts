// The messages between a run and the warm processes of its isolated-task pool (one contract, one
// home): the run starts a member once per pipeline, then asks it for one attempt at a time.
import { type LogLevel } from './task-context';
import { type ProcessIdentity } from './process-identity';

/** Given on the member's command line (`plumb __task <json>`): what every attempt shares. */
export interface MemberInit {
  module: string;
  projectRoot: string;
  /** The run that started it: the member dies with it and never commits after it. */
  parent: ProcessIdentity;
  /** The run's guard process kills it with the run (cli-isolate-guard.ts): no watchdog thread needed. */
  guarded?: boolean;
  /** Runs attempts at once, as the run sends them (tasks that only wait, `static isolateShare`). */
  shared?: boolean;
}

/** Run → member: run one attempt of this task. */
export interface AttemptRequest {
  type: 'run';
  /** Numbers the member's attempts: what an older attempt's leftover code says is dropped. */
  seq: number;
  family: string;
  params: Record<string, string>;
}

export type MemberMessage =
  | { type: 'progress'; seq: number; fraction: number }
  | { type: 'status'; seq: number; message: string; rows?: number }
  | { type: 'log'; seq: number; level: LogLevel; text: string }
  | {
      type: 'result';
      seq: number;
      ok: boolean;
      error?: { name: string; message: string; stack?: string };
      /** The member's resident set size after the attempt: past the ceiling it is recycled. */
      rss: number;
      /** The attempt left child processes running (in the member's group): the member is retired. */
      dirty: boolean;
    };

/**
 * Written on the member's stdout and stderr after each attempt, before its result: lines before it
 * belong to that attempt. A NUL starts it, so no line a task prints can be mistaken for it.
 */
export const END_MARK = '\u0000plumb-attempt-end ';
