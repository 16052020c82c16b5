import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { load } from 'js-yaml';
import { fixturePlatform } from '../fixtures/shop/platform';
import { synthPlatform } from '../../lib/pipeline/synth';
import { isRegistered, registeredApiVersions, validateObject, validateObjects } from '../../lib/validate/schemas';
import { PROJECT_DIR } from '../helpers';
import { get } from '../validate/helpers';

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
}

/** A Deployment the apps/v1 schema accepts. */
function deployment(): Record<string, unknown> & { spec: Record<string, unknown> } {
  const labels = { 'app.kubernetes.io/name': 'inventory-api' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'inventory-api', labels },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'registry.example.com/inventory-api:1.0.0' }] } },
    },
  };
}

describe('every synthesized object against its upstream schema', () => {
  const manifests = synthPlatform(fixturePlatform(), [], ['kubernetes'])
    .files.filter((f) => f.path.endsWith('.yaml'))
    .map((f) => ({ path: f.path, object: load(f.content) as Manifest }));

  test('the fixture platform has objects in every environment', () => {
    const dirs = new Set(manifests.map((m) => m.path.split('/')[1]));
    expect([...dirs].sort()).toEqual(['argocd', 'bootstrap', 'canary', 'clusters', 'dev', 'prod', 'stage']);
  });

  test('every kind of the output has a registered schema', () => {
    const kinds = [...new Set(manifests.map((m) => `${m.object.apiVersion} ${m.object.kind}`))].sort();
    expect(kinds.filter((k) => !isRegistered(k.split(' ')[0], k.split(' ')[1]))).toEqual([]);
  });

  test('every object validates', () => {
    const issues = manifests.flatMap((m) => validateObject(m.object).map((i) => `${m.path}: ${i.message}`));
    expect(issues).toEqual([]);
  });

  /** A copy of the output's object at the path, changed. */
  const broken = (file: string, change: (o: Record<string, unknown>) => void): unknown => {
    const found = manifests.find((m) => m.path === file);
    if (!found) throw new Error(`no file ${file}`);
    const copy = structuredClone(found.object) as unknown as Record<string, unknown>;
    change(copy);
    return copy;
  };

  test('the progressive delivery kinds of the output are checked against the Argo Rollouts and Istio schemas', () => {
    const kinds = new Set(manifests.map((m) => `${m.object.apiVersion} ${m.object.kind}`));
    for (const kind of [
      'argoproj.io/v1alpha1 Rollout',
      'argoproj.io/v1alpha1 AnalysisTemplate',
      'networking.istio.io/v1 VirtualService',
      'networking.istio.io/v1 DestinationRule',
    ]) {
      expect([kind, kinds.has(kind), isRegistered(kind.split(' ')[0], kind.split(' ')[1])]).toEqual([kind, true, true]);
    }
    // Each broken copy of a real object fails its own kind's schema, not an "unregistered" fallback.
    const messages = (o: unknown): string[] => validateObject(o).map((i) => `${i.type}: ${i.message}`);
    expect(messages(broken('kubernetes/prod/rollout-web.yaml', (r) => {
      get(r, 'spec', 'strategy', 'canary', 'steps', 0).setWeight = 'ten';
    }))).toEqual(['schema: spec/strategy/canary/steps/0/setWeight must be integer']);
    expect(messages(broken('kubernetes/prod/rollout-admin.yaml', (r) => {
      delete get(r, 'spec', 'strategy', 'blueGreen').activeService;
    }))).toEqual(['schema: spec/strategy/blueGreen must have required property activeService']);
    expect(messages(broken('kubernetes/prod/analysistemplate-web-analysis.yaml', (t) => {
      delete get(t, 'spec', 'metrics', 0).name;
      get(t, 'spec', 'metrics', 1).interval = 30;
    }))).toEqual(['schema: spec/metrics/0 must have required property name', 'schema: spec/metrics/1/interval must be string']);
    expect(messages(broken('kubernetes/prod/virtualservice-web.yaml', (v) => {
      get(v, 'spec', 'http', 0, 'route', 0).weight = 'all';
    }))).toEqual(['schema: spec/http/0/route/0/weight must be integer']);
    expect(messages(broken('kubernetes/prod/destinationrule-inventory-api.yaml', (d) => {
      delete get(d, 'spec').host;
    }))).toEqual(['schema: spec must have required property host']);
  });
});

