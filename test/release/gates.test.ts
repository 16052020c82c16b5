// The gates of a promotion into production: the canary's bake time, from the GitOps history, and
// each promoted app's error budget, from a real HTTP server that answers Prometheus' query API.
import { execFileSync } from 'node:child_process';
import * as http from 'node:http';
import { type AddressInfo } from 'node:net';
import * as path from 'node:path';
import { Duration } from 'cdk8s';
import { type PromoteCommandOptions, runPromote } from '../../cli/promote-command';
import { canaryReached, errorBudgetGate, errorBudgetQuery, formatDuration } from '../../lib/gitops/promotion-gates';
import { queryScalar } from '../../lib/gitops/prometheus';
import { definePlatform } from '../../lib/model/platform';
import { parseReleasesText } from '../../lib/model/releases';
import { platformConfig } from '../fixtures/shop/platform';
import { cliText, git } from '../helpers';
import { copyRepo, failed, FIXTURE_RUN, gitopsRepo, type GitOpsRepo, lastMessage, outcome, readJson, releases, type ReleasesJson, removeTempDirs, snapshot, succeeded, writeFiles } from './fixtures';

afterAll(removeTempDirs);
// Each promotion synthesizes the whole platform.
jest.setTimeout(60_000);

const HOUR = 3600;
const platform = definePlatform(platformConfig);

/** The canary runs stage's v1.4.0 at 10%; production the release before. */
const canaryAt = (weight: number, dev = 'v1.5.0'): string =>
  releases({ dev, stage: 'v1.4.0', canary: 'v1.4.0', prod: 'v1.3.1' }, (r) => {
    r.environments.canary.canaryWeight = weight;
  });

/** Commits `files` with the committer time `seconds` (since the epoch). */
function commitAt(checkout: string, files: Readonly<Record<string, string>>, seconds: number, message: string): string {
  writeFiles(checkout, files);
  git(checkout, 'add', '-A');
  execFileSync('git', ['commit', '-q', '-m', message], { cwd: checkout, env: { ...process.env, GIT_COMMITTER_DATE: `@${seconds} +0000` } });
  return git(checkout, 'rev-parse', 'HEAD');
}

const headTime = (checkout: string): number => Number(git(checkout, 'log', '-1', '--format=%ct'));
const at = (seconds: number): Date => new Date(seconds * 1000);
const promote = (options: Omit<PromoteCommandOptions, 'sourceCommit'>) => outcome(() => runPromote({ ...FIXTURE_RUN, from: 'canary', to: 'prod', ...options }));
const releasesOf = (repo: GitOpsRepo): ReleasesJson => readJson<ReleasesJson>(path.join(repo.checkout, 'releases.json'));

