import { Testing } from 'cdk8s';
import { AppNetworkPolicy } from '../../../lib/k8s/baseline/app-network-policy';

describe('AppNetworkPolicy', () => {
  test('lets in exactly the declared callers and out exactly the declared dependencies and ranges', () => {
    const chart = Testing.chart();
    new AppNetworkPolicy(chart, 'P', {
      name: 'web',
      podSelector: { 'app.kubernetes.io/instance': 'web' },
      fromCidrs: [{ cidr: '35.191.0.0/16', ports: [8080] }],
      fromNamespaces: [{ namespace: 'monitoring', podLabels: { 'app.kubernetes.io/name': 'prometheus' }, ports: [9090] }],
      toApps: [{ app: 'inventory-api', ports: [8080, 8080] }],
      toCidrs: [{ cidr: '10.14.0.0/20', ports: [6379, 5432] }],
    });
    const [policy] = Testing.synth(chart);
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'web' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        { from: [{ ipBlock: { cidr: '35.191.0.0/16' } }], ports: [{ protocol: 'TCP', port: 8080 }] },
        {
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }],
          ports: [{ protocol: 'TCP', port: 9090 }],
        },
      ],
      egress: [
        { to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'inventory-api' } } }], ports: [{ protocol: 'TCP', port: 8080 }] },
        { to: [{ ipBlock: { cidr: '10.14.0.0/20' } }], ports: [{ protocol: 'TCP', port: 5432 }, { protocol: 'TCP', port: 6379 }] },
      ],
    });
  });

  test('fails on a rule without ports', () => {
    const chart = Testing.chart();
    expect(() => new AppNetworkPolicy(chart, 'P', { name: 'x', podSelector: {}, toApps: [{ app: 'y', ports: [] }] })).toThrow(/needs at least one port/);
  });
});