describe('the schema registry', () => {
  test('accepts a valid object', () => {
    expect(validateObject(deployment())).toEqual([]);
  });

  test('fails if replicas is not an integer', () => {
    const broken = deployment();
    broken.spec.replicas = 'three';
    expect(validateObject(broken)).toEqual([{ type: 'schema', path: '/spec/replicas', message: 'spec/replicas must be integer' }]);
  });

  test('fails if a required field is missing', () => {
    const broken = deployment();
    delete broken.spec.selector;
    expect(validateObject(broken).map((i) => i.message)).toEqual(['spec must have required property selector']);
  });

  test('folds the branches of an int-or-string into one readable issue', () => {
    const broken = deployment();
    broken.spec.template = { spec: { containers: [{ name: 'app', image: 'x:1', resources: { limits: { cpu: 'lots' } } }] } };
    expect(validateObject(broken).map((i) => i.message)).toEqual([
      'spec/template/spec/containers/0/resources/limits/cpu must be number or must match format "quantity"',
    ]);
  });

  test('names the allowed values of an enum', () => {
    const issues = validateObject({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'inventory-api' },
      spec: { secretStoreRef: { kind: 'Vault', name: 'gcp-secret-manager' } },
    });
    expect(issues.map((i) => i.message)).toEqual([
      'spec/secretStoreRef/kind must be equal to one of the allowed values: "SecretStore", "ClusterSecretStore"',
    ]);
  });

  test('fails if no schema is registered for the apiVersion and kind', () => {
    const issues = validateObject({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ type: 'unregistered' });
    expect(issues[0].message).toContain('unknown apiVersion/kind example.com/v1/Widget');
    expect(validateObject({ ...deployment(), kind: 'Deploymint' })[0].type).toBe('unregistered');
    expect(validateObject({ apiVersion: 'constructor', kind: 'Widget' })[0].type).toBe('unregistered');
  });

  test('checks the GKE kinds, from their own older package', () => {
    const frontend = { apiVersion: 'networking.gke.io/v1beta1', kind: 'FrontendConfig', metadata: { name: 'storefront' }, spec: { redirectToHttps: { enabled: true } } };
    expect(validateObject(frontend)).toEqual([]);
    expect(validateObject({ ...frontend, spec: { redirectToHttps: { enabled: 'yes' } } }).map((i) => i.message)).toEqual(['spec/redirectToHttps/enabled must be boolean']);
  });

  test('fails if the object has no apiVersion or kind', () => {
    expect(validateObject('kind: Deployment')[0].type).toBe('malformed');
    expect(validateObject({ kind: 'Deployment' })[0].type).toBe('malformed');
  });

  test('validateObjects names the object of each issue', () => {
    const broken = deployment();
    broken.spec.replicas = 'three';
    expect(validateObjects([deployment(), broken])).toEqual([
      { object: 'Deployment/inventory-api', type: 'schema', path: '/spec/replicas', message: 'spec/replicas must be integer' },
    ]);
  });

  test('knows every group/version the platform uses', () => {
    for (const [apiVersion, kind] of [
      ['v1', 'Namespace'],
      ['apps/v1', 'Deployment'],
      ['autoscaling/v2', 'HorizontalPodAutoscaler'],
      ['policy/v1', 'PodDisruptionBudget'],
      ['networking.k8s.io/v1', 'NetworkPolicy'],
      ['rbac.authorization.k8s.io/v1', 'RoleBinding'],
      ['cert-manager.io/v1', 'Certificate'],
      ['external-secrets.io/v1', 'SecretStore'],
      ['external-secrets.io/v1beta1', 'ExternalSecret'],
      ['monitoring.coreos.com/v1', 'PrometheusRule'],
      ['monitoring.coreos.com/v1alpha1', 'AlertmanagerConfig'],
      ['argoproj.io/v1alpha1', 'Application'],
      ['argoproj.io/v1alpha1', 'Rollout'],
      ['argoproj.io/v1alpha1', 'AnalysisTemplate'],
      ['networking.istio.io/v1', 'VirtualService'],
      ['networking.istio.io/v1', 'DestinationRule'],
      ['networking.istio.io/v1beta1', 'DestinationRule'],
      ['networking.gke.io/v1beta1', 'FrontendConfig'],
    ]) {
      expect([apiVersion, kind, isRegistered(apiVersion, kind)]).toEqual([apiVersion, kind, true]);
    }
    expect(registeredApiVersions()).toContain('networking.gke.io/v1beta1');
  });

  test('loads only the group/versions it is asked about', () => {
    jest.isolateModules(() => {
      // A fresh copy of the module, with nothing loaded yet.
      const fresh = require('../../lib/validate/schemas') as typeof import('../../lib/validate/schemas');
      expect(fresh.loadedApiVersions()).toEqual([]);
      expect(fresh.validateObject(deployment())).toEqual([]);
      expect(fresh.loadedApiVersions()).toEqual(['apps/v1']);
    });
  });
});

