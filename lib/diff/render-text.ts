import { showValue } from './json-value';
import type { DiffReport, ObjectChange } from './report';
import { risksByApp } from './risk-groups';
import { countChanges, describeCounts, flagPlace, objects, sectionLine, sectionSummaries } from './summary';

const SIGN = { added: '+', changed: '~', removed: '-' } as const;

type Paint = (text: string) => string;

/** ANSI styles, or none when the output is not a terminal. */
function palette(color: boolean): Record<'bold' | 'red' | 'green' | 'cyan' | 'yellow' | 'dim', Paint> {
  const sgr = (code: string): Paint => (color ? (text) => `\u001b[${code}m${text}\u001b[0m` : (text) => text);
  return { bold: sgr('1'), red: sgr('31'), green: sgr('32'), cyan: sgr('36'), yellow: sgr('33'), dim: sgr('2') };
}

/**
 * The report for a terminal or a log: the risk flags per app, one summary line per section that
 * changed, then each section with its objects, a unified diff for each changed Kubernetes object
 * and the changed attributes of each Terraform block. Every count is in objects.
 */
export function renderText(report: DiffReport, options: { color: boolean }): string {
  const paint = palette(options.color);
  const counts = countChanges(report.changes);
  if (report.changes.length === 0) {
    return `No changes: the synthesized platform matches ${report.against} (${objects(report.unchangedObjects)} compared).\n`;
  }
  const lines: string[] = [
    paint.bold(`Platform diff against ${report.against}: ${describeCounts(counts)}; ${objects(report.unchangedObjects)} unchanged`),
    '',
    paint.bold(`Risks (${report.risks.length})`),
  ];
  if (report.risks.length === 0) lines.push('  none');
  for (const group of risksByApp(report.risks)) {
    lines.push(`  ${paint.bold(group.app)} (${group.environments.join(', ')})`);
    for (const r of group.flags) lines.push(paint.yellow(`    ! ${r.severity} [${r.rule}] ${flagPlace(r).join(' ')}: ${r.reason}`));
  }
  lines.push('', paint.bold('Summary'));
  for (const section of sectionSummaries(report)) lines.push(`  ${sectionLine(section)}`);
  if (report.drift.length > 0) {
    lines.push('', paint.bold(`Edited by hand since the tool wrote them (${report.drift.length}): synth keeps these and refuses to overwrite them`));
    for (const p of report.drift) lines.push(paint.yellow(`  ! ${p}`));
  }

  for (const group of report.groups) {
    const changes = report.changes.filter((c) => c.group === group);
    if (changes.length === 0) continue;
    lines.push('', paint.bold(`${group}: ${describeCounts(countChanges(changes))}`));
    for (const change of changes) lines.push(...renderChange(change, paint));
  }
  return `${lines.join('\n')}\n`;
}

function stylePatchLine(line: string, paint: ReturnType<typeof palette>): string {
  if (line.startsWith('+++') || line.startsWith('---')) return paint.bold(line);
  if (line.startsWith('+')) return paint.green(line);
  if (line.startsWith('-')) return paint.red(line);
  return line.startsWith('@@') ? paint.cyan(line) : line;
}

function renderChange(change: ObjectChange, paint: ReturnType<typeof palette>): string[] {
  const colour = change.change === 'added' ? paint.green : change.change === 'removed' ? paint.red : paint.yellow;
  const where = change.plane === 'kubernetes' || change.kind === 'file' ? `  ${paint.dim(change.path)}` : '';
  const out = [`  ${colour(`${SIGN[change.change]} ${change.name}`)}${where}`];
  for (const a of change.attributes ?? []) out.push(`      ${a.path}: ${paint.red(showValue(a.before))} → ${paint.green(showValue(a.after))}`);
  for (const line of (change.patch ?? '').split('\n')) {
    if (line === '') continue;
    out.push(`      ${stylePatchLine(line, paint)}`);
  }
  return out;
}
