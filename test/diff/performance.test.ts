import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { synthPlatform } from '../../lib/pipeline/synth';
import { runSynth } from '../../lib/pipeline/synth-output';
import { syntheticPlatform } from '../../cli/synthetic-platform';
import { diffOutput } from '../../lib/diff/compare';
import { renderMarkdown } from '../../lib/diff/render-markdown';
import { renderText } from '../../lib/diff/render-text';
import { DiffReport } from '../../lib/diff/report';
import { dirSource, gitRefSource, TreeSource } from '../../lib/diff/tree-source';
import { commitAll, copyTree, removeTempDirs, scratchDir } from './fixtures';

afterAll(removeTempDirs);

/** The budget: diff may add at most this much over a synth of 100 apps. */
const BUDGET_MS = 1000;

test('diff adds well under a second over the synth of 100 apps', () => {
  const platform = syntheticPlatform(100);
  const tree = scratchDir();
  runSynth({ platform, outDir: tree, envs: [], sourceCommit: 'bench' });
  const output = synthPlatform(platform);
  const options = { environments: platform.environments.map((e) => e.name), production: [platform.production.name] };

  // Everything after the in-memory synth: listing, comparing, parsing what differs, rendering.
  const time = (source: () => TreeSource): { ms: number; report: DiffReport } => {
    const start = performance.now();
    const report = diffOutput(output, source(), options);
    renderText(report, { color: false });
    renderMarkdown(report);
    return { ms: performance.now() - start, report };
  };

  const same = time(() => dirSource(tree));
  expect(same.report.changes).toEqual([]);

  // Every prod workload (Argo Rollout or Deployment) on a newer tag than the synth: one YAML diff and one risk flag each.
  const newer = copyTree(tree);
  const prod = path.join(newer, 'kubernetes', 'prod');
  for (const file of fs.readdirSync(prod).filter((f) => /^(deployment|rollout)-/.test(f))) {
    const text = fs.readFileSync(path.join(prod, file), 'utf8');
    fs.writeFileSync(path.join(prod, file), text.replace(/:v1\.3\.1\b/g, ':v1.3.9'));
  }
  const changed = time(() => dirSource(newer));
  expect(changed.report.changes).toHaveLength(100);
  expect(changed.report.risks.filter((r) => r.rule === 'image-tag-backwards')).toHaveLength(100);

  commitAll(newer, 'synth');
  const ref = time(() => gitRefSource(newer, 'HEAD'));
  expect(ref.report.changes).toHaveLength(100);

  process.stdout.write(
    `diff overhead, 100 apps, ${output.files.length} files: unchanged dir ${same.ms.toFixed(0)} ms, ` +
      `100 changed dir ${changed.ms.toFixed(0)} ms, 100 changed git ref ${ref.ms.toFixed(0)} ms\n`,
  );
  for (const run of [same, changed, ref]) expect(run.ms).toBeLessThan(BUDGET_MS);
}, 180_000);
