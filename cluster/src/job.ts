// The task job: its queue, what it carries (the pipeline's identity, the task, the run) and the
// connection every side opens. One BullMQ queue serves the cluster; jobs are named by task family.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type ConnectionOptions } from 'bullmq';

export const TASK_QUEUE = 'plumb-tasks';

export interface TaskJobData {
  runId: string;
  taskId: string;
  /** Absolute path of the pipeline module, the same on every host (a shared file system). */
  module: string;
  /** sha256 of the module's source: a worker with other code refuses the job. */
  sourceHash: string;
  projectRoot: string;
  family: string;
  params: Record<string, string>;
  /** The scheduler's attempt number (its retries are its own policy's). */
  attempt: number;
  /**
   * The task's timeout (its policy's; absent or 0: none), kept by the worker from the attempt's
   * start: time waiting in the queue is not the task's, and only the worker can stop the attempt.
   */
  timeoutMs?: number;
}

/** The failure a worker reports for an attempt stopped by its timeout (the scheduler's wording). */
export function timedOutMessage(taskId: string, timeoutMs: number): string {
  return `${taskId} timed out after ${timeoutMs} ms`;
}

/** What a worker reports while a job runs, forwarded to the run's events. */
export type TaskJobReport =
  | { kind: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; text: string }
  | { kind: 'progress'; fraction: number }
  | { kind: 'status'; message: string; rows?: number }
  | { kind: 'running'; worker: string; pid: number };

/** One job.updateProgress: a report, or those made while the previous one was on its way, in order. */
export type TaskJobProgress = TaskJobReport | { kind: 'batch'; reports: TaskJobReport[] };

export interface TaskJobResult {
  worker: string;
  /** Set when no 'running' report was made (a quick task): the completion names where it ran. */
  pid?: number;
}

export function sourceHash(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** ioredis options from a redis:// URL; maxRetriesPerRequest null as BullMQ workers require. */
export function connectionOf(url: string): ConnectionOptions {
  const u = new URL(url);
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:')
    throw new Error(`a Redis URL starts with redis:// or rediss://, got '${url}'`);
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.pathname.length > 1 ? { db: Number(u.pathname.slice(1)) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
  };
}

/** A job id per attempt, stable for the run (BullMQ ids may not contain ':'). */
export function jobIdOf(runId: string, taskId: string, attempt: number): string {
  return createHash('sha1').update(`${runId}\0${taskId}\0${attempt}`).digest('hex');
}
