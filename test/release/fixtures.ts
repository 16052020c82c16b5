import { type ChildProcess, spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type GitOpsRunResult } from '../../lib/pipeline/release-transaction';
import { FIXTURE_SEED, platformConfig } from '../fixtures/shop/platform';
import { git, PROJECT_DIR, readTree, tempDir } from '../helpers';

const made: string[] = [];

/** A temporary directory removed by {@link removeTempDirs}. */
export function scratchDir(prefix = 'platform-release-'): string {
  const dir = tempDir(prefix);
  made.push(dir);
  return dir;
}

/** Stops the tool processes still running (see {@link startTool}), then removes the directories. */
export function removeTempDirs(): void {
  stopTools();
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** The time every test release is tagged at. */
export const TAG_TIME = '2024-05-01T10:00:00Z';

const toolEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  ...process.env,
  PLATFORM_SOURCE_COMMIT: 'test-commit',
  PLATFORM_RELEASE_TAG_TIME: TAG_TIME,
  FORCE_COLOR: '0',
  ...extra,
});

/** The commands of cli/release-main.ts, as bin/platform-as-code.js routes them; the others are cli/main.ts's. */
const RELEASE_MAIN_COMMANDS: readonly string[] = ['validate', 'release', 'promote', 'status', 'history', 'rollback', 'dora'];
/** The entry point of a command, as the bin routes it. */
const entryOf = (command: string | undefined): string => (RELEASE_MAIN_COMMANDS.includes(command ?? '') ? 'cli/release-main.ts' : 'cli/main.ts');

/**
 * What `runRelease` and `runPromote` take to run on the fixture platform in-process: its config and
 * seed instead of the sample's, and the source commit the CLI would read from git.
 */
export const FIXTURE_RUN = { config: platformConfig, seed: FIXTURE_SEED, sourceCommit: 'test-commit' } as const;

/**
 * Sets PLATFORM_RELEASE_TAG_TIME for the in-process releases of one test file, as {@link runTool}
 * does for the CLI, and restores it after: jest runs other files in the same process.
 */
export function useTagTime(): void {
  let saved: string | undefined;
  beforeAll(() => {
    saved = process.env.PLATFORM_RELEASE_TAG_TIME;
    process.env.PLATFORM_RELEASE_TAG_TIME = TAG_TIME;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.PLATFORM_RELEASE_TAG_TIME;
    else process.env.PLATFORM_RELEASE_TAG_TIME = saved;
  });
}

/**
 * How an in-process release or promotion ended: its result, or the error the CLI prints as its one
 * line (and exits 2 on).
 */
export type Outcome = { readonly result: GitOpsRunResult; readonly error?: undefined } | { readonly result?: undefined; readonly error: Error };

/** Runs a release or promotion in-process, catching what it throws, synchronously or not. */
export async function outcome(run: () => Promise<GitOpsRunResult>): Promise<Outcome> {
  try {
    return { result: await run() };
  } catch (error) {
    if (error instanceof Error) return { error };
    throw error;
  }
}

/** The result of an outcome that must have succeeded; the error's message otherwise. */
export function succeeded(o: Outcome): GitOpsRunResult {
  if (o.error !== undefined) throw new Error(`the run failed: ${o.error.message}`);
  return o.result;
}

/** The error of an outcome that must have failed. */
export function failed(o: Outcome): Error {
  if (o.error === undefined) throw new Error(`the run succeeded: ${o.result.stdout.join('\n')}`);
  return o.error;
}

/**
 * Runs the platform CLI as `npm run` does, with a fixed source commit and tag time. It always runs
 * the sample platform of apps/: assert only what holds for any platform, or move the test to
 * test/sample/.
 */
export function runTool(args: readonly string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [path.join(PROJECT_DIR, 'scripts', 'run.js'), entryOf(args[0]), ...args], {
    cwd: PROJECT_DIR,
    encoding: 'utf8',
    env: toolEnv(env),
  });
}

/** What a CLI run printed, and its exit status. */
export interface ToolRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs independent jobs a few at a time: each CLI run spends most of its time loading modules, so
 * the suite stays fast when they overlap.
 */
export async function inParallel<T>(jobs: readonly (() => Promise<T>)[], limit = 3): Promise<T[]> {
  const results: T[] = new Array<T>(jobs.length);
  let next = 0;
  // After a failure no job starts: Promise.all has given up on them, and nothing would wait for it.
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < jobs.length) {
      const at = next++;
      try {
        results[at] = await jobs[at]();
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}

/** The processes {@link startTool} started that have not ended yet. */
const running = new Set<ChildProcess>();

/**
 * The same as {@link runTool}, without waiting. The CLI reads no input, so it gets none: a stdin
 * pipe would be one more handle of the jest worker. A process still running when its test file
 * ends (a beforeAll that failed or timed out before awaiting it) is killed by {@link stopTools}:
 * left running, it keeps the jest worker alive after the run.
 */
export function startTool(args: readonly string[]): Promise<ToolRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(PROJECT_DIR, 'scripts', 'run.js'), entryOf(args[0]), ...args], {
      cwd: PROJECT_DIR,
      env: toolEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => {
      running.delete(child);
      resolve({ status, stdout, stderr });
    });
  });
}

