// Issue "operational truth": `validate` passes on the sample and fails, with one line each, when any
// link of the paths the controllers act on is broken. Each mutation breaks one link of the sample's
// own output, as a hand edit or a regression of a construct would.
import { dump, load } from 'js-yaml';
import { samplePlatform } from '../../apps/platform';
import type { OutputFile } from '../../lib/engine/output';
import { synthPlatform } from '../../lib/pipeline/synth';
import { platformRules } from '../../lib/validate/platform-rules';
import { checkOutput } from '../../lib/validate/output';

type Json = Record<string, unknown>;
const platform = samplePlatform();
const files = synthPlatform(platform).files;

function edit(path: string, change: (o: Json) => void, from: readonly OutputFile[] = files): OutputFile[] {
  const i = from.findIndex((f) => f.path === path);
  if (i < 0) throw new Error(`no file ${path}`);
  const json = path.endsWith('.json');
  const o = (json ? JSON.parse(from[i].content) : load(from[i].content)) as Json;
  change(o);
  return from.map((f, j) => (j === i ? { ...f, content: json ? JSON.stringify(o) : dump(o) } : f));
}

const without = (path: string): OutputFile[] => {
  if (!files.some((f) => f.path === path)) throw new Error(`no file ${path}`);
  return files.filter((f) => f.path !== path);
};

function obj(o: unknown, ...keys: (string | number)[]): Json {
  let cur = o;
  for (const k of keys) cur = (cur as Record<string | number, unknown>)[k];
  if (typeof cur !== 'object' || cur === null) throw new Error(`no object at ${keys.join('.')}`);
  return cur as Json;
}

/** The one-line findings of a validate run: `rule file object: message`. */
function findings(output: readonly OutputFile[]): string[] {
  return checkOutput(output, platformRules(platform)).violations.map((v) => `${v.rule} ${v.file} ${v.object}: ${v.message}`);
}

const MUTATIONS: Record<string, () => OutputFile[]> = {
  'an Ingress GKE would ignore (class field, no annotation)': () => edit('kubernetes/dev/ingress-web.yaml', (o) => {
    delete obj(o, 'metadata', 'annotations')['kubernetes.io/ingress.class'];
    obj(o, 'spec').ingressClassName = 'gce';
  }),
  'production\'s Istio Gateway missing': () => without('kubernetes/prod/gateway-ingress-gateway.yaml'),
  'an internal host on the HTTP-01 issuer': () => edit('kubernetes/stage/certificate-admin-tls.yaml', (o) => { obj(o, 'spec', 'issuerRef').name = 'letsencrypt-http01'; }),
  'a ClusterIssuer missing': () => without('kubernetes/clusters/nonprod/clusterissuer-letsencrypt-dns01.yaml'),
  'an app with a database not told its address': () => edit('kubernetes/stage/configmap-inventory-api-config.yaml', (o) => { delete obj(o, 'data').DATABASE_HOST; }),
  'the canary on a database of its own': () => edit('kubernetes/canary/rollout-inventory-api-canary.yaml', (o) => {
    const proxy = (obj(o, 'spec', 'template', 'spec').initContainers as Json[]).find((c) => c.name === 'cloud-sql-proxy') as Json;
    proxy.args = (proxy.args as string[]).map((a) => a.replace(/:inventory-api-prod$/, ':inventory-api-canary'));
  }),
  'a candidate given more traffic than its replicas carry': () => edit('kubernetes/prod/virtualservice-inventory-api.yaml', (o) => {
    const route = obj(o, 'spec', 'http', 0).route as Json[];
    route[0].weight = 50;
    route[1].weight = 50;
  }, without('kubernetes/canary/horizontalpodautoscaler-inventory-api-canary.yaml')),
  'an analysis that passes without traffic': () => edit('kubernetes/prod/analysistemplate-web-analysis.yaml', (o) => {
    const prom = obj(o, 'spec', 'metrics', 0, 'provider', 'prometheus');
    prom.query = String(prom.query).replace(/\(\s*\(([\s\S]*)\)\s*and on\(\)[\s\S]*$/, '($1) or on() vector(1)');
  }),
  'group RoleBindings on a cluster without Google Groups for RBAC': () => edit('terraform/cluster-prod/main.tf.json', (o) => {
    delete obj(o, 'resource', 'google_container_cluster', 'cluster').authenticator_groups_config;
  }),
  'a quota that cannot hold the apps and their sidecars': () => edit('kubernetes/prod/resourcequota-compute.yaml', (o) => { obj(o, 'spec', 'hard')['limits.cpu'] = '30'; }),
  'an environment reading another environment\'s secret': () => edit('kubernetes/stage/externalsecret-web-secrets.yaml', (o) => {
    obj(o, 'spec', 'data', 0, 'remoteRef').key = 'web-session-secret-dev';
  }),
  'a meshed namespace without STRICT mTLS': () => without('kubernetes/prod/peerauthentication-default.yaml'),
};

describe('validate on the sample: each broken link is caught', () => {
  test('the sample passes', () => {
    expect(findings(files)).toEqual([]);
  });

  test.each(Object.keys(MUTATIONS))('%s', (name) => {
    const lines = findings(MUTATIONS[name]());
    expect(lines.length).toBeGreaterThan(0);
    expect(lines).toMatchSnapshot();
  });
});
