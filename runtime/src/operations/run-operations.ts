// What operations add to one run: alerts ([alerts] webhooks) and the SLA watch. Both listen to the
// run's events; the run hands them its graph and, before its run-finished, lets them finish (the
// last alerts go out within a bound, missed deadlines are reported, timers cleared).
import path from 'node:path';
import { type PlumbConfig } from '../config';
import { type EventStream } from '../event-stream';
import { type TaskGraph, type TaskNode } from '../graph';
import { runLogDir } from '../run-log';
import { RunAlerts } from './alerts';
import { failingFile } from './alert-state';
import { readSla, runClock, type Sla } from './sla';
import { SlaWatch } from './sla-watch';

/** How long the end of a run waits for alerts still being sent: a webhook that is down never holds it longer. */
export const ALERTS_BOUND_MS = 3000;

export interface RunSlaOptions {
  /** A whole run's SLA (plumb schedule passes its schedule's `sla`: --sla); else plumb.toml's `[run] sla`. */
  runSla?: Sla;
  /** The scheduled start (ms; --scheduled-at), else the run's start on its clock. */
  scheduledAt?: number;
  /** The schedule item that fired the run (--scheduled-by). */
  schedule?: string;
}

export interface RunOperations {
  /** Right after run-started: the graph the run fills. */
  track(graph: TaskGraph): void;
  /** The run found `nodes` (right after their graph event, before their task-pending events). */
  discovered(nodes: readonly TaskNode[]): void;
  /**
   * The run announced tasks (a graph event and their task-pending events) and starts none of them
   * before this returns: deadlines already past are reported now.
   */
  announced(): void;
  /** Before run-finished; never throws. */
  finish(): Promise<void>;
}

export function startOperations(
  config: PlumbConfig,
  events: EventStream,
  projectRoot: string,
  sla: RunSlaOptions = {},
): RunOperations {
  const alertSettings = config.alerts;
  const alerts = alertSettings?.webhooks.length
    ? new RunAlerts(
        alertSettings,
        // plumb.toml's [tasks.<Family>] severity, else the class's `static severity`, else critical.
        (family, taskId) =>
          config.tasks[family]?.severity ?? (classOf(taskId)?.severity === 'low' ? 'low' : 'critical'),
        path.join(runLogDir(projectRoot), `${events.runId}.jsonl`),
        undefined,
        { emit: (e) => events.emit(e), failingFile: failingFile(projectRoot) },
      )
    : undefined;
  let graph: TaskGraph | undefined;
  const classOf = (taskId: string) =>
    graph?.nodes.get(taskId)?.task.constructor as { severity?: unknown } | undefined;
  const clock = runClock();
  const runSla = sla.runSla ?? configRunSla(config);
  const watch = new SlaWatch({
    clock,
    scheduledAt: sla.scheduledAt ?? clock(),
    ...(runSla ? { runSla } : {}),
    ...(sla.schedule !== undefined ? { schedule: sla.schedule } : {}),
    configSla: (family) => {
      const declared = config.tasks[family]?.sla;
      if (declared === undefined) return undefined;
      const read = readSla(declared);
      return typeof read === 'string' ? undefined : read;
    },
    emit: (e) => events.emit(e),
    // All SlaWatch.onEvent reads, and only once a task has an SLA: no event object per task before.
    takeTaskDone: () => events.onEvent((e) => watch.onEvent(e), ['task-done']),
  });
  if (alerts) events.onEvent((e) => alerts.onEvent(e));
  return {
    track: (g) => {
      graph = g;
      watch.track(g);
      watch.announced(); // a run that starts after its own deadline says so at once
    },
    discovered: (nodes) => watch.discovered(nodes),
    announced: () => watch.announced(),
    async finish() {
      watch.stop();
      await alerts?.finishRun(ALERTS_BOUND_MS);
    },
  };
}

/** plumb.toml `[run] sla` (checked when the file was read): every run's, when --sla gives none. */
export function configRunSla(config: PlumbConfig): Sla | undefined {
  if (config.run.sla === undefined) return undefined;
  const read = readSla(config.run.sla);
  return typeof read === 'string' ? undefined : read;
}