describe('the validator at run time', () => {
  const probeDir = path.join(PROJECT_DIR, '.build', `schema-probe-${process.pid}`);
  const bundleBase = path.join(PROJECT_DIR, '.build', path.relative(PROJECT_DIR, path.join(probeDir, 'entry')).replace(/[\\/]/g, '_'));
  afterAll(() => {
    fs.rmSync(probeDir, { recursive: true, force: true });
    for (const suffix of ['.js', '.inputs.json']) fs.rmSync(`${bundleBase}${suffix}`, { force: true });
  });

  test('runs from the esbuild bundle of scripts/run.js on this Node', () => {
    fs.mkdirSync(probeDir, { recursive: true });
    const schemas = path.join(PROJECT_DIR, 'lib', 'validate', 'schemas');
    fs.writeFileSync(
      path.join(probeDir, 'entry.ts'),
      [
        `import { validateObject } from ${JSON.stringify(schemas)};`,
        `const objects = ${JSON.stringify([
          deployment(),
          { ...deployment(), spec: { ...deployment().spec, replicas: 'three' } },
          { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'v' }, spec: { hosts: ['inventory-api'] } },
          // Argo Rollouts shares argoproj.io/v1alpha1 with Argo CD: its module is the second one looked up.
          { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'r' }, spec: { ...deployment().spec, strategy: { canary: { steps: [{ setWeight: 'ten' }] } } } },
          { apiVersion: 'networking.gke.io/v1beta1', kind: 'FrontendConfig', metadata: { name: 'f' }, spec: { redirectToHttps: { enabled: 'yes' } } },
        ])};`,
        'process.stdout.write(JSON.stringify(objects.map((o) => validateObject(o).map((i) => i.message))));',
      ].join('\n'),
    );
    const result = spawnSync(process.execPath, [path.join(PROJECT_DIR, 'scripts', 'run.js'), path.join(probeDir, 'entry.ts')], {
      cwd: PROJECT_DIR,
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual([
      [], ['spec/replicas must be integer'], [], ['spec/strategy/canary/steps/0/setWeight must be integer'], ['spec/redirectToHttps/enabled must be boolean'],
    ]);
  });

  test('the synth bundle contains no kubernetes-models code', () => {
    const result = spawnSync(process.execPath, [path.join(PROJECT_DIR, 'scripts', 'run.js'), 'cli/main.ts', '--help'], {
      cwd: PROJECT_DIR,
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    const inputs = Object.keys(JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, '.build', 'cli_main.inputs.json'), 'utf8')) as object);
    expect(inputs.length).toBeGreaterThan(0);
    expect(inputs.filter((file) => file.includes('node_modules'))).toEqual([]);
  });
});
