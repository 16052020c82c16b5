import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { PROJECT_DIR, tempDir } from '../helpers';

// The one command, `platform-as-code`, as users start it: through npx and through the npm scripts.
// These tests hold what every command shares (routing, help, exit codes, where paths resolve);
// what each command does is tested with the command.

const BIN = path.join(PROJECT_DIR, 'bin', 'platform-as-code.js');
const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
  scripts: Record<string, string>;
};
/** The commands: every npm script that is an alias of the command. */
const COMMANDS = Object.entries(pkg.scripts)
  .filter(([, script]) => script.startsWith('node bin/platform-as-code.js '))
  .map(([name]) => name);

/** The environment of a run outside any npm script: jest itself may run under `npm test`. */
function plainEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^npm_/i.test(key) && key !== 'INIT_CWD') env[key] = value;
  return { ...env, PLATFORM_SOURCE_COMMIT: 'test-commit', FORCE_COLOR: '0', ...extra };
}

function run(command: string, args: readonly string[], cwd: string, env = plainEnv()): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, encoding: 'utf8', env, timeout: 120_000 });
}

const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});
function scratch(): string {
  const dir = tempDir('platform-command-');
  made.push(dir);
  return dir;
}

describe('platform-as-code', () => {
  test('package.json installs it as a bin, and every npm script of a command is an alias of it', () => {
    expect(pkg.bin).toEqual({ 'platform-as-code': 'bin/platform-as-code.js' });
    expect(COMMANDS.sort()).toEqual(['bench', 'diff', 'dora', 'history', 'promote', 'release', 'rollback', 'status', 'synth', 'validate']);
    for (const name of COMMANDS) expect(pkg.scripts[name]).toBe(`node bin/platform-as-code.js ${name}`);
  });

  test('npx platform-as-code --help lists every command with an example, and the exit codes', () => {
    // From a subdirectory: npx finds the project's own bin, offline.
    const result = run('npx', ['--offline', 'platform-as-code', '--help'], path.join(PROJECT_DIR, 'apps'));
    // npm warns about Node 20, which is past its end of life (package.json engines).
    expect(result.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('npm warn EBADENGINE'))).toEqual([]);
    expect(result.status).toBe(0);
    for (const name of COMMANDS) {
      expect(result.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
      expect(result.stdout).toContain(`e.g. platform-as-code ${name} `);
    }
    expect(result.stdout).toMatch(/^Exit codes:\n  0 .*\n  1 .*\n  2 .*\n  130 /m);
  });

  test('each program the bin routes to has exactly the commands routed to it', () => {
    const routes = (createRequire(__filename)(BIN) as { COMMANDS: readonly { name: string; entry: string; own?: boolean }[] }).COMMANDS;
    expect(routes.map((c) => c.name).sort()).toEqual([...COMMANDS].sort());
    for (const entry of [...new Set(routes.filter((c) => c.own !== true).map((c) => c.entry))]) {
      const help = run(process.execPath, [path.join(PROJECT_DIR, 'scripts', 'run.js'), entry, '--help'], PROJECT_DIR);
      expect(help.status).toBe(0);
      const listed = [...help.stdout.matchAll(/^ {2}([a-z]+)(?: \[options\])?(?: <\w+>)? /gm)].map((m) => m[1]).filter((name) => name !== 'help');
      expect(listed.sort()).toEqual(routes.filter((c) => c.entry === entry).map((c) => c.name).sort());
    }
  });

  test.each(['status', 'bench'])('%s --help, through the bin, prints the options of that command and exits 0', (name) => {
    const result = run(process.execPath, [BIN, name, '--help'], PROJECT_DIR);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage: platform-as-code ${name} `));
  });

  // One command of each program the bin routes to: commander reports unknown options the same way
  // for every command of a program.
  test.each(['synth', 'status', 'bench'])('%s --bogus is a usage error: one line, exit 2', (name) => {
    const result = run(process.execPath, [BIN, name, '--bogus'], PROJECT_DIR);
    expect(result.stderr).toBe(`error: unknown option '--bogus'; fix: run platform-as-code ${name} --help for the options\n`);
    expect(result.status).toBe(2);
  });

  test('an unknown command or option exits 2 with one line; a near miss names the command meant', () => {
    const typo = run(process.execPath, [BIN, 'stauts'], PROJECT_DIR);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toBe(
      'error: unknown command "stauts"; fix: did you mean status? run platform-as-code --help for the commands: synth, diff, validate, release, promote, status, history, rollback, dora, bench\n',
    );
    const option = run(process.execPath, [BIN, 'synth', '--outt', 'x'], PROJECT_DIR);
    expect(option.status).toBe(2);
    expect(option.stderr).toBe("error: unknown option '--outt'; fix: did you mean --out? run platform-as-code synth --help for the options\n");
    const extra = run(process.execPath, [BIN, 'status', '--gitops', '.', 'extra'], PROJECT_DIR);
    expect(extra.status).toBe(2);
    expect(extra.stderr).toBe("error: too many arguments for 'status'. Expected 0 arguments but got 1; fix: run platform-as-code status --help for the options\n");
  });

  test('npm run synth --dry-run (without --) refuses to run, since npm took the flag, and writes nothing', () => {
    const caller = scratch();
    const result = run('npm', ['--prefix', PROJECT_DIR, 'run', '--silent', 'synth', '--dry-run'], caller, plainEnv());
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      'error: npm read --dry-run as its own option, so synth would run without it; fix: npm run synth -- --dry-run ..., or platform-as-code synth --dry-run ...',
    );
    expect(fs.readdirSync(caller)).toEqual([]);
  });

  test('paths given to npm run resolve from the directory npm was started in', () => {
    const caller = scratch();
    const result = run('npm', ['--prefix', PROJECT_DIR, 'run', '--silent', 'synth', '--', '--out', 'out', '--env', 'dev'], caller);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(fs.existsSync(path.join(caller, 'out', 'platform-index.json'))).toBe(true);
    // Nothing else: no cdktf.out/ or any other trace where the caller stands.
    expect(fs.readdirSync(caller)).toEqual(['out']);
  });

  test('a --format before the command is read by the command', () => {
    const caller = scratch();
    const synth = run(process.execPath, [BIN, 'synth', '--out', 'out'], caller);
    expect(synth.status).toBe(0);
    const diff = run(process.execPath, [BIN, '--format', 'json', 'diff', '--against', 'out'], caller);
    expect(diff.stderr).toBe('');
    expect(diff.status).toBe(0);
    expect(JSON.parse(diff.stdout)).toEqual(expect.objectContaining({ risks: [] }));
  });
});