/** Kills every process {@link startTool} started that is still running. */
export function stopTools(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/** A GitOps checkout (`checkout`) of a bare repository (`remote`) on branch main, tracking it. */
export interface GitOpsRepo {
  readonly remote: string;
  readonly checkout: string;
}

/**
 * A bare remote and a clone of it with one commit (a README, and `files` when given), pushed,
 * with a committer identity configured in the clone.
 */
export function gitopsRepo(files: Readonly<Record<string, string>> = {}): GitOpsRepo {
  const dir = scratchDir();
  const remote = path.join(dir, 'remote.git');
  const checkout = path.join(dir, 'gitops');
  git(dir, 'init', '-q', '--bare', '-b', 'main', remote);
  git(dir, 'clone', '-q', remote, checkout);
  git(checkout, 'config', 'user.name', 'Release Bot');
  git(checkout, 'config', 'user.email', 'release@example.com');
  git(checkout, 'symbolic-ref', 'HEAD', 'refs/heads/main');
  writeFiles(checkout, { 'README.md': '# shop-gitops\n', ...files });
  git(checkout, 'add', '-A');
  git(checkout, 'commit', '-q', '-m', 'init');
  git(checkout, 'push', '-q', '-u', 'origin', 'main');
  return { remote, checkout };
}

/** A copy of a repository pair, its checkout pointing at the copied remote. */
export function copyRepo(repo: GitOpsRepo): GitOpsRepo {
  const dir = scratchDir();
  const remote = path.join(dir, 'remote.git');
  const checkout = path.join(dir, 'gitops');
  fs.cpSync(repo.remote, remote, { recursive: true });
  fs.cpSync(repo.checkout, checkout, { recursive: true });
  git(checkout, 'remote', 'set-url', 'origin', remote);
  return { remote, checkout };
}

export function writeFiles(dir: string, files: Readonly<Record<string, string>>): void {
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
}

/** Commits everything in the checkout and pushes it. */
export function commitAndPush(checkout: string, message: string): string {
  git(checkout, 'add', '-A');
  git(checkout, 'commit', '-q', '-m', message);
  git(checkout, 'push', '-q', 'origin', 'main');
  return git(checkout, 'rev-parse', 'HEAD');
}

/** Everything a failed run must leave as it was: HEAD, the index, the work tree and the remote. */
export interface RepoSnapshot {
  readonly head: string;
  readonly index: string;
  readonly status: string;
  readonly tree: Map<string, string>;
  readonly dirs: readonly string[];
  readonly remoteHead: string;
}

export function snapshot(repo: GitOpsRepo): RepoSnapshot {
  return {
    head: git(repo.checkout, 'rev-parse', 'HEAD'),
    index: git(repo.checkout, 'ls-files', '--stage'),
    status: git(repo.checkout, 'status', '--porcelain', '--untracked-files=all', '--ignored'),
    tree: readTree(repo.checkout),
    dirs: listDirs(repo.checkout),
    remoteHead: git(repo.remote, 'rev-parse', 'main'),
  };
}

function listDirs(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === '.git') continue;
    const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
    out.push(child, ...listDirs(root, child));
  }
  return out.sort();
}

export function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

/** The releases file of a checkout, as plain data. */
export interface ReleasesJson {
  environments: Record<
    string,
    {
      tag: string;
      canaryWeight?: number;
      provenance?: Record<string, unknown>;
      apps?: Record<string, { tag?: string; digest?: string; configVersion?: string; provenance?: Record<string, unknown> }>;
    }
  >;
}

/** A releases file for the four environments of the fixture platform (and of the sample, today). */
export function releases(tags: { dev: string; stage: string; canary: string; prod: string }, extra: (r: ReleasesJson) => void = () => undefined): string {
  const data: ReleasesJson = {
    environments: { dev: { tag: tags.dev }, stage: { tag: tags.stage }, canary: { tag: tags.canary }, prod: { tag: tags.prod } },
  };
  extra(data);
  return `${JSON.stringify(data, null, 2)}\n`;
}

/** The image a synthesized workload (a Deployment or an Argo Rollout) in `file` pulls: its first container's. */
export function imageOf(checkout: string, file: string): string {
  const match = /image: (\S+)/.exec(fs.readFileSync(path.join(checkout, file), 'utf8'));
  if (match === null) throw new Error(`${file} names no image`);
  return match[1];
}

/**
 * A commit message without its "Also changed" line, and that line: the shared scopes it lists grow
 * with the platform (argocd, clusters, terraform, releases).
 */
export function splitMessage(message: string): { also: string; lines: string[] } {
  const lines = message.split('\n');
  return { also: lines.find((l) => l.startsWith('Also changed: ')) ?? '', lines: lines.filter((l) => !l.startsWith('Also changed: ')) };
}

export const lastMessage = (checkout: string): string => git(checkout, 'log', '-1', '--format=%B');
export const commitCount = (checkout: string): number => Number(git(checkout, 'rev-list', '--count', 'HEAD'));
