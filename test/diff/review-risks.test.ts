import { riskFlags, type KubernetesPair, type TerraformPair } from '../../lib/diff/risk-flags';
import { risksByApp } from '../../lib/diff/risk-groups';
import type { JsonRecord } from '../../lib/manifest/json-access';
import { objectPair, stackPairs } from './fixtures';

// The review flags of issue 14, each with a positive and a negative case on small parsed objects.

const STEPS = [10, 25, 50, 75, 100];
const context = { production: new Set(['prod']), canarySteps: STEPS };
const all = (k: readonly KubernetesPair[], t: readonly TerraformPair[] = []) => riskFlags(k, t, context);
const flags = (k: readonly KubernetesPair[], t: readonly TerraformPair[] = []): string[] => all(k, t).map((f) => `${f.rule} ${f.object}: ${f.reason}`);

const meta = (name: string, annotations: JsonRecord = {}) => ({ name, namespace: 'shop-prod', labels: { 'app.kubernetes.io/name': name }, annotations });
const ingress = (cls: string, hosts: string[], extra: JsonRecord = {}) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: meta('web', { 'kubernetes.io/ingress.class': cls, ...extra }),
  spec: { rules: hosts.map((host) => ({ host })) },
});
const deployment = (kind = 'Deployment') => ({ apiVersion: kind === 'Rollout' ? 'argoproj.io/v1alpha1' : 'apps/v1', kind, metadata: meta('web'), spec: { replicas: 3 } });

describe('exposure-widened', () => {
  test('an Ingress from gce-internal to gce, a host leaving internal., a new public Ingress flag', () => {
    expect(flags([objectPair('prod', ingress('gce-internal', ['web.internal.shop.example.com']), ingress('gce', ['web.shop.example.com']))])).toEqual([
      'exposure-widened Ingress/web: exposes to the internet: ingress class gce-internal → gce, host web.shop.example.com leaves internal.',
    ]);
    expect(flags([objectPair('dev', undefined, ingress('gce', ['web.shop.example.com']))])).toEqual([
      'exposure-widened Ingress/web: exposes to the internet: adds a public Ingress for web.shop.example.com',
    ]);
  });

  test('an internal Ingress, or a public one with the same hosts and IP, does not flag', () => {
    expect(flags([objectPair('prod', undefined, ingress('gce-internal', ['web.internal.shop.example.com']))])).toEqual([]);
    expect(flags([objectPair('prod', ingress('gce', ['a.example.com']), ingress('gce', ['a.example.com']))])).toEqual([]);
  });

  const firewall = (ranges: string[]) => ({ resource: { google_compute_firewall: { fw: { direction: 'INGRESS', source_ranges: ranges } } } });
  const cluster = (cidrs?: string[]) => ({
    resource: {
      google_container_cluster: {
        cluster: { location: 'europe-west1', ...(cidrs === undefined ? {} : { master_authorized_networks_config: { cidr_blocks: cidrs.map((cidr_block) => ({ cidr_block })) } }) },
      },
    },
  });

  test('a firewall opened or removed, authorized networks opened or removed, a new public static IP flag', () => {
    expect(flags([], stackPairs('cluster-prod', firewall(['10.0.0.0/8']), firewall(['10.0.0.0/8', '0.0.0.0/0'])))).toEqual([
      'exposure-widened google_compute_firewall.fw: widens exposure: firewall source_ranges gain 0.0.0.0/0',
    ]);
    expect(flags([], stackPairs('cluster-prod', firewall(['10.0.0.0/8']), { resource: {} }))).toEqual([
      'exposure-widened google_compute_firewall.fw: widens exposure: removes the firewall rule',
    ]);
    expect(flags([], stackPairs('cluster-prod', cluster(['10.0.0.0/28']), cluster(['10.0.0.0/28', '203.0.113.0/24'])))).toEqual([
      'exposure-widened google_container_cluster.cluster: widens exposure: master authorized networks gain 203.0.113.0/24',
    ]);
    expect(flags([], stackPairs('cluster-prod', cluster(['10.0.0.0/28']), cluster()))).toEqual([
      'exposure-widened google_container_cluster.cluster: widens exposure: removes master_authorized_networks_config: the control plane accepts every address',
    ]);
    expect(flags([], stackPairs('shared', { resource: {} }, { resource: { google_compute_global_address: { ip: { name: 'web' } } } }))).toEqual([
      'exposure-widened google_compute_global_address.ip: widens exposure: reserves a new public static IP',
    ]);
  });

  test('a narrowed firewall, unchanged networks or an internal address do not flag', () => {
    expect(flags([], stackPairs('cluster-prod', firewall(['10.0.0.0/8', '0.0.0.0/0']), firewall(['10.0.0.0/8'])))).toEqual([]);
    expect(flags([], stackPairs('cluster-prod', cluster(['10.0.0.0/28']), { resource: { google_container_cluster: { cluster: { location: 'europe-west1', master_authorized_networks_config: { cidr_blocks: [{ cidr_block: '10.0.0.0/28' }] }, initial_node_count: 2 } } } }))).toEqual([]);
    expect(flags([], stackPairs('shared', { resource: {} }, { resource: { google_compute_address: { ip: { address_type: 'INTERNAL' } } } }))).toEqual([]);
  });
});

describe('deletes-prod-workload and new-prod-app', () => {
  test('a removed or added production Deployment or Rollout flags', () => {
    expect(flags([objectPair('prod', deployment(), undefined), objectPair('prod', undefined, { ...deployment('Rollout'), metadata: meta('api') })])).toEqual([
      'deletes-prod-workload Deployment/web: deletes a serving workload of production environment prod',
      'new-prod-app Rollout/api: a new workload reaches production environment prod',
    ]);
  });

  test('outside production, or a Deployment turned into a Rollout of the same name, does not flag', () => {
    expect(flags([objectPair('stage', deployment(), undefined), objectPair('stage', undefined, deployment())])).toEqual([]);
    expect(flags([objectPair('prod', deployment(), undefined), objectPair('prod', undefined, deployment('Rollout'))])).toEqual([]);
  });
});

