// What the status bar says about the run in progress: pure, so its wording is tested without VS Code.
import type { RunMode } from './runCommandLine';
import type { RunProgress } from './runState';

export interface RunStatus {
  family: string;
  mode: RunMode;
  paused: boolean;
  progress: RunProgress;
}

/**
 * "Plumb: Top10Artists 3/7", "… paused 3/7". Before the runtime has announced its tasks (a debugger
 * holding discovery, a pipeline still loading) there is no count to give: "0/0" would read as a run
 * of nothing.
 */
export function runStatusText({ family, paused, progress: p }: RunStatus): string {
  const icon = paused ? '$(debug-pause)' : '$(sync~spin)';
  const state = paused ? ' paused' : p.total === 0 ? ' starting' : '';
  const count = p.total > 0 ? ` ${p.settled}/${p.total}` : '';
  const failed = p.failed > 0 ? ` · ${p.failed} failed` : '';
  return `${icon} Plumb: ${family}${state}${count}${failed}`;
}

export function runStatusTooltip({ family, mode, paused, progress: p }: RunStatus): string {
  const settled = p.total > 0 ? `${p.settled} of ${p.total} tasks settled` : 'its tasks are not known yet';
  if (paused) return `Plumb: the debugger stopped the run of ${family}; ${settled}. Click to show the run.`;
  const running = p.total > 0 ? `, ${p.running} running` : '';
  return `Plumb is ${mode === 'debug' ? 'debugging' : 'running'} ${family}: ${settled}${running}. Click to show the run.`;
}
