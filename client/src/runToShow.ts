// Which run a Run view opens on when this session has none to show (after a window reload, say).
//
// The view's own saved state (vscode.setState) is not trusted for this: VS Code writes it with the
// window's editor layout, and a reload soon after a run can restore a layout saved before the view
// named the run (a restored view then said "No run yet"). The run logs on disk are always current.
import { listRunFiles } from './runHistory';

export type RunToShow =
  /** A run of this session (going or ended): the view follows it. */
  | { kind: 'live' }
  /** A run from the logs; `opened` when it is the past run the person chose, not just the newest. */
  | { kind: 'past'; runId: string; opened: boolean }
  /** No run anywhere: "No run yet" is the truth. */
  | { kind: 'none' };

export interface RunToShowInput {
  /** Whether a run started in this session of the extension host. */
  sessionRun: boolean;
  /** The past run the person last opened in the view, kept by the host; null once it followed a run. */
  opened: string | null | undefined;
  /** Run ids on disk, newest first. */
  onDisk: readonly string[];
}

export function chooseRunToShow({ sessionRun, opened, onDisk }: RunToShowInput): RunToShow {
  // This session's runs are newer than anything on disk before them.
  if (sessionRun) return { kind: 'live' };
  if (opened && onDisk.includes(opened)) return { kind: 'past', runId: opened, opened: true };
  const newest = onDisk[0];
  return newest !== undefined ? { kind: 'past', runId: newest, opened: false } : { kind: 'none' };
}

/** chooseRunToShow over the run logs in `runsDirs`. */
export async function runToShow(
  runsDirs: readonly string[],
  sessionRun: boolean,
  opened: string | null | undefined,
): Promise<RunToShow> {
  const files = await listRunFiles(runsDirs);
  return chooseRunToShow({ sessionRun, opened, onDisk: files.map((f) => f.runId) });
}
