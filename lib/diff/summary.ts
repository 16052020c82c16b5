import { compareCodePoints } from '../engine/stable-json';
import type { ChangeKind, DiffReport, ObjectChange, RiskFlag } from './report';

/** Counts of one kind of object in one report section. */
export interface SummaryRow {
  readonly group: string;
  readonly kind: string;
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
}

export type Counts = Record<ChangeKind, number>;

export function countChanges(changes: readonly ObjectChange[]): Counts {
  const counts: Counts = { added: 0, changed: 0, removed: 0 };
  for (const c of changes) counts[c.change] += 1;
  return counts;
}

/** One row per section and kind that has changes, sections in report order, kinds by name. */
export function summaryRows(report: DiffReport): SummaryRow[] {
  return report.groups.flatMap((group) => {
    const inGroup = report.changes.filter((c) => c.group === group);
    const kinds = [...new Set(inGroup.map((c) => c.kind))].sort(compareCodePoints);
    return kinds.map((kind) => ({ group, kind, ...countChanges(inGroup.filter((c) => c.kind === kind)) }));
  });
}

/** `2 added, 1 changed`: the non-zero counts, or `no changes`. */
export function describeCounts(counts: Counts): string {
  const parts = (['added', 'changed', 'removed'] as const).filter((k) => counts[k] > 0).map((k) => `${counts[k]} ${k}`);
  return parts.length === 0 ? 'no changes' : parts.join(', ');
}

/** Where a flag points: section, file and object; the section is left out when the file path names it. */
export function flagPlace(flag: RiskFlag): string[] {
  return flag.path.startsWith(`${flag.group}/`) ? [flag.path, flag.object] : [flag.group, flag.path, flag.object];
}
