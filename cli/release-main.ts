// Entry point of `npm run validate`, `release`, `promote`, `status`, `history`, `rollback` and `dora`. A bundle of its own:
// validation loads the kubernetes-models schemas, which the synth bundle (cli/main.ts) must not carry.
import { Command } from 'commander';
import { commanderOutput, exitWith } from './exit';
import { runPromote } from './promote-command';
import { runDora } from './dora-command';
import { runHistory } from './history-command';
import { runRollback } from './rollback-command';
import { runStatus } from './status-command';
import { Interrupted } from '../lib/pipeline/interrupted';
import { type GitOpsRunResult } from '../lib/pipeline/release-transaction';
import { runRelease } from './release-command';
import { runValidate } from './validate-command';
import { renderValidate, validateFormat, VALIDATE_FORMATS } from './validate-report';
import { samplePlatform } from '../apps/platform';


/**
 * An AbortSignal that SIGINT and SIGTERM abort. While it is live the signals no longer end the
 * process: the run stops at its next step, rolls the checkout back and releases its lock, and
 * exitWith ends the process with 128 + the signal's number.
 */
function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  for (const name of ['SIGINT', 'SIGTERM'] as const) {
    process.on(name, () => {
      if (!controller.signal.aborted) controller.abort(new Interrupted(name));
    });
  }
  return controller.signal;
}

/** Prints a release's or promotion's lines and returns its exit code. */
function report(result: GitOpsRunResult): number {
  for (const line of result.stdout) process.stdout.write(`${line}\n`);
  for (const line of result.stderr) process.stderr.write(`${line}\n`);
  return result.exitCode;
}

async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('platform-as-code')
    .description('Release and promote the platform through its GitOps repository.')
    .exitOverride()
    .configureOutput(commanderOutput(argv));

  let exitCode = 0;
  program
    .command('validate')
    .description('validate a synthesized output: upstream schemas, the Kubernetes and GCP baselines, and the joins between objects and planes')
    .option('--dir <dir>', 'an output root or GitOps checkout (default: a fresh synth in memory)')
    .option('--format <format>', `${VALIDATE_FORMATS.join(', ')} (docs/validate.md)`, 'text')
    .action((opts: { dir?: string; format: string }) => {
      const format = validateFormat(opts.format);
      const result = runValidate({ dir: opts.dir, platform: samplePlatform() });
      process.stdout.write(renderValidate(result, format));
      exitCode = result.exitCode;
    });

  program
    .command('release')
    .description('release a tag into the first environment and commit the output to the GitOps checkout')
    .argument('<tag>', 'the release tag: strict semver with a leading v, such as v1.2.3')
    .option('--gitops <dir>', 'the GitOps checkout to synthesize into and commit to')
    .option('--env <name>', 'the environment to release into (default: the first in promotion order)')
    .option('--app <name>', 'release only this app')
    .option('--digest <digest>', "the image's digest, sha256:... (with --app)")
    .option('--push', "push the commit to the checkout's remote", false)
    .action(async (tag: string, opts: { gitops?: string; env?: string; app?: string; digest?: string; push: boolean }) => {
      // The source commit: PLATFORM_SOURCE_COMMIT, else HEAD of a clean checkout (runSource).
      exitCode = report(await runRelease({ ...opts, tag, signal: interruptSignal() }));
    });

  program
    .command('promote')
    .description("copy one environment's release into a later one and commit the output to the GitOps checkout")
    .option('--from <env>', 'the environment whose release moves on')
    .option('--to <env>', 'the environment it moves to (default: the next one)')
    .option('--app <name>', 'promote only this app')
    .option('--gitops <dir>', 'the GitOps checkout to synthesize into and commit to')
    .option('--force', 'allow skipping environments, and promoting past a refused gate (needs --reason)', false)
    .option('--reason <text>', 'why environments or gates are skipped; recorded in the releases file and the commit')
    .option('--step', 'move the canary to its next weight', false)
    .option('--prometheus <url>', "into production: refuse while a promoted app has spent 80% of its error budget, read from this Prometheus")
    .option('--push', "push the commit to the checkout's remote", false)
    .action(async (opts: { from?: string; to?: string; app?: string; gitops?: string; force: boolean; reason?: string; step: boolean; prometheus?: string; push: boolean }) => {
      exitCode = report(await runPromote({ ...opts, signal: interruptSignal() }));
    });

  program
    .command('status')
    .description('what each environment runs, from the GitOps checkout\'s releases.json, and the commit that last changed it')
    .option('--gitops <dir>', 'the GitOps checkout to read')
    .option('--format <format>', 'text or json', 'text')
    .action((opts: { gitops?: string; format: string }) => {
      process.stdout.write(runStatus(opts));
    });

  program
    .command('history')
    .description('the releases each environment ran, newest first, from the commits of releases.json')
    .option('--gitops <dir>', 'the GitOps checkout to read')
    .option('--env <name>', 'only this environment')
    .option('--limit <n>', 'at most this many changes per environment')
    .option('--format <format>', 'text or json', 'text')
    .action((opts: { gitops?: string; env?: string; limit?: string; format: string }) => {
      process.stdout.write(runHistory(opts));
    });

  program
    .command('rollback')
    .description('put an environment back on a release its history recorded, and commit the output to the GitOps checkout')
    .option('--env <name>', 'the environment to roll back')
    .option('--to <tag>', 'the release to restore: a tag the environment ran')
    .option('--steps <n>', 'how many releases back (1: the one before the current)')
    .option('--gitops <dir>', 'the GitOps checkout to synthesize into and commit to')
    .option('--push', "push the commit to the checkout's remote", false)
    .action(async (opts: { env?: string; to?: string; steps?: string; gitops?: string; push: boolean }) => {
      exitCode = report(await runRollback({ ...opts, signal: interruptSignal() }));
    });

  program
    .command('dora')
    .description("the four DORA figures of the production environment, from the GitOps checkout's history")
    .option('--gitops <dir>', 'the GitOps checkout to read')
    .option('--since <duration>', 'the window ending at --until: 30d, 4w or 12h (default 30d)')
    .option('--from <time>', 'the start of the window, ISO 8601 (instead of --since)')
    .option('--until <time>', 'the end of the window, ISO 8601 (default: now)')
    .option('--format <format>', 'text or json', 'text')
    .action((opts: { gitops?: string; since?: string; from?: string; until?: string; format: string }) => {
      process.stdout.write(runDora(opts));
    });

  await program.parseAsync([...argv], { from: 'user' });
  return exitCode;
}

exitWith(main(process.argv.slice(2)));
