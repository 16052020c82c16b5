import { Chart, Testing } from 'cdk8s';
import { AppDestinationRule } from '../../../lib/k8s/traffic/app-destination-rule';
import { AppVirtualService, type AppVirtualServiceProps } from '../../../lib/k8s/traffic/app-virtual-service';
import { validateObjects } from '../../../lib/validate/schemas';

type Manifest = ReturnType<typeof Testing.synth>[number];

interface Destination {
  destination: { host: string; subset: string; port: { number: number } };
  weight: number;
}

const labels = { app: 'inventory-api', instance: 'inventory-api', partOf: 'shop', version: 'v1.4.2' };

function synth(props: Partial<AppVirtualServiceProps> = {}): { service: AppVirtualService; manifests: Manifest[] } {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  const destinationRule = new AppDestinationRule(chart, 'Destination', {
    name: 'inventory-api',
    labels,
    host: 'inventory-api-svc',
    subsets: [{ name: 'stable' }, { name: 'canary' }],
  });
  const service = new AppVirtualService(chart, 'Routes', {
    name: 'inventory-api',
    labels,
    hosts: ['inventory-api'],
    destinationRule,
    port: 8080,
    weights: [
      { subset: 'stable', weight: 90 },
      { subset: 'canary', weight: 10 },
    ],
    ...props,
  });
  return { service, manifests: Testing.synth(chart) };
}

function virtualService(props: Partial<AppVirtualServiceProps> = {}): Manifest {
  const found = synth(props).manifests.find((m) => m.kind === 'VirtualService');
  if (!found) throw new Error('no VirtualService');
  return found;
}

function destinations(props: Partial<AppVirtualServiceProps> = {}): Destination[] {
  const spec = virtualService(props).spec;
  expect(spec.http).toHaveLength(1);
  return spec.http[0].route as Destination[];
}

describe('AppVirtualService', () => {
  test('a VirtualService for the hosts, on the mesh by default, in the chart namespace', () => {
    const object = virtualService();
    expect(object).toMatchObject({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'inventory-api', namespace: 'shop', labels: { 'app.kubernetes.io/instance': 'inventory-api' } },
    });
    expect(object.spec.hosts).toEqual(['inventory-api']);
    expect(object.spec.gateways).toEqual(['mesh']);
  });

  test('one route named primary by default, with a destination per weight on the rule host and port', () => {
    const { service, manifests } = synth();
    const vs = manifests.find((m) => m.kind === 'VirtualService');
    expect(vs?.spec.http[0].name).toBe('primary');
    expect(service.routeName).toBe('primary');
    expect(destinations()).toEqual([
      { destination: { host: 'inventory-api-svc', subset: 'stable', port: { number: 8080 } }, weight: 90 },
      { destination: { host: 'inventory-api-svc', subset: 'canary', port: { number: 8080 } }, weight: 10 },
    ]);
  });

  test('the weights add up to 100', () => {
    expect(destinations().reduce((sum, d) => sum + d.weight, 0)).toBe(100);
  });

  test('route name and gateways are props', () => {
    const { service, manifests } = synth({ routeName: 'http', gateways: ['istio-ingress/public', 'mesh'] });
    const vs = manifests.find((m) => m.kind === 'VirtualService');
    expect(vs?.spec.http[0].name).toBe('http');
    expect(vs?.spec.gateways).toEqual(['istio-ingress/public', 'mesh']);
    expect(service.routeName).toBe('http');
  });

  test('a subset may get all the traffic, and another none', () => {
    const weights = [
      { subset: 'stable', weight: 100 },
      { subset: 'canary', weight: 0 },
    ];
    expect(destinations({ weights }).map((d) => [d.destination.subset, d.weight])).toEqual([
      ['stable', 100],
      ['canary', 0],
    ]);
  });

  test('passes the upstream schema', () => {
    expect(validateObjects(synth().manifests)).toEqual([]);
  });

  test('fails if a subset is missing from the destination rule, naming the rule subsets', () => {
    const weights = [
      { subset: 'stable', weight: 90 },
      { subset: 'preview', weight: 10 },
    ];
    expect(() => synth({ weights })).toThrow(
      'inventory-api: weights[1].subset "preview" is not a subset of destination rule "inventory-api" (subsets: stable, canary); fix: add the subset to the rule, or route to one of its subsets',
    );
  });

  test('fails if the weights do not add up to 100', () => {
    const weights = [
      { subset: 'stable', weight: 80 },
      { subset: 'canary', weight: 10 },
    ];
    expect(() => synth({ weights })).toThrow('inventory-api: the weights add up to 90, not 100');
  });

  test('fails if a weight is above 100 or below 0', () => {
    expect(() => synth({ weights: [{ subset: 'stable', weight: 101 }] })).toThrow('inventory-api: weights[0].weight (101) of subset "stable" must be a whole number from 0 to 100');
    const negative = [
      { subset: 'stable', weight: 100 },
      { subset: 'canary', weight: -1 },
    ];
    expect(() => synth({ weights: negative })).toThrow('weights[1].weight (-1) of subset "canary" must be a whole number from 0 to 100');
  });

  test('fails if a weight is not a whole number', () => {
    const weights = [
      { subset: 'stable', weight: 89.5 },
      { subset: 'canary', weight: 10.5 },
    ];
    expect(() => synth({ weights })).toThrow('weights[0].weight (89.5) of subset "stable" must be a whole number from 0 to 100');
  });

  test('fails if a subset gets two weights', () => {
    const weights = [
      { subset: 'stable', weight: 50 },
      { subset: 'stable', weight: 50 },
    ];
    expect(() => synth({ weights })).toThrow('inventory-api: weights[1].subset "stable" appears twice; fix: give each subset one weight');
  });

  test('fails if there is no weight', () => {
    expect(() => synth({ weights: [] })).toThrow('inventory-api: weights is empty');
  });

  test('fails if the hosts are empty, repeated or not host names', () => {
    expect(() => synth({ hosts: [] })).toThrow('inventory-api: hosts is empty');
    expect(() => synth({ hosts: ['inventory-api', 'inventory-api'] })).toThrow('hosts[1] "inventory-api" appears twice');
    expect(() => synth({ hosts: ['https://shop.example.com'] })).toThrow('hosts[0] "https://shop.example.com" is not a host name');
  });

  test('fails if the gateways are empty or the port is not a port', () => {
    expect(() => synth({ gateways: [] })).toThrow('inventory-api: gateways is empty; fix: omit gateways for traffic inside the mesh');
    expect(() => synth({ port: 0 })).toThrow('inventory-api: port (0) is not a port number');
    expect(() => synth({ port: 70000 })).toThrow('port (70000) is not a port number');
  });

  test('fails if the route name holds white space', () => {
    expect(() => synth({ routeName: 'main route' })).toThrow('inventory-api: routeName "main route" must be a word without white space');
  });

  test('fails if the destination rule is in another namespace', () => {
    const app = Testing.app();
    const destinationRule = new AppDestinationRule(new Chart(app, 'other', { namespace: 'payments' }), 'Destination', {
      name: 'inventory-api',
      labels,
      host: 'inventory-api',
      subsets: [{ name: 'stable' }],
    });
    const chart = new Chart(app, 'test', { namespace: 'shop' });
    expect(
      () =>
        new AppVirtualService(chart, 'Routes', {
          name: 'inventory-api',
          labels,
          hosts: ['inventory-api'],
          destinationRule,
          port: 8080,
          weights: [{ subset: 'stable', weight: 100 }],
        }),
    ).toThrow('inventory-api: the VirtualService is in namespace "shop" and its destination rule in "payments"');
  });
});
