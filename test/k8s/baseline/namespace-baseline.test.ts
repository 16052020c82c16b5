import { Chart, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { profiles } from '../../fixtures/shop/profiles';
import { NamespaceBaseline, type NamespaceBaselineProps } from '../../../lib/k8s/baseline/namespace-baseline';

const props: NamespaceBaselineProps = {
  namespace: 'shop-dev',
  quota: { cpuRequests: Cpu.units(4), cpuLimits: Cpu.units(8), memoryRequests: Size.gibibytes(8), memoryLimits: Size.gibibytes(16), pods: 50 },
  defaultResources: profiles.minimal,
};

function synth(p: Partial<NamespaceBaselineProps> = {}) {
  const chart = Testing.chart();
  new NamespaceBaseline(chart, 'B', { ...props, ...p });
  return Testing.synth(chart);
}
const byKind = (objs: ReturnType<typeof synth>, kind: string) => objs.filter((o) => o.kind === kind);

describe('NamespaceBaseline', () => {
  test('enforces the restricted Pod Security Standard', () => {
    expect(byKind(synth(), 'Namespace')[0].metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
  });

  test('the Namespace, which is cluster-scoped, names no namespace; the namespaced objects keep theirs', () => {
    for (const namespace of [undefined, 'shop-dev']) {
      const chart = new Chart(Testing.app(), 'c', { namespace });
      new NamespaceBaseline(chart, 'B', props);
      const objects = Testing.synth(chart);
      expect(byKind(objects, 'Namespace')[0].metadata.namespace).toBeUndefined();
      expect(byKind(objects, 'ResourceQuota')[0].metadata.namespace).toBe(namespace);
    }
  });

  test('sizes the ResourceQuota and LimitRange from its props', () => {
    const objs = synth();
    expect(byKind(objs, 'ResourceQuota')[0].spec.hard).toEqual({
      'requests.cpu': '4',
      'limits.cpu': '8',
      'requests.memory': '8192Mi',
      'limits.memory': '16384Mi',
      pods: 50,
    });
    expect(byKind(objs, 'LimitRange')[0].spec.limits).toEqual([
      { type: 'Container', defaultRequest: { cpu: '50m', memory: '64Mi' }, default: { cpu: '250m', memory: '128Mi' } },
    ]);
  });

  test('denies all ingress and egress by default and allows only DNS', () => {
    const policies = byKind(synth(), 'NetworkPolicy');
    expect(policies.map((p) => p.metadata.name)).toEqual(['default-deny', 'allow-dns']);
    expect(policies[0].spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(policies[1].spec.policyTypes).toEqual(['Egress']);
    expect(policies[1].spec.egress).toEqual([
      {
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [
          { protocol: 'UDP', port: 53 },
          { protocol: 'TCP', port: 53 },
        ],
      },
    ]);
  });

  test('a namespace in the mesh gets sidecar injection and egress to istiod, and nothing else more', () => {
    const objs = synth({ mesh: { namespace: 'istio-system' } });
    expect(byKind(objs, 'Namespace')[0].metadata.labels).toMatchObject({ 'istio-injection': 'enabled' });
    const policies = byKind(objs, 'NetworkPolicy');
    expect(policies.map((p) => p.metadata.name)).toEqual(['default-deny', 'allow-dns', 'allow-istiod']);
    expect(policies[2].spec).toEqual({
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } }, podSelector: { matchLabels: { app: 'istiod' } } }],
          ports: [{ protocol: 'TCP', port: 15012 }],
        },
      ],
    });
    expect(byKind(synth(), 'Namespace')[0].metadata.labels).not.toHaveProperty('istio-injection');
  });

  test('fails if the quota allows no pod', () => {
    expect(() => synth({ quota: { ...props.quota, pods: 0 } })).toThrow('namespace shop-dev: quota.pods (0) must be a positive integer');
  });
});
