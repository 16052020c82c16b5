import type { ChangeKind, DiffReport, ObjectChange, RiskFlag } from './report';

/*
 * Every count a report prints is in objects: a Kubernetes object (one file each) or a Terraform
 * block. Text, markdown and json say the same numbers in the same unit.
 */

export type Counts = Record<ChangeKind, number>;

/** The changes of one report section (an environment, `argocd`, a cluster or a Terraform stack). */
export interface SectionSummary extends Counts {
  readonly group: string;
}

export function countChanges(changes: readonly ObjectChange[]): Counts {
  const counts: Counts = { added: 0, changed: 0, removed: 0 };
  for (const c of changes) counts[c.change] += 1;
  return counts;
}

/** One entry per section that has changes, in report order. */
export function sectionSummaries(report: DiffReport): SectionSummary[] {
  return report.groups.flatMap((group) => {
    const inGroup = report.changes.filter((c) => c.group === group);
    return inGroup.length === 0 ? [] : [{ group, ...countChanges(inGroup) }];
  });
}

/** `n object(s)`. */
export function objects(n: number): string {
  return `${n} object${n === 1 ? '' : 's'}`;
}

/** `3 objects changed, 1 added`: the non-zero counts, the unit said once, or `no changes`. */
export function describeCounts(counts: Counts): string {
  const parts = (['changed', 'added', 'removed'] as const).filter((k) => counts[k] > 0);
  if (parts.length === 0) return 'no changes';
  return parts.map((k, i) => (i === 0 ? `${objects(counts[k])} ${k}` : `${counts[k]} ${k}`)).join(', ');
}

/** `dev: 3 objects changed, 1 added`: one line per section that changed. */
export function sectionLine(section: SectionSummary): string {
  return `${section.group}: ${describeCounts(section)}`;
}

/** Where a flag points: section, file and object; the section is left out when the file path names it. */
export function flagPlace(flag: RiskFlag): string[] {
  return flag.path.startsWith(`${flag.group}/`) ? [flag.path, flag.object] : [flag.group, flag.path, flag.object];
}
