import { showValue } from './json-value';
import type { DiffReport, ObjectChange } from './report';
import { risksByApp } from './risk-groups';
import { countChanges, describeCounts, flagPlace, summaryRows } from './summary';

const SIGN = { added: '+', changed: '~', removed: '-' } as const;

type Paint = (text: string) => string;

/** ANSI styles, or none when the output is not a terminal. */
function palette(color: boolean): Record<'bold' | 'red' | 'green' | 'cyan' | 'yellow' | 'dim', Paint> {
  const sgr = (code: string): Paint => (color ? (text) => `\u001b[${code}m${text}\u001b[0m` : (text) => text);
  return { bold: sgr('1'), red: sgr('31'), green: sgr('32'), cyan: sgr('36'), yellow: sgr('33'), dim: sgr('2') };
}

/** A left-aligned table with two spaces between columns; numbers align right. */
function table(rows: readonly (readonly string[])[], numeric: ReadonlySet<number>): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (numeric.has(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ').trimEnd());
}

/**
 * The report for a terminal or a log: the risk flags per app, the summary table, then each section with
 * its objects, a unified diff for each changed Kubernetes object and the changed attributes of
 * each Terraform block.
 */
export function renderText(report: DiffReport, options: { color: boolean }): string {
  const paint = palette(options.color);
  const counts = countChanges(report.changes);
  if (report.changes.length === 0) {
    return `No changes: the synthesized platform matches ${report.against} (${report.unchangedFiles} files compared).\n`;
  }
  const lines: string[] = [
    paint.bold(`Platform diff against ${report.against}: ${describeCounts(counts)} (${report.unchangedFiles} files unchanged)`),
    '',
    paint.bold(`Risks (${report.risks.length})`),
  ];
  if (report.risks.length === 0) lines.push('  none');
  for (const group of risksByApp(report.risks)) {
    lines.push(`  ${paint.bold(group.app)} (${group.environments.join(', ')})`);
    for (const r of group.flags) lines.push(paint.yellow(`    ! ${r.severity} [${r.rule}] ${flagPlace(r).join(' ')}: ${r.reason}`));
  }
  lines.push('', paint.bold('Summary'));
  const rows = summaryRows(report).map((r) => [r.group, r.kind, String(r.added), String(r.changed), String(r.removed)]);
  lines.push(...table([['section', 'kind', 'added', 'changed', 'removed'], ...rows], new Set([2, 3, 4])).map((l) => `  ${l}`));
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
