// What a folded family node says of its instances' data checks and missed SLAs: one badge for the
// checks (the worst instance sets it: "✗ 2 failed checks" means two instances failed one), one mark
// for the instances whose SLA was missed, each with the instances in its hover. DOM-free;
// familyNode.ts draws them.
import { checkBadge, type CheckBadge, type CheckResult } from './checkResults';
import { slaMissLine, type SlaMiss } from './slaMisses';

export interface FamilyInstance {
  id: string;
  checks?: CheckResult[];
  slaMiss?: SlaMiss;
}

/** Instances named in a hover; the rest are counted. */
const HOVER_LINES = 10;

function hover(lines: string[]): string {
  const shown = lines.slice(0, HOVER_LINES);
  if (lines.length > HOVER_LINES) shown.push(`… and ${lines.length - HOVER_LINES} more`);
  return shown.join('\n');
}

/** The instances' checks at a glance: failed beats warn beats ok; nothing when none has checks. */
export function familyCheckBadge(instances: readonly FamilyInstance[]): CheckBadge | undefined {
  const badges = instances.flatMap((i) => {
    const badge = checkBadge(i.checks);
    return badge ? [{ id: i.id, badge }] : [];
  });
  if (badges.length === 0) return undefined;
  const failed = badges.filter((b) => b.badge.kind === 'failed');
  const warned = badges.filter((b) => b.badge.kind === 'warn');
  const passed = badges.length - failed.length - warned.length;
  const title = hover([
    ...[...failed, ...warned].map((b) => `${b.id}: ${b.badge.text}`),
    ...(passed > 0 ? [`${passed} of ${badges.length} checked instances passed every check`] : []),
  ]);
  if (failed.length > 0)
    return {
      kind: 'failed',
      text: failed.length === 1 ? '✗ 1 failed check' : `✗ ${failed.length} failed checks`,
      title,
    };
  if (warned.length > 0) return { kind: 'warn', text: `⚠ ${warned.length} warn`, title };
  return { kind: 'ok', text: `✓ ${badges.length} checked`, title };
}

/** "SLA missed" (or "SLA missed ×3") with each instance's miss in the hover; nothing when none missed. */
export function familySlaMark(
  instances: readonly FamilyInstance[],
): { text: string; title: string } | undefined {
  const misses = instances.flatMap((i) => (i.slaMiss ? [i.slaMiss] : []));
  if (misses.length === 0) return undefined;
  return {
    text: misses.length === 1 ? 'SLA missed' : `SLA missed ×${misses.length}`,
    title: hover(misses.map(slaMissLine)),
  };
}
