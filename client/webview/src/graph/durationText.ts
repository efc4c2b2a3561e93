// The words of a duration badge: short durations, shares, and the tooltip with the trend.
import type { NodeDuration } from '../messages';

/** "850 ms", "2.40 s", "12.4 s", "3 min 5 s", "2 h 4 min": short enough for a badge. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** "34%", "<1%". */
export function formatShare(share: number): string {
  const pct = Math.round(share * 100);
  return pct === 0 && share > 0 ? '<1%' : `${pct}%`;
}

/** The badge's tooltip: typical, share, latest (slow or not) and every run's time, oldest first. */
export function durationTooltip(family: string, d: NodeDuration): string {
  const runs = d.trend.length;
  return [
    `${family}: typically ${formatDuration(d.medianMs)} (median of ${runs} run${runs === 1 ? '' : 's'}), ${formatShare(d.share)} of the run's task time`,
    `latest: ${formatDuration(d.lastMs)}${d.slow ? ' — slow: over twice the median' : ''}`,
    `trend (oldest first): ${d.trend.map(formatDuration).join(', ')}`,
    'Time paused in the debugger is not counted.',
  ].join('\n');
}
