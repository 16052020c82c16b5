#!/usr/bin/env node
// The platform's one command: `npx platform-as-code <command> ...` in this repository, and every
// `npm run <command>` script. It routes each command to the program that runs it (scripts/run.js
// bundles the TypeScript entry points), so a command loads only what it needs: synth never loads the
// schema validator. Paths on the command line resolve from the caller's directory.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { runEntry } = require('../scripts/run');

const PROJECT = path.resolve(__dirname, '..');
const NAME = 'platform-as-code';

/** Every command: the program that runs it, what it does, and one example. */
const COMMANDS = [
  { name: 'synth', entry: 'cli/main.ts', summary: 'write both planes into an output root (dist/ or a GitOps checkout)', example: 'synth --out ../gitops --env dev' },
  { name: 'diff', entry: 'cli/main.ts', summary: 'what a synth would change in an output root or a commit of the GitOps repository', example: 'diff --against-ref HEAD --gitops ../gitops --format markdown' },
  { name: 'validate', entry: 'cli/release-main.ts', summary: 'check an output against upstream schemas and what the controllers do with it', example: 'validate --dir ../gitops --format sarif' },
  { name: 'release', entry: 'cli/release-main.ts', summary: 'release a tag into the first environment and commit it to the GitOps repository', example: 'release v1.2.3 --gitops ../gitops --push' },
  { name: 'promote', entry: 'cli/release-main.ts', summary: "move one environment's release into the next, through the promotion gates", example: 'promote --from canary --to prod --gitops ../gitops --prometheus http://prometheus:9090' },
  { name: 'status', entry: 'cli/release-main.ts', summary: 'what each environment runs, since when and from which commit', example: 'status --gitops ../gitops --format json' },
  { name: 'history', entry: 'cli/release-main.ts', summary: 'the past releases of each environment', example: 'history --gitops ../gitops --env prod' },
  { name: 'rollback', entry: 'cli/release-main.ts', summary: 'point an environment back at a release its history recorded', example: 'rollback --env prod --steps 1 --gitops ../gitops' },
  { name: 'dora', entry: 'cli/release-main.ts', summary: 'deployment frequency, lead time, change failure rate and time to restore', example: 'dora --gitops ../gitops --since 30d' },
  { name: 'bench', entry: 'cli/bench.ts', summary: 'time full synths of a synthetic platform (docs/ARCHITECTURE.md)', example: 'bench --apps 100 --apps 200', own: true },
];

/** Options a command reads; npm takes them for its own when `--` is missing (see npmTookOptions). */
const OPTIONS = [
  'out', 'env', 'plane', 'dry-run', 'format', 'against', 'against-ref', 'gitops', 'dir', 'app', 'digest', 'push', 'from', 'to', 'force',
  'reason', 'step', 'prometheus', 'steps', 'since', 'until', 'limit', 'apps', 'runs', 'baseline',
];

const HELP = [
  `usage: ${NAME} <command> [options]      (npm run <command> -- [options] does the same)`,
  '',
  'Commands:',
  ...COMMANDS.map((c) => `  ${c.name.padEnd(9)} ${c.summary}\n  ${' '.repeat(9)} e.g. ${NAME} ${c.example}`),
  '',
  'Global option: --format text|markdown|json, for the commands that print a report (diff, validate,',
  'status, history, dora); each command lists its own formats in --help.',
  `Run ${NAME} <command> --help for a command's options. Paths resolve from the current directory.`,
  '',
  'Exit codes:',
  '  0    done; nothing to report (diff: no change, validate: no violation)',
  '  1    diff: the output changes; validate, release, promote, rollback: the output has violations',
  '  2    bad input: an unknown command or option, config, environment, tag, checkout or a refused gate',
  '  130  interrupted by SIGINT, 143 by SIGTERM: the checkout is rolled back; run the command again',
  '',
].join('\n');

/** The closest command name, for "did you mean". */
function closest(word) {
  const distance = (a, b) => {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i += 1) {
      let previous = row[0];
      row[0] = i;
      for (let j = 1; j <= b.length; j += 1) {
        const next = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
        previous = row[j];
        row[j] = next;
      }
    }
    return row[b.length];
  };
  const best = COMMANDS.map((c) => ({ name: c.name, d: distance(word, c.name) })).sort((a, b) => a.d - b.d)[0];
  return best.d <= 3 ? best.name : undefined;
}

function fail(message) {
  process.stderr.write(`error: ${message}\n`);
  process.exit(2);
}

/**
 * Options npm read as its own: `npm run synth --dry-run` (no `--`) gives npm the flag, exports it as
 * npm_config_dry_run, and runs the command without it. Silently writing for real is worse than
 * stopping, so the command refuses to run.
 */
function npmTookOptions(env) {
  return OPTIONS.filter((o) => env[`npm_config_${o.replace(/-/g, '_')}`] !== undefined);
}

/** Moves a global `--format X` given before the command to after it, where the command reads it. */
function hoistFormat(argv) {
  const global = [];
  let at = 0;
  while (argv[at] === '--format' || (argv[at] ?? '').startsWith('--format=')) {
    const width = argv[at] === '--format' ? 2 : 1;
    global.push(...argv.slice(at, at + width));
    at += width;
  }
  if (global.length === 0 || argv[at] === undefined) return argv;
  return [argv[at], ...global, ...argv.slice(at + 1)];
}

function main(argv, env) {
  const viaNpm = COMMANDS.some((c) => c.name === env.npm_lifecycle_event);
  if (viaNpm) {
    const taken = npmTookOptions(env);
    if (taken.length > 0) {
      const flags = taken.map((o) => `--${o}`).join(' ');
      fail(`npm read ${flags} as its own option, so ${env.npm_lifecycle_event} would run without it; fix: npm run ${env.npm_lifecycle_event} -- ${flags} ..., or ${NAME} ${env.npm_lifecycle_event} ${flags} ...`);
    }
    // npm runs scripts from the project's top; the caller's paths are relative to where they stand.
    const caller = env.INIT_CWD;
    if (caller !== undefined && caller !== '' && fs.existsSync(caller)) process.chdir(caller);
  }
  const args = hoistFormat(argv);
  const [first, ...rest] = args;
  if (first === undefined || first === '--help' || first === '-h' || (first === 'help' && rest.length === 0)) {
    process.stdout.write(HELP);
    return;
  }
  if (first === '--version' || first === '-V') {
    process.stdout.write(`${JSON.parse(fs.readFileSync(path.join(PROJECT, 'package.json'), 'utf8')).version}\n`);
    return;
  }
  const name = first === 'help' ? rest[0] : first;
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    const guess = name.startsWith('-') ? undefined : closest(name);
    const what = name.startsWith('-') ? `option ${name} comes before a command` : `unknown command "${name}"`;
    fail(`${what}; fix: ${guess === undefined ? '' : `did you mean ${guess}? `}run ${NAME} --help for the commands: ${COMMANDS.map((c) => c.name).join(', ')}`);
  }
  const commandArgs = first === 'help' ? ['--help'] : rest;
  runEntry(command.entry, command.own ? commandArgs : [command.name, ...commandArgs]);
}

module.exports = { COMMANDS };

if (require.main === module) main(process.argv.slice(2), process.env);
