import { type WriteResult } from '../engine/writer';
import { outputLayout } from '../model/output-layout';
import { type RootPlatform } from './synth-output';

/** Which releases file a run used, and what fitting it to the config changed. */
export function formatReleasesSource(root: RootPlatform, outDir: string): string[] {
  const { releases } = root;
  const head = releases.seeded ? `releases: ${releases.file} (seed: ${outDir} has no ${outputLayout.releases()})` : `releases: ${releases.file}`;
  return [head, ...root.notes.map((n) => `releases: ${n}`)];
}

/** How many paths a dry run lists before it counts the rest. */
export const DRY_RUN_LISTED = 50;

/**
 * One line per scope: `dev  3 added, 1 changed, 0 removed, 24 unchanged`; with `dryRun`, one line
 * per file it would touch (`would add kubernetes/dev/x.yaml`), then `would write N file(s)`.
 */
export function formatSummary(result: WriteResult, outDir: string, dryRun = false): string[] {
  const width = Math.max(...result.summaries.map((s) => s.scope.length));
  const lines = result.summaries.map(
    (s) => `${s.scope.padEnd(width)}  ${s.added} added, ${s.changed} changed, ${s.removed} removed, ${s.unchanged} unchanged`,
  );
  if (dryRun) {
    // What a run would do, one line per file: enough to review, never a wall of paths.
    const shown = result.changes.slice(0, DRY_RUN_LISTED).map((c) => `would ${c.change} ${c.path}`);
    const rest = result.changes.length - shown.length;
    lines.push(...shown, ...(rest > 0 ? [`... and ${rest} more file(s)`] : []));
  }
  lines.push(`${dryRun ? 'would write' : 'wrote'} ${result.touched.length} file(s) under ${outDir}`);
  if (result.drift.length > 0) {
    const shown = result.drift.slice(0, 5).join(', ');
    const more = result.drift.length > 5 ? ` and ${result.drift.length - 5} more` : '';
    lines.push(
      `kept ${result.drift.length} hand-edited file(s) the tool would have removed: ${shown}${more}; delete them if they should go, or restore them (git checkout) and run again`,
    );
  }
  return lines;
}
