// Durations on the graph's nodes: each family's typical time (median of its last runs) and share of
// the run in a badge on the node's bottom edge, a slow latest run marked, and the trend over its last
// runs as a sparkline with every run's time in the tooltip. Badges sit outside the layout (no size change).
import type { NodeDuration } from '../messages';
import { el } from '../shared/dom';
import { durationTooltip, formatDuration, formatShare } from './durationText';
import './durations.css';

const SVG = 'http://www.w3.org/2000/svg';
const SPARK_W = 44;
const SPARK_H = 12;

/** One bar per run, scaled to the longest; bars over twice the median are marked slow. */
function sparkline(d: NodeDuration): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'duration-trend');
  svg.setAttribute('width', String(SPARK_W));
  svg.setAttribute('height', String(SPARK_H));
  svg.setAttribute('aria-hidden', 'true');
  const max = Math.max(...d.trend, 1);
  const step = SPARK_W / Math.max(d.trend.length, 1);
  d.trend.forEach((ms, i) => {
    const bar = document.createElementNS(SVG, 'rect');
    const h = Math.max(1, (ms / max) * SPARK_H);
    bar.setAttribute('x', (i * step).toFixed(1));
    bar.setAttribute('y', (SPARK_H - h).toFixed(1));
    bar.setAttribute('width', Math.max(1, step - 1).toFixed(1));
    bar.setAttribute('height', h.toFixed(1));
    if (d.medianMs > 0 && ms > 2 * d.medianMs) bar.setAttribute('class', 'slow');
    svg.append(bar);
  });
  return svg;
}

export interface DurationNode {
  id: string;
  family: string;
}

export class DurationBadges {
  private durations: Record<string, NodeDuration> = {};

  set(durations: Record<string, NodeDuration>): void {
    this.durations = durations;
  }

  /** Adds, updates or removes each node's badge (call after each render: nodes are new elements then). */
  apply(nodes: readonly DurationNode[], elementOf: (id: string) => HTMLElement | undefined): void {
    for (const node of nodes) {
      const element = elementOf(node.id);
      if (!element) continue;
      element.querySelector(':scope > .duration-badge')?.remove();
      const d = this.durations[node.family];
      element.classList.toggle('duration-slow', d?.slow === true);
      if (!d) continue;
      const badge = el('span', 'duration-badge');
      badge.title = durationTooltip(node.family, d);
      badge.dataset.medianMs = String(Math.round(d.medianMs));
      badge.append(el('span', 'duration-text', `${formatDuration(d.medianMs)} · ${formatShare(d.share)}`));
      if (d.slow) badge.append(el('span', 'duration-slow-mark', 'slow'));
      if (!element.classList.contains('compact') && d.trend.length > 1) badge.append(sparkline(d));
      element.append(badge);
    }
  }
}
