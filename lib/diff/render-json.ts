import { type DiffReport } from './report';
import { sectionSummaries } from './summary';

/**
 * The report as one JSON document for other tools (docs/diff.md, "Formats"): the risks with their
 * rule ids first, one summary per section that changed, every change, the count of unchanged objects
 * (every count is in objects) and the drift. Patches are left out; attribute
 * changes of Terraform blocks keep their old and new values.
 */
export function renderJson(report: DiffReport): string {
  return `${JSON.stringify({
    against: report.against,
    changed: report.changes.length > 0,
    risks: report.risks.map((r) => ({ rule: r.rule, severity: r.severity, app: r.app, environment: r.environment, file: r.path, object: r.object, reason: r.reason })),
    summary: sectionSummaries(report).map((s) => ({ group: s.group, added: s.added, changed: s.changed, removed: s.removed })),
    changes: report.changes.map((c) => ({
      group: c.group,
      file: c.path,
      plane: c.plane,
      kind: c.kind,
      object: c.name,
      change: c.change,
      ...(c.attributes ? { attributes: c.attributes.map((a) => ({ path: a.path, before: a.before, after: a.after })) } : {}),
    })),
    unchangedObjects: report.unchangedObjects,
    drift: [...report.drift],
  }, null, 2)}\n`;
}