describe('bake time', () => {
  let base: GitOpsRepo;
  /** When the canary reached v1.4.0 at 10%. */
  let reachedAt: number;
  let reachedCommit: string;
  beforeAll(() => {
    base = gitopsRepo({ 'releases.json': canaryAt(10) });
    reachedCommit = git(base.checkout, 'rev-parse', 'HEAD');
    reachedAt = headTime(base.checkout);
    // Later commits that leave the canary as it is do not restart its clock.
    commitAt(base.checkout, { 'releases.json': canaryAt(10, 'v1.6.0') }, reachedAt + 5 * HOUR, 'release v1.6.0 to dev');
    commitAt(base.checkout, { 'README.md': '# shop-gitops, edited\n' }, reachedAt + 6 * HOUR, 'readme');
  });

  test('the clock starts at the commit that set the canary\'s release and weight, not at later commits', () => {
    const current = parseReleasesText(canaryAt(10, 'v1.6.0'), 'releases.json');
    expect(canaryReached(platform, current, 'canary', base.checkout)).toEqual({ commit: reachedCommit, time: at(reachedAt) });
  });

  test('a step to the next weight restarts it', () => {
    const repo = copyRepo(base);
    const stepped = commitAt(repo.checkout, { 'releases.json': canaryAt(25, 'v1.6.0') }, reachedAt + 7 * HOUR, 'step canary to 25%');
    commitAt(repo.checkout, { 'README.md': '# again\n' }, reachedAt + 8 * HOUR, 'readme');
    expect(canaryReached(platform, parseReleasesText(canaryAt(25, 'v1.6.0'), 'releases.json'), 'canary', repo.checkout)).toEqual({ commit: stepped, time: at(reachedAt + 7 * HOUR) });
  });

  test('a version of the file that does not parse ends the walk', () => {
    const repo = gitopsRepo({ 'releases.json': canaryAt(10) });
    const start = headTime(repo.checkout);
    commitAt(repo.checkout, { 'releases.json': '{ broken' }, start + HOUR, 'broken');
    const fixed = commitAt(repo.checkout, { 'releases.json': canaryAt(10) }, start + 2 * HOUR, 'fixed');
    expect(canaryReached(platform, parseReleasesText(canaryAt(10), 'releases.json'), 'canary', repo.checkout)?.commit).toBe(fixed);
  });

  test('before the canary\'s bake time (24 h) has passed, canary to prod is refused with the time left; nothing changes', async () => {
    const repo = copyRepo(base);
    const before = snapshot(repo);
    const error = failed(await promote({ gitops: repo.checkout, now: at(reachedAt + 23 * HOUR) }));
    const ready = at(reachedAt + 24 * HOUR).toISOString().replace('.000Z', 'Z');
    expect(cliText(error)).toBe(
      `the candidates in canary (inventory-api v1.4.0 at 10%) have baked 23h of the 1d bake time since commit ${reachedCommit.slice(0, 12)}; 1h left; nothing was changed; fix: run the promotion again after ${ready}, or pass --force --reason TEXT`,
    );
    expect(snapshot(repo)).toEqual(before);
  });

  test('once it has passed, the promotion goes through', async () => {
    const repo = copyRepo(base);
    succeeded(await promote({ gitops: repo.checkout, now: at(reachedAt + 24 * HOUR) }));
    expect(releasesOf(repo).environments.prod.tag).toBe('v1.4.0');
    expect(releasesOf(repo).environments.canary.canaryWeight).toBe(0);
  });

  test('--force --reason promotes before it, and records the reason and the gate it passed', async () => {
    const repo = copyRepo(base);
    succeeded(await promote({ gitops: repo.checkout, now: at(reachedAt + HOUR + 30 * 60), force: true, reason: 'fix for incident 7' }));
    expect(releasesOf(repo).environments.prod.provenance).toMatchObject({ action: 'promote', from: 'canary', reason: 'fix for incident 7' });
    expect(lastMessage(repo.checkout)).toContain('\nForced: past the bake time of canary (22h 30m left); reason: fix for incident 7\n');
  });

  test('the bake time is the canary environment\'s: with 2 h configured, 3 h are enough', async () => {
    const repo = copyRepo(base);
    const twoHours = {
      ...platformConfig,
      environments: platformConfig.environments.map((e) => (e.canary === undefined ? e : { ...e, canary: { ...e.canary, bakeTime: Duration.hours(2) } })),
    };
    succeeded(await outcome(() => runPromote({ ...FIXTURE_RUN, config: twoHours, from: 'canary', to: 'prod', gitops: repo.checkout, now: at(reachedAt + 3 * HOUR) })));
    expect(releasesOf(repo).environments.prod.tag).toBe('v1.4.0');
  });

  test('a checkout whose history never set the canary\'s state is refused: its bake cannot be told', async () => {
    const repo = gitopsRepo();
    const error = failed(await promote({ gitops: repo.checkout, now: at(headTime(repo.checkout) + 100 * HOUR) }));
    expect(cliText(error)).toMatch(/^cannot tell how long the candidates in canary \(inventory-api \S+ at \d+%\) have baked: no commit of releases\.json in the GitOps checkout sets its release and weight; nothing was changed; fix: .*--force --reason TEXT$/);
  });

  test('other promotions have no bake time: stage to canary, and a promotion that changes nothing', async () => {
    const repo = copyRepo(base);
    const now = at(reachedAt);
    const same = succeeded(await promote({ gitops: repo.checkout, from: 'stage', to: 'canary', now }));
    expect(same.stdout).toContain('canary already runs the release of stage (v1.4.0): nothing to commit');
  });

  test('durations read as days, hours, minutes, and seconds under a minute', () => {
    expect([formatDuration(86_400), formatDuration(3 * HOUR + 120), formatDuration(42), formatDuration(0)]).toEqual(['1d', '3h 2m', '42s', '0s']);
  });
});

