import { type DiffReport } from './report';

/**
 * The report as one JSON document for other tools (docs/diff.md, "Formats"): the risks with their
 * rule ids first, then every change, the counts and the drift. Patches are left out; attribute
 * changes of Terraform blocks keep their old and new values.
 */
export function renderJson(report: DiffReport): string {
  return `${JSON.stringify({
    against: report.against,
    changed: report.changes.length > 0,
    risks: report.risks.map((r) => ({ rule: r.rule, severity: r.severity, app: r.app, environment: r.environment, file: r.path, object: r.object, reason: r.reason })),
    changes: report.changes.map((c) => ({
      group: c.group,
      file: c.path,
      plane: c.plane,
      kind: c.kind,
      object: c.name,
      change: c.change,
      ...(c.attributes ? { attributes: c.attributes.map((a) => ({ path: a.path, before: a.before, after: a.after })) } : {}),
    })),
    unchangedFiles: report.unchangedFiles,
    drift: [...report.drift],
  }, null, 2)}\n`;
}
