// The process `npm run bench -- --diff` times: what `diff` adds to an in-memory synth of a synthetic
// platform of --apps apps, against an unchanged directory, against a copy in which every production
// workload's tag moved back (so every app changes and raises a flag), and against that copy
// committed to git. Prints {"apps":N,"files":F,"unchangedDirMs":…,"changedDirMs":…,"changedGitRefMs":…}.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Command } from 'commander';
import { diffOutput } from '../lib/diff/compare';
import { renderMarkdown } from '../lib/diff/render-markdown';
import { renderText } from '../lib/diff/render-text';
import { dirSource, gitRefSource, type TreeSource } from '../lib/diff/tree-source';
import { synthPlatform } from '../lib/pipeline/synth';
import { runSynth } from '../lib/pipeline/synth-output';
import { buildPlatform } from './platform-source';

const opts = new Command('bench-diff').requiredOption('--apps <n>').parse(process.argv.slice(2), { from: 'user' }).opts<{ apps: string }>();
const platform = buildPlatform({ kind: 'synthetic', apps: Number(opts.apps) });
const scratch = fs.mkdtempSync(path.join(tmpdir(), 'platform-bench-diff-'));
try {
  const tree = path.join(scratch, 'tree');
  runSynth({ platform, outDir: tree, envs: [], sourceCommit: 'bench' });
  const output = synthPlatform(platform);
  const changed = path.join(scratch, 'changed');
  fs.cpSync(tree, changed, { recursive: true });
  const prod = path.join(changed, 'kubernetes', 'prod');
  let moved = 0;
  for (const file of fs.readdirSync(prod).filter((f) => /^(deployment|rollout)-/.test(f))) {
    const text = fs.readFileSync(path.join(prod, file), 'utf8');
    // Every workload's tag one patch release back: a change and an image-tag-backwards flag each.
    const next = text.replace(/:v(\d+)\.(\d+)\.(\d+)/g, (_, a: string, b: string, c: string) => `:v${a}.${b}.${Number(c) === 0 ? 0 : Number(c) - 1}`);
    if (next !== text) moved += 1;
    fs.writeFileSync(path.join(prod, file), next);
  }
  const git = (...args: string[]): void => {
    execFileSync('git', ['-C', changed, ...args], { stdio: 'ignore' });
  };
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('-c', 'user.name=bench', '-c', 'user.email=bench@example.com', 'commit', '-q', '-m', 'bench');
  const options = { environments: platform.environments.map((e) => e.name), production: [platform.production.name] };
  const time = (open: () => TreeSource): { ms: number; changes: number } => {
    const start = process.hrtime.bigint();
    const report = diffOutput(output, open(), options);
    renderText(report, { color: false });
    renderMarkdown(report);
    return { ms: Number((process.hrtime.bigint() - start) / 1_000_000n), changes: report.changes.length };
  };
  const unchanged = time(() => dirSource(tree));
  const changedDir = time(() => dirSource(changed));
  const changedRef = time(() => gitRefSource(changed, 'HEAD'));
  if (unchanged.changes !== 0 || changedDir.changes < moved || changedRef.changes !== changedDir.changes) {
    throw new Error(`unexpected diff: ${unchanged.changes} changes against itself, ${changedDir.changes} and ${changedRef.changes} against ${moved} moved workloads`);
  }
  process.stdout.write(
    `${JSON.stringify({ apps: Number(opts.apps), files: output.files.length, changed: moved, unchangedDirMs: unchanged.ms, changedDirMs: changedDir.ms, changedGitRefMs: changedRef.ms })}\n`,
  );
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
