import { Command } from 'commander';
import { platformConfig, SEED_RELEASES } from '../apps/platform';
import { terraformWorker } from './platform-source';
import { DIFF_FORMATS, parseFormat, runDiff, wantsColor } from './diff-command';
import { UsageError } from './errors';
import { commanderOutput, exitWith } from './exit';
import { checkOutDir, defaultOutDir, PROJECT_DIR } from './project-dir';
import { type Plane, PLANES } from '../lib/pipeline/synth';
import { sourceCommit } from './source-commit';
import { formatReleasesSource, formatSummary } from '../lib/pipeline/summary';
import { loadRootPlatform, runSynth } from '../lib/pipeline/synth-output';


function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parsePlane(value: string | undefined): readonly Plane[] {
  if (value === undefined) return PLANES;
  const plane = PLANES.find((p) => p === value);
  if (plane === undefined) throw new UsageError(`unknown plane "${value}" in --plane; fix: use ${PLANES.join(' or ')}`);
  return [plane];
}

async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('platform-as-code')
    .description('Synthesize the platform: Terraform JSON for GCP and Kubernetes manifests for GitOps.')
    .exitOverride()
    .configureOutput(commanderOutput(argv));

  let exitCode = 0;
  program
    .command('synth')
    .description('write both planes into an output root (dist/ or a GitOps checkout)')
    .option('--out <dir>', 'output root (default: dist/ of this project)')
    .option('--env <name>', 'synthesize only this environment (repeatable)', collect, [])
    .option('--plane <plane>', `only one plane: ${PLANES.join(' or ')}`)
    .option('--dry-run', 'report what would change without writing', false)
    .action(async (options: { out?: string; env: string[]; dryRun: boolean; plane?: string }) => {
      const opts = { ...options, out: options.out ?? defaultOutDir() };
      const planes = parsePlane(opts.plane);
      checkOutDir(opts.out, '--out');
      // The output root's own releases.json, else the seed apps/releases.json.
      const root = loadRootPlatform(opts.out, platformConfig, SEED_RELEASES);
      const result = runSynth({
        platform: root.platform,
        // The same platform as data: the Terraform plane is synthesized on a worker thread.
        worker: terraformWorker({ kind: 'sample', releases: root.releases.config }),
        releases: root.releases.config,
        outDir: opts.out,
        envs: opts.env,
        sourceCommit: sourceCommit(PROJECT_DIR),
        dryRun: opts.dryRun,
        planes,
      });
      for (const line of formatReleasesSource(root, opts.out)) process.stdout.write(`${line}\n`);
      for (const line of formatSummary(result, opts.out, opts.dryRun)) process.stdout.write(`${line}\n`);
      exitCode = 0;
    });

  program
    .command('diff')
    .description('compare a fresh synth with an output root or a git ref of the GitOps repository')
    .option('--against <dir>', 'output root or GitOps checkout to compare with (default: dist/ of this project)')
    .option('--against-ref <ref>', 'compare with this commit of the GitOps repository instead (needs --gitops)')
    .option('--gitops <dir>', 'the GitOps repository --against-ref is read from')
    .option('--env <name>', 'compare only this environment (repeatable)', collect, [])
    .option('--format <format>', `${DIFF_FORMATS.join(' or ')}`, 'text')
    .action((opts: { against?: string; againstRef?: string; gitops?: string; env: string[]; format: string }) => {
      const result = runDiff({
        // Built with the releases of the tree compared with, as synth would build it there.
        config: platformConfig,
        seed: SEED_RELEASES,
        against: opts.against,
        againstRef: opts.againstRef,
        gitops: opts.gitops,
        envs: opts.env,
        format: parseFormat(opts.format),
        color: wantsColor(process.stdout, process.env),
      });
      process.stdout.write(result.text);
      exitCode = result.exitCode;
    });

  await program.parseAsync([...argv], { from: 'user' });
  return exitCode;
}

exitWith(main(process.argv.slice(2)));
