import { showValue } from './json-value';
import type { DiffReport, ObjectChange } from './report';
import { risksByApp } from './risk-groups';
import { countChanges, describeCounts, flagPlace, objects, sectionLine, sectionSummaries } from './summary';

const code = (text: string): string => `\`${text.replace(/`/g, "'")}\``;

/** A code fence longer than any run of backticks in the text, so no content can close it. */
function fence(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  return '`'.repeat(Math.max(3, longest + 1));
}

/**
 * The report as a pull-request comment (GitHub-flavoured Markdown) a reviewer reads in 30 seconds:
 * the risk flags per app, one summary line per section that changed, then one collapsed
 * `<details>` section per environment or stack with its diffs. Every count is in objects.
 */
export function renderMarkdown(report: DiffReport): string {
  const counts = countChanges(report.changes);
  const out: string[] = ['### Platform diff', ''];
  if (report.changes.length === 0) {
    out.push(`No changes: the synthesized platform matches ${code(report.against)} (${objects(report.unchangedObjects)} compared).`);
    return `${out.join('\n')}\n`;
  }
  out.push(`Compared with ${code(report.against)}: ${describeCounts(counts)}; ${objects(report.unchangedObjects)} unchanged.`, '');
  out.push(`#### Risks (${report.risks.length})`, '');
  if (report.risks.length === 0) out.push('No risk flags.');
  for (const group of risksByApp(report.risks)) {
    out.push(`- **${group.app}** (${group.environments.map(code).join(', ')})`);
    for (const r of group.flags) out.push(`  - :warning: ${r.severity} **${r.rule}** ${flagPlace(r).map(code).join(' ')}: ${r.reason}`);
  }
  out.push('', '#### Summary', '');
  for (const section of sectionSummaries(report)) out.push(`- ${sectionLine(section)}`);
  if (report.drift.length > 0) {
    out.push('', `#### Edited by hand (${report.drift.length})`, '', 'Synth keeps these files and refuses to overwrite them: restore or delete them.', '');
    for (const p of report.drift) out.push(`- ${code(p)}`);
  }

  for (const group of report.groups) {
    const changes = report.changes.filter((c) => c.group === group);
    if (changes.length === 0) continue;
    out.push('', `<details><summary><b>${group}</b>: ${describeCounts(countChanges(changes))}</summary>`, '');
    for (const kind of ['added', 'removed'] as const) {
      const listed = changes.filter((c) => c.change === kind);
      if (listed.length > 0) out.push(`${kind === 'added' ? 'Added' : 'Removed'}: ${listed.map((c) => code(c.name)).join(', ')}`, '');
    }
    const body = changes.filter((c) => c.change === 'changed').map(changeBlock).join('\n');
    if (body !== '') {
      const f = fence(body);
      out.push(`${f}diff`, body, f, '');
    }
    out.push('</details>');
  }
  return `${out.join('\n')}\n`;
}

/** A changed object in diff syntax: its unified diff, or `@@ address @@` and one -/+ pair per attribute. */
function changeBlock(change: ObjectChange): string {
  if (change.patch !== undefined) return change.patch.replace(/\n$/, '');
  const lines = [`@@ ${change.name} @@`];
  for (const a of change.attributes ?? []) {
    if (a.before !== undefined) lines.push(`-  ${a.path} = ${showValue(a.before)}`);
    if (a.after !== undefined) lines.push(`+  ${a.path} = ${showValue(a.after)}`);
  }
  return lines.join('\n');
}
