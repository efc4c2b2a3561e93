// One run, one event log, however many coordinators it took. A run resumed on another worker has a
// fresh scheduler, which starts its events again (run-started, seq 0, the tasks done before its
// start as already complete); spliced onto the events already stored, its lines continue the seq,
// its run-started becomes a note that the run was resumed, what the log already says is not said
// again (an attempt's task-running, task-failed and task-retrying: the resumed scheduler follows the
// attempt in flight under its own number, resumed-attempts.ts, and its task-running, said again
// without the worker's name when the job's start came before it listened, is dropped), a task that
// was running and has completed meanwhile is done (not "already complete"), and its run-finished
// counts the tasks done before the resume as done in this run.
import { type RunEvent, type RunFinishedEvent } from 'plumb-pipelines';

/** What the events stored so far say (read by a coordinator that takes a run over). */
export interface StoredRun {
  lastSeq: number;
  /** The first run-started's time: a resumed run's duration counts from it. */
  startedAt: number;
  roots: string[];
  /** Tasks done in this run so far, in the order they finished, with their attempt. */
  done: Map<string, number>;
  /** Tasks running (no end yet): their attempt and since when. */
  running: Map<string, { attempt: number; since: number }>;
  nodes: Set<string>;
  edges: Set<string>;
  /** What the log says of each attempt already (attemptKey): not said twice. */
  said: Set<string>;
  /** The run-finished line, when the run had already ended. */
  finished?: string;
}

const edgeKey = (e: { from: string; to: string }) => `${e.from}\0${e.to}`;

/** An attempt's event, for what the log already says of it (its worker, logs and progress may repeat). */
function attemptKey(event: RunEvent): string | undefined {
  if (event.type === 'task-running' || event.type === 'task-failed')
    return `${event.type}\0${event.taskId}\0${event.attempt}`;
  if (event.type === 'task-retrying') return `${event.type}\0${event.taskId}\0${event.nextAttempt}`;
  return undefined;
}

export function storedRun(lines: readonly string[]): StoredRun {
  const run: StoredRun = {
    lastSeq: -1,
    startedAt: Date.now(),
    roots: [],
    done: new Map(),
    running: new Map(),
    nodes: new Set(),
    edges: new Set(),
    said: new Set(),
  };
  let started = false;
  for (const line of lines) {
    const event = JSON.parse(line) as RunEvent;
    run.lastSeq = Math.max(run.lastSeq, event.seq);
    const key = attemptKey(event);
    if (key) run.said.add(key);
    if (event.type === 'run-started' && !started) {
      started = true;
      run.startedAt = event.time;
      run.roots = event.roots ?? [event.root];
    } else if (event.type === 'graph') {
      for (const n of event.nodes) run.nodes.add(n.id);
      for (const e of event.edges) run.edges.add(edgeKey(e));
    } else if (event.type === 'task-running')
      run.running.set(event.taskId, { attempt: event.attempt, since: event.time });
    else if (event.type === 'task-done') {
      run.done.set(event.taskId, event.attempt);
      run.running.delete(event.taskId);
    } else if (event.type === 'task-failed') run.running.delete(event.taskId);
    else if (event.type === 'run-finished') run.finished = line;
  }
  return run;
}

/**
 * The lines to store for each line of a resumed scheduler (none, one, or a note), in order.
 * `resumedBy` names the worker that took the run over.
 */
export function resumeSplicer(stored: StoredRun, resumedBy: string): (line: string) => string[] {
  let seq = stored.lastSeq;
  const stamp = (event: RunEvent) => JSON.stringify({ ...event, seq: ++seq });
  return (line) => {
    const event = JSON.parse(line) as RunEvent;
    const key = attemptKey(event);
    if (key) {
      if (stored.said.has(key)) return [];
      stored.said.add(key);
    }
    switch (event.type) {
      case 'run-started': {
        const root = stored.roots[0] ?? event.root;
        const note = {
          v: event.v,
          runId: event.runId,
          seq: 0,
          time: event.time,
          type: 'task-log',
          taskId: root,
          level: 'warn',
          line: `the run's coordinator was lost; worker ${resumedBy} resumed the run (tasks already done are not run again, tasks in flight are followed, not started twice)`,
        } as RunEvent;
        return [stamp(note)];
      }
      case 'graph': {
        const nodes = event.nodes.filter((n) => !stored.nodes.has(n.id));
        const edges = event.edges.filter((e) => !stored.edges.has(edgeKey(e)));
        for (const n of nodes) stored.nodes.add(n.id);
        for (const e of edges) stored.edges.add(edgeKey(e));
        return nodes.length + edges.length > 0 ? [stamp({ ...event, nodes, edges })] : [];
      }
      case 'task-skipped': {
        if (event.reason !== 'already-complete') return [stamp(event)];
        // Complete now because this run did it before the resume: already said by its task-done.
        if (stored.done.has(event.taskId)) return [];
        // Its job ended while no coordinator followed it: done in this run all the same.
        const running = stored.running.get(event.taskId);
        if (!running) return [stamp(event)];
        stored.running.delete(event.taskId);
        stored.done.set(event.taskId, running.attempt);
        const done = {
          v: event.v,
          runId: event.runId,
          seq: 0,
          time: event.time,
          type: 'task-done',
          taskId: event.taskId,
          attempt: running.attempt,
          durationMs: event.time - running.since,
        } as RunEvent;
        return [stamp(done)];
      }
      case 'run-finished':
        return [stamp(finishedWithEarlierWork(event, stored))];
      default:
        return [stamp(event)];
    }
  };
}

function finishedWithEarlierWork(event: RunFinishedEvent, stored: StoredRun): RunFinishedEvent {
  const s = event.summary;
  const earlier = [...stored.done.keys()].filter((id) => !s.ran.includes(id));
  const attempts = { ...(s.attempts ?? {}) };
  for (const id of earlier) attempts[id] = stored.done.get(id)!;
  return {
    ...event,
    durationMs: Math.max(event.durationMs, event.time - stored.startedAt),
    summary: {
      ...s,
      ran: [...earlier, ...s.ran],
      alreadyComplete: s.alreadyComplete.filter((id) => !stored.done.has(id)),
      ...(s.attempts ? { attempts } : {}),
    },
  };
}
