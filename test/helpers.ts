import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type AppConfig, type EnvironmentConfig, type PlatformConfig } from '../lib/model/config';
import { ConfigError } from '../lib/model/config-error';
import { definePlatform, type Platform } from '../lib/model/platform';
import { platformConfig } from './fixtures/shop/platform';
import { flagOf } from '../cli/exit';
import { RequestError } from '../lib/model/request-error';

export const PROJECT_DIR = path.resolve(__dirname, '..');

/** A fresh temporary directory, removed by the caller's afterEach/afterAll. */
export function tempDir(prefix = 'platform-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Every file under `dir` (relative POSIX path) with its bytes, `.git` excluded. */
export function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string): void => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.name === '.git') continue;
      if (entry.isDirectory()) walk(child);
      else out.set(child, fs.readFileSync(path.join(dir, child), 'utf8'));
    }
  };
  if (fs.existsSync(dir)) walk('');
  return out;
}

/**
 * The fixture platform's config (test/fixtures/shop) with some fields changed. Library tests build on
 * the fixture, not on apps/, so that growing the sample breaks none of them.
 */
export function withConfig(change: (config: PlatformConfig) => PlatformConfig): Platform {
  return definePlatform(change(platformConfig));
}

/** The fixture's config with one app changed. */
export function mapApp(name: string, change: (a: AppConfig) => AppConfig): PlatformConfig {
  return { ...platformConfig, apps: platformConfig.apps.map((a) => (a.name === name ? change(a) : a)) };
}

/** The fixture's config with one environment changed. */
export function mapEnv(name: string, change: (e: EnvironmentConfig) => EnvironmentConfig): PlatformConfig {
  return { ...platformConfig, environments: platformConfig.environments.map((e) => (e.name === name ? change(e) : e)) };
}

/** The ConfigError `definePlatform` throws for `config`; fails the test if it accepts it. */
export function configRejection(config: PlatformConfig): ConfigError {
  try {
    definePlatform(config);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('config was accepted');
}

/**
 * Runs the platform CLI the way `npm run` does, with a fixed source commit. The CLI always builds the
 * sample platform from apps/: a test that asserts what it wrote about specific apps or environments
 * belongs in test/sample/.
 */
export function runCli(args: readonly string[], cwd = PROJECT_DIR): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [path.join(PROJECT_DIR, 'scripts', 'run.js'), 'cli/main.ts', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, PLATFORM_SOURCE_COMMIT: 'test-commit', FORCE_COLOR: '0' },
  });
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** An error's one line as the CLI prints it: request inputs spelled as flags (`--to`). */
export function cliText(error: unknown): string {
  return error instanceof RequestError ? error.render(flagOf) : error instanceof Error ? error.message : String(error);
}

/** What `run` throws, as the CLI prints it; fails the test when it throws nothing. */
export function cliMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return cliText(error);
  }
  throw new Error('nothing was thrown');
}
