import * as fs from 'node:fs';
import * as path from 'node:path';
import { load } from 'js-yaml';
import { type ManifestIndex } from '../../lib/engine/manifest-index';
import { type Environment } from '../../lib/model/environment';
import { definePlatform, Platform } from '../../lib/model/platform';
import { SelectionError } from '../../lib/pipeline/selection-error';
import { runSynth } from '../../lib/pipeline/synth-output';
import { fixturePlatform, platformConfig } from '../fixtures/shop/platform';
import { PROJECT_DIR, readTree, runCli, tempDir } from '../helpers';

// The real CLI always synthesizes the sample platform in apps/. These tests assert what every synth
// does (exit codes, one-line errors, the summary, what it leaves alone), never which apps or
// environments the sample has: that is test/sample/.
describe('npm run synth', () => {
  let out: string;
  beforeEach(() => {
    out = tempDir();
  });
  afterEach(() => fs.rmSync(out, { recursive: true, force: true }));

  test('writes both planes and the seed releases file, indexes every file, and prints one summary line per scope', () => {
    const result = runCli(['synth', '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const tree = readTree(out);
    const files = [...tree.keys()];
    expect(files.filter((f) => /^terraform\/[^/]+\/main\.tf\.json$/.test(f)).length).toBeGreaterThan(0);
    expect(files).toEqual(expect.arrayContaining(['platform-index.json', 'releases.json', 'kubernetes/bootstrap/nonprod/application-shop-root.yaml']));
    const index = JSON.parse(tree.get('platform-index.json') ?? '{}') as ManifestIndex;
    expect(index.sourceCommit).toBe('test-commit');
    expect(index.files.map((f) => f.path).sort()).toEqual(files.filter((f) => f !== 'platform-index.json').sort());
    // An output root with no releases file starts from the seed, a copy of which it now holds.
    expect(result.stdout).toMatch(new RegExp(`^releases: apps/releases\\.json \\(seed: ${out} has no releases\\.json\\)\n`));
    expect(JSON.parse(tree.get('releases.json') ?? '')).toEqual(JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, 'apps', 'releases.json'), 'utf8')));
    // Every scope of the index has its line; a fresh root only gains files.
    const scopes = [...new Set(index.files.map((f) => f.scope))].sort();
    const lines = result.stdout.split('\n').filter((l) => / added, /.test(l));
    expect(lines.map((l) => l.split(/ +/)[0]).sort()).toEqual(scopes);
    for (const line of lines) expect(line).toMatch(/^\S+ +[1-9]\d* added, 0 changed, 0 removed, 0 unchanged$/);
    // The index is one of the files written.
    expect(result.stdout).toContain(`wrote ${files.length} file(s) under ${out}\n`);
  });

  test('two synths are byte-identical, and the second writes nothing', () => {
    const other = tempDir();
    try {
      expect(runCli(['synth', '--out', out]).status).toBe(0);
      expect(runCli(['synth', '--out', other]).status).toBe(0);
      expect(readTree(other)).toEqual(readTree(out));
      const again = runCli(['synth', '--out', out]);
      expect(again.stdout).toMatch(/wrote 0 file\(s\)/);
      const lines = again.stdout.split('\n').filter((l) => / added, /.test(l));
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect(line).toMatch(/^\S+ +0 added, 0 changed, 0 removed, [1-9]\d* unchanged$/);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  test('--dry-run says what it would write, and writes nothing', () => {
    const run = runCli(['synth', '--out', out, '--dry-run']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^would write [1-9]\d* file\(s\) under /m);
    expect(run.stdout).not.toMatch(/^wrote /m);
    expect(readTree(out).size).toBe(0);
  });

  test('an unknown --env exits 2 with a one-line error and writes nothing', () => {
    expect(runCli(['synth', '--out', out]).status).toBe(0);
    const before = readTree(out);
    const result = runCli(['synth', '--out', out, '--env', 'no-such-env']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^error: unknown environment "no-such-env" in --env; fix: use one of [a-z0-9-]+(, [a-z0-9-]+)*\n$/);
    expect(readTree(out)).toEqual(before);
  });

  test('an unknown --env on a fresh root creates nothing', () => {
    const fresh = path.join(out, 'gitops');
    expect(runCli(['synth', '--out', fresh, '--env', 'no-such-env']).status).toBe(2);
    expect(fs.existsSync(fresh)).toBe(false);
  });

  test('an unknown --plane exits 2 with a one-line error', () => {
    const result = runCli(['synth', '--out', out, '--plane', 'helm']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('error: unknown plane "helm" in --plane; fix: use terraform or kubernetes\n');
    expect(fs.readdirSync(out)).toEqual([]);
  });

  test('writes into a GitOps checkout without touching what the tool does not own', () => {
    fs.writeFileSync(path.join(out, 'README.md'), '# GitOps\n');
    fs.mkdirSync(path.join(out, 'teams/payments'), { recursive: true });
    fs.writeFileSync(path.join(out, 'teams/payments/app.yaml'), 'kind: ConfigMap\n');
    expect(runCli(['synth', '--out', out]).status).toBe(0);
    expect(fs.readFileSync(path.join(out, 'README.md'), 'utf8')).toBe('# GitOps\n');
    expect(fs.readFileSync(path.join(out, 'teams/payments/app.yaml'), 'utf8')).toBe('kind: ConfigMap\n');
  });
});

describe('runSynth', () => {
  let out: string;
  beforeEach(() => {
    out = tempDir();
  });
  afterEach(() => fs.rmSync(out, { recursive: true, force: true }));

  test('a construct that fails late in the synth leaves the output untouched', () => {
    const platform = fixturePlatform();
    runSynth({ platform, outDir: out, envs: [], sourceCommit: 'one' });
    const before = readTree(out);

    // The prod charts fail after every other environment has been built in memory.
    class Failing extends Platform {
      public override instances(env: Environment) {
        if (env.name === 'prod') throw new Error('construct failed: prod');
        return super.instances(env);
      }
    }
    const failing = Object.setPrototypeOf(fixturePlatform(), Failing.prototype) as Platform;
    expect(() => runSynth({ platform: failing, outDir: out, envs: [], sourceCommit: 'two' })).toThrow('construct failed: prod');
    expect(readTree(out)).toEqual(before);
  });

  test('envs writes only the named environments, byte-identical to a full synth', () => {
    const full = tempDir();
    try {
      runSynth({ platform: fixturePlatform(), outDir: full, envs: [], sourceCommit: 'x' });
      const result = runSynth({ platform: fixturePlatform(), outDir: out, envs: ['dev', 'prod'], sourceCommit: 'x' });
      const partial = readTree(out);
      const dirs = new Set([...partial.keys()].filter((f) => f.startsWith('kubernetes/')).map((f) => f.split('/')[1]));
      // The shared scopes come along: the AppProject, the root app and the cluster objects.
      expect([...dirs].sort()).toEqual(['argocd', 'bootstrap', 'clusters', 'dev', 'prod']);
      expect(partial.has('kubernetes/argocd/nonprod/application-app-stage.yaml')).toBe(false);
      const fullTree = readTree(full);
      for (const [file, content] of partial) {
        if (file !== 'platform-index.json') expect([file, content]).toEqual([file, fullTree.get(file)]);
      }
      expect(result.summaries.map((s) => s.scope)).not.toContain('stage');
    } finally {
      fs.rmSync(full, { recursive: true, force: true });
    }
  });

  test('one environment leaves the files of the others in place', () => {
    runSynth({ platform: fixturePlatform(), outDir: out, envs: [], sourceCommit: 'x' });
    const before = readTree(out);
    runSynth({ platform: fixturePlatform(), outDir: out, envs: ['dev'], sourceCommit: 'x' });
    expect(readTree(out)).toEqual(before);
  });

  test('an unknown environment is a SelectionError naming the known ones, and nothing is written', () => {
    let error: unknown;
    try {
      runSynth({ platform: fixturePlatform(), outDir: out, envs: ['qa'], sourceCommit: 'x' });
    } catch (e) {
      error = e;
    }
    // The CLI turns it into its one line: unknown environment "qa" in --env; fix: use one of ...
    expect(error).toBeInstanceOf(SelectionError);
    expect(error).toMatchObject({ what: 'environment', value: 'qa', known: ['dev', 'stage', 'canary', 'prod'] });
    expect(fs.readdirSync(out)).toEqual([]);
  });

  test('prunes the files of an app that was removed from the config', () => {
    const platform = fixturePlatform();
    runSynth({ platform, outDir: out, envs: [], sourceCommit: 'one' });
    expect(fs.existsSync(path.join(out, 'kubernetes/dev/deployment-admin.yaml'))).toBe(true);
    // admin's objects, and the access of its team, which owns no other app.
    const adminFiles = fs.readdirSync(path.join(out, 'kubernetes/dev')).filter((f) => /-(admin|team-backoffice)[-.]/.test(f));

    const smaller = definePlatform({ ...platformConfig, apps: platformConfig.apps.filter((a) => a.name !== 'admin') });
    const result = runSynth({ platform: smaller, outDir: out, envs: [], sourceCommit: 'one' });

    expect(fs.readdirSync(path.join(out, 'kubernetes/dev')).filter((f) => f.includes('admin'))).toEqual([]);
    // All of them go; the network policy of inventory-api, which admin called, changes.
    expect(result.summaries.find((s) => s.scope === 'dev')).toMatchObject({ added: 0, changed: 1, removed: adminFiles.length });
    expect(adminFiles.length).toBeGreaterThan(5);
  });

  test('the index lists every written file with its sha256 and the source commit', () => {
    runSynth({ platform: fixturePlatform(), outDir: out, envs: [], sourceCommit: 'deadbeef' });
    const tree = readTree(out);
    const index = JSON.parse(tree.get('platform-index.json') ?? '{}') as { sourceCommit: string; files: { path: string }[] };
    expect(index.sourceCommit).toBe('deadbeef');
    expect(index.files.map((f) => f.path).sort()).toEqual([...tree.keys()].filter((f) => f !== 'platform-index.json').sort());
  });

  test('file names follow kind and name, object names carry no hash, and there is no kustomization', () => {
    runSynth({ platform: fixturePlatform(), outDir: out, envs: [], sourceCommit: 'x' });
    for (const [file, content] of readTree(out)) {
      expect(path.basename(file)).not.toMatch(/^kustomization\.ya?ml$/);
      if (!file.endsWith('.yaml')) continue;
      const object = load(content) as { kind: string; metadata: { name: string } };
      expect(path.basename(file)).toBe(`${object.kind.toLowerCase()}-${object.metadata.name}.yaml`);
      expect(content).not.toMatch(/[-.][0-9a-f]{8,}\b/);
      expect(content).not.toContain('cdk8s.io/metadata.addr');
    }
  });

  test('stage and prod hold the same files apart from their namespaces and progressive delivery, so diff -r lines them up', () => {
    const platform = fixturePlatform();
    runSynth({ platform, outDir: out, envs: [], sourceCommit: 'x' });
    const list = (env: string) =>
      fs.readdirSync(path.join(out, 'kubernetes', env)).filter((f) => !f.startsWith('namespace-')).sort();
    expect(list('stage').length).toBeGreaterThan(10);
    // Production releases its HTTP apps as Rollouts, and web enters through the Istio gateway.
    const prod = platform.instances(platform.environment('prod') as Environment);
    const rollouts = prod.filter((i) => i.delivery.type !== 'rolling').map((i) => i.app.name);
    const viaMesh = prod.filter((i) => i.meshIngress && i.app.exposure.type === 'public').map((i) => i.app.name);
    expect(rollouts).toEqual(['inventory-api', 'web', 'admin']);
    expect(viaMesh).toEqual(['web']);
    const gkeIngress = new Set([...viaMesh.flatMap((app) => [`ingress-${app}.yaml`, `certificate-${app}-tls.yaml`, `frontendconfig-${app}.yaml`, `backendconfig-${app}.yaml`]),
      // Only HTTP-01 namespaces admit cert-manager's solver; prod's public host is on the gateway (DNS-01).
      'networkpolicy-acme-http01-solver.yaml']);
    const shared = list('stage')
      .filter((f) => !gkeIngress.has(f))
      .map((f) => (rollouts.some((app) => f === `deployment-${app}.yaml`) ? f.replace(/^deployment-/, 'rollout-') : f));
    expect(list('prod')).toEqual(expect.arrayContaining(shared));
    // What production has beyond them is what progressive delivery, the mesh and the SLOs add, and
    // the backup jobs of the databases it owns (docs/backups.md).
    const added = list('prod').filter((f) => !shared.includes(f));
    expect(added.filter((f) => !/^(analysistemplate|destinationrule|virtualservice|authorizationpolicy|peerauthentication)-|^service-.*-preview\.yaml$|-slo(-dashboard)?\.yaml$|^networkpolicy-allow-istiod\.yaml$|-(restore-drill|db-dump)(-alerts)?\.yaml$|-ingress-gateway(-tls)?\.yaml$/.test(f))).toEqual([]);
    expect(added).toEqual(expect.arrayContaining(['virtualservice-web.yaml', 'analysistemplate-inventory-api-analysis.yaml', 'gateway-ingress-gateway.yaml', 'peerauthentication-default.yaml', 'authorizationpolicy-web.yaml']));
    // dev runs one replica of each app, so it has no disruption budgets; otherwise the same files.
    expect(list('dev')).toEqual(list('stage').filter((f) => !f.startsWith('poddisruptionbudget-')));
  });
});
