import { Chart, Testing } from 'cdk8s';
import { AppDestinationRule, type AppDestinationRuleProps } from '../../../lib/k8s/traffic/app-destination-rule';
import { validateObjects } from '../../../lib/validate/schemas';

type Manifest = ReturnType<typeof Testing.synth>[number];

const labels = { app: 'inventory-api', instance: 'inventory-api', partOf: 'shop', version: 'v1.4.2' };

function rule(props: Partial<AppDestinationRuleProps> = {}): { rule: AppDestinationRule; manifests: Manifest[] } {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  const created = new AppDestinationRule(chart, 'Destination', {
    name: 'inventory-api',
    labels,
    host: 'inventory-api',
    subsets: [{ name: 'stable' }, { name: 'canary', labels: { 'app.kubernetes.io/version': 'v1.5.0' } }],
    ...props,
  });
  return { rule: created, manifests: Testing.synth(chart) };
}

describe('AppDestinationRule', () => {
  test('a DestinationRule for the Service, in the chart namespace, with the app labels', () => {
    const [object] = rule().manifests;
    expect(object).toMatchObject({
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: {
        name: 'inventory-api',
        namespace: 'shop',
        labels: {
          'app.kubernetes.io/name': 'inventory-api',
          'app.kubernetes.io/instance': 'inventory-api',
          'app.kubernetes.io/part-of': 'shop',
          'app.kubernetes.io/managed-by': 'platform-synth',
        },
      },
    });
    expect(object.spec.host).toBe('inventory-api');
  });

  test('names the subsets, with their labels when given', () => {
    const { rule: created, manifests } = rule();
    expect(manifests[0].spec.subsets).toEqual([{ name: 'stable' }, { name: 'canary', labels: { 'app.kubernetes.io/version': 'v1.5.0' } }]);
    expect(created.subsetNames).toEqual(['stable', 'canary']);
    expect(created.host).toBe('inventory-api');
  });

  test('passes the upstream schema', () => {
    expect(validateObjects(rule().manifests)).toEqual([]);
  });

  test('fails if there is no subset', () => {
    expect(() => rule({ subsets: [] })).toThrow('inventory-api: subsets is empty; fix: name at least one subset');
  });

  test('fails if a subset name appears twice', () => {
    expect(() => rule({ subsets: [{ name: 'stable' }, { name: 'stable' }] })).toThrow('inventory-api: subsets[1].name "stable" appears twice; fix: give each subset its own name');
  });

  test('fails if a subset name is not a DNS label', () => {
    expect(() => rule({ subsets: [{ name: 'Canary_1' }] })).toThrow('inventory-api: subsets[0].name "Canary_1" is not a DNS label');
    expect(() => rule({ subsets: [{ name: 'a'.repeat(64) }] })).toThrow('is not a DNS label');
  });

  test('fails if a subset label is not a Kubernetes label', () => {
    expect(() => rule({ subsets: [{ name: 'canary', labels: { version: 'v1 beta' } }] })).toThrow('inventory-api: subsets[0].labels has "version": "v1 beta", which is not a Kubernetes label');
  });

  test('fails if the host is not a Service name', () => {
    expect(() => rule({ host: 'Inventory API' })).toThrow('inventory-api: host "Inventory API" is not a Service name');
  });
});