describe('forces-replacement of subnets', () => {
  const subnet = (range: string, secondary: string) => ({
    resource: { google_compute_subnetwork: { nodes: { ip_cidr_range: range, secondary_ip_range: [{ range_name: 'pods', ip_cidr_range: secondary }] } } },
  });
  test('a changed primary or secondary range flags', () => {
    expect(flags([], stackPairs('cluster-prod', subnet('10.0.0.0/20', '10.4.0.0/14'), subnet('10.0.0.0/20', '10.8.0.0/14')))).toEqual([
      'forces-replacement google_compute_subnetwork.nodes: secondary_ip_range[0].ip_cidr_range "10.4.0.0/14" → "10.8.0.0/14" forces replacement',
    ]);
  });
  test('another attribute does not flag', () => {
    const logged = { resource: { google_compute_subnetwork: { nodes: { ...subnet('10.0.0.0/20', '10.4.0.0/14').resource.google_compute_subnetwork.nodes, private_ip_google_access: true } } } };
    expect(flags([], stackPairs('cluster-prod', subnet('10.0.0.0/20', '10.4.0.0/14'), logged))).toEqual([]);
  });
});

describe('protection-off', () => {
  const db = (settings: JsonRecord, top: JsonRecord = {}) => ({ resource: { google_sql_database_instance: { db: { name: 'db', ...top, settings } } } });
  test('deletion protection or backups turned off flag', () => {
    const on = db({ deletion_protection_enabled: true, backup_configuration: { enabled: true } }, { deletion_protection: true });
    const off = db({ deletion_protection_enabled: false, backup_configuration: { enabled: false } }, { deletion_protection: false });
    expect(flags([], stackPairs('data-prod', on, off))).toEqual([
      'protection-off google_sql_database_instance.db: turns off deletion_protection true → false, settings.deletion_protection_enabled true → false, settings.backup_configuration.enabled true → false: a deletion or a lost day is unrecoverable',
    ]);
    const gke = (p: boolean) => ({ resource: { google_container_cluster: { cluster: { deletion_protection: p } } } });
    expect(flags([], stackPairs('cluster-prod', gke(true), gke(false)))).toEqual([
      'protection-off google_container_cluster.cluster: turns off deletion_protection true → false: a deletion or a lost day is unrecoverable',
    ]);
  });
  test('turning protection on, or another setting, does not flag', () => {
    expect(flags([], stackPairs('data-prod', db({ backup_configuration: { enabled: false } }), db({ backup_configuration: { enabled: true } })))).toEqual([]);
    expect(flags([], stackPairs('data-prod', db({ tier: 'a' }), db({ tier: 'b' })))).toEqual([]);
  });
});

describe('canary-weight-jump', () => {
  const vs = (canary: number) => ({
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: meta('web'),
    spec: { http: [{ name: 'primary', route: [{ destination: { host: 'web', subset: 'stable' }, weight: 100 - canary }, { destination: { host: 'web', subset: 'canary' }, weight: canary }] }] },
  });
  test('a canary weight that skips configured steps flags, naming them', () => {
    expect(flags([objectPair('prod', vs(0), vs(50))])).toEqual([
      'canary-weight-jump VirtualService/web: route primary canary weight 0 → 50 skips steps 10, 25: skips the analysis of the steps between',
    ]);
    expect(flags([objectPair('prod', vs(50), vs(100))])).toEqual([
      'canary-weight-jump VirtualService/web: route primary canary weight 50 → 100 skips step 75: skips the analysis of the steps between',
    ]);
  });
  test('the next step, a weight between steps, or a falling weight, does not flag', () => {
    expect(flags([objectPair('prod', vs(0), vs(10)), objectPair('prod', vs(25), vs(50)), objectPair('prod', vs(30), vs(50)), objectPair('prod', vs(100), vs(0))])).toEqual([]);
  });
  test('the threshold follows the configured steps, not a fixed number of points', () => {
    const withSteps = (canarySteps: readonly number[]) => riskFlags([objectPair('prod', vs(0), vs(10))], [], { ...context, canarySteps }).map((f) => f.reason);
    expect(withSteps([5, 10, 25])).toEqual(['route primary canary weight 0 → 10 skips step 5: skips the analysis of the steps between']);
    expect(withSteps([10, 25])).toEqual([]);
  });
});

describe('severity, app and environment', () => {
  test('each flag carries them; flags group per app with environments once', () => {
    const risks = all([objectPair('prod', deployment(), undefined), objectPair('stage', undefined, ingress('gce', ['a.example.com']))]);
    expect(risks.map((r) => [r.rule, r.severity, r.app, r.environment])).toEqual([
      ['deletes-prod-workload', 'high', 'web', 'prod'],
      ['exposure-widened', 'high', 'web', 'stage'],
    ]);
    expect(risksByApp(risks).map((g) => [g.app, g.environments, g.flags.length])).toEqual([['web', ['prod', 'stage'], 2]]);
  });
  test('a Terraform block without an app label belongs to the platform, in its stack', () => {
    const fw = { resource: { google_compute_firewall: { fw: { source_ranges: ['10.0.0.0/8'] } } } };
    expect(all([], stackPairs('cluster-prod', fw, { resource: {} })).map((r) => [r.app, r.environment])).toEqual([['platform', 'cluster-prod']]);
  });
});