/** A Prometheus query API on 127.0.0.1 that answers with `answer(query)`, recording each query. */
async function prometheus(answer: (query: string) => { status: number; body: unknown }): Promise<{ url: string; queries: string[]; close: () => Promise<void> }> {
  const queries: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== '/api/v1/query') {
      res.writeHead(404).end();
      return;
    }
    const query = url.searchParams.get('query') ?? '';
    queries.push(query);
    const { status, body } = answer(query);
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, queries, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A success with one sample per app: the budget left of each app, by its name label. */
const budgets =
  (left: Readonly<Record<string, number>>) =>
  (query: string): { status: number; body: unknown } => {
    const app = /app_kubernetes_io_name="([^"]+)"/.exec(query)?.[1] ?? '';
    const value = left[app] ?? 1;
    return { status: 200, body: { status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1_700_000_000, String(value)] }] } } };
  };

describe('error budget', () => {
  const SLO_APPS = ['inventory-api', 'web', 'admin'];

  test('the query reads the series the SLO rules record, for each app with an SLO', () => {
    expect(errorBudgetQuery(platform, 'inventory-api', 'prod')).toBe('min(slo:error_budget_remaining:ratio{namespace="shop-prod",app_kubernetes_io_name="inventory-api"})');
    // worker has no SLO; stage has no progressive delivery, so no SLO rules.
    expect(errorBudgetQuery(platform, 'worker', 'prod')).toBeUndefined();
    expect(errorBudgetQuery(platform, 'web', 'stage')).toBeUndefined();
  });

  test('50% spent passes; each app with an SLO is asked for', async () => {
    const server = await prometheus(budgets({ 'inventory-api': 0.5, web: 0.5, admin: 0.5 }));
    try {
      expect(await errorBudgetGate({ platform, env: 'prod', apps: ['inventory-api', 'web', 'worker', 'admin'], prometheus: server.url })).toEqual([]);
      expect(server.queries).toEqual(SLO_APPS.map((app) => errorBudgetQuery(platform, app, 'prod')));
    } finally {
      await server.close();
    }
  });

  test('85% spent is refused: promotions into production are frozen', async () => {
    const server = await prometheus(budgets({ web: 0.15 }));
    try {
      const refusals = await errorBudgetGate({ platform, env: 'prod', apps: SLO_APPS, prometheus: server.url });
      expect(refusals.map((r) => `${r.problem}; fix: ${r.fix}`)).toEqual([
        'app "web" has spent 85% of its error budget in prod (80% or more): promotions into prod are frozen; fix: promote once the budget recovers below the freeze, or pass {force} {reason} TEXT',
      ]);
    } finally {
      await server.close();
    }
  });

  test('97% spent is refused, and a rollback is recommended', async () => {
    const server = await prometheus(budgets({ admin: 0.03 }));
    try {
      const refusals = await errorBudgetGate({ platform, env: 'prod', apps: SLO_APPS, prometheus: server.url });
      expect(refusals.map((r) => `${r.problem}; fix: ${r.fix}`)).toEqual([
        'app "admin" has spent 97% of its error budget in prod (95% or more): promotions into prod are frozen and a rollback is recommended; fix: roll production back with rollback --env prod --steps 1, or, to promote a fix of the cause, pass {force} {reason} TEXT',
      ]);
    } finally {
      await server.close();
    }
  });

  test('promote --prometheus refuses in one line and changes nothing; a passing budget lets it through', async () => {
    const repo = gitopsRepo({ 'releases.json': canaryAt(10) });
    const later = at(headTime(repo.checkout) + 48 * HOUR);
    const before = snapshot(repo);
    const frozen = await prometheus(budgets({ 'inventory-api': 0.15 }));
    try {
      const error = failed(await promote({ gitops: repo.checkout, now: later, prometheus: frozen.url }));
      expect(cliText(error)).toBe(
        'app "inventory-api" has spent 85% of its error budget in prod (80% or more): promotions into prod are frozen; nothing was changed; fix: promote once the budget recovers below the freeze, or pass --force --reason TEXT',
      );
      expect(snapshot(repo)).toEqual(before);
    } finally {
      await frozen.close();
    }
    const healthy = await prometheus(budgets({}));
    try {
      succeeded(await promote({ gitops: repo.checkout, now: later, prometheus: healthy.url }));
      expect(releasesOf(repo).environments.prod.tag).toBe('v1.4.0');
    } finally {
      await healthy.close();
    }
  });

  test('--prometheus is refused for a promotion that does not go into production', async () => {
    expect(cliText(failed(await promote({ from: 'dev', to: 'stage', prometheus: 'http://127.0.0.1:9' })))).toBe(
      '--prometheus is only read for a promotion into prod, and this one goes to stage; fix: drop --prometheus',
    );
  });

  const QUERY = 'min(slo:error_budget_remaining:ratio{namespace="shop-prod",app_kubernetes_io_name="web"})';
  test.each([
    ['an error status', { status: 400, body: { status: 'error', errorType: 'bad_data', error: 'parse error at char 4' } }, 'the query failed (parse error at char 4)'],
    ['a non-2xx answer', { status: 503, body: { status: 'success', data: { resultType: 'vector', result: [] } } }, 'HTTP 503'],
    ['an empty result', { status: 200, body: { status: 'success', data: { resultType: 'vector', result: [] } } }, `no series for ${QUERY} (are the app's SLO rules loaded there?)`],
    ['NaN', { status: 200, body: { status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1, 'NaN'] }] } } }, `the value of ${QUERY} is NaN, not a number`],
  ])('%s is an error, never a pass', async (_, answer, reason) => {
    const server = await prometheus(() => answer);
    try {
      await expect(queryScalar(server.url, QUERY)).rejects.toThrow(
        `cannot read the error budget from Prometheus at ${server.url}: ${reason}; nothing was changed; fix: make Prometheus reachable and its SLO rules loaded, then run again`,
      );
    } finally {
      await server.close();
    }
  });

  test('a closed port is an error', async () => {
    const server = await prometheus(budgets({}));
    await server.close();
    await expect(queryScalar(server.url, QUERY)).rejects.toThrow(new RegExp(`^cannot read the error budget from Prometheus at ${server.url.replace(/\./g, '\\.')}: unreachable \\(.*ECONNREFUSED.*\\); nothing was changed; fix: `));
  });

  test('a server that does not answer in time is an error', async () => {
    const sockets = new Set<import('node:net').Socket>();
    const server = http.createServer(() => undefined);
    server.on('connection', (s) => sockets.add(s));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await expect(queryScalar(url, QUERY, 200)).rejects.toThrow(`cannot read the error budget from Prometheus at ${url}: no answer within 0.2 s;`);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

test('credentials in the Prometheus URL go as basic auth (fetch refuses them in a URL), and never into a message', async () => {
  const QUERY = 'min(slo:error_budget_remaining:ratio{namespace="shop-prod",app_kubernetes_io_name="web"})';
  let status = 200;
  const server = http.createServer((req, res) => {
    const authorized = req.headers.authorization === `Basic ${Buffer.from('ops:s3cret').toString('base64')}`;
    const body = { status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1, '0.5'] }] } };
    res.writeHead(authorized ? status : 401, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  try {
    await expect(queryScalar(`http://ops:s3cret@127.0.0.1:${port}`, QUERY)).resolves.toBe(0.5);
    status = 503;
    const failed = queryScalar(`http://ops:s3cret@127.0.0.1:${port}`, QUERY);
    await expect(failed).rejects.toThrow(`cannot read the error budget from Prometheus at http://***@127.0.0.1:${port}: HTTP 503;`);
    await expect(failed).rejects.not.toThrow(/s3cret/);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
