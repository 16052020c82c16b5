import { bindingWidening, networkPolicyWidening, roleWidening, showPeer } from '../../lib/diff/access-widening';
import type { JsonRecord } from '../../lib/manifest/json-access';

const policy = (spec: JsonRecord): JsonRecord => ({ kind: 'NetworkPolicy', metadata: { name: 'p' }, spec });
const app = { podSelector: { matchLabels: { app: 'web' } } };
const fromApp = (peer: JsonRecord, port = 8080) => ({ from: [peer], ports: [{ protocol: 'TCP', port }] });

describe('networkPolicyWidening', () => {
  test('the same policy, rules reordered, does not widen', () => {
    const a = policy({ ...app, policyTypes: ['Ingress'], ingress: [fromApp(app), fromApp({ ipBlock: { cidr: '10.0.0.0/8' } })] });
    const b = policy({ ...app, policyTypes: ['Ingress'], ingress: [fromApp({ ipBlock: { cidr: '10.0.0.0/8' } }), fromApp(app)] });
    expect(networkPolicyWidening(a, b)).toEqual([]);
  });

  test('a new peer, a new port and a dropped port list widen', () => {
    const old = policy({ ...app, policyTypes: ['Ingress'], ingress: [fromApp(app)] });
    expect(networkPolicyWidening(old, policy({ ...app, policyTypes: ['Ingress'], ingress: [fromApp(app), fromApp({ podSelector: { matchLabels: { app: 'admin' } } })] }))).toEqual([
      'ingress from pods app=admin in the namespace (new peer) on port 8080/TCP',
    ]);
    expect(networkPolicyWidening(old, policy({ ...app, policyTypes: ['Ingress'], ingress: [fromApp(app, 9090), fromApp(app)] }))).toEqual([
      'ingress from pods app=web in the namespace on port 9090/TCP',
    ]);
    expect(networkPolicyWidening(old, policy({ ...app, policyTypes: ['Ingress'], ingress: [{ from: [app] }] }))).toEqual([
      'ingress from pods app=web in the namespace on every port',
    ]);
  });

  test('selectors loosened to {} widen', () => {
    const old = policy({ ...app, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { team: 'a' } } }] }] });
    const now = policy({ podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: {} }] }] });
    expect(networkPolicyWidening(old, now)).toEqual([
      'podSelector loosened to {} (every pod in the namespace)',
      'egress to every namespace (namespaceSelector loosened to {}) on every port',
    ]);
  });

  test('dropping a direction from policyTypes widens', () => {
    const old = policy({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(networkPolicyWidening(old, policy({ podSelector: {}, policyTypes: ['Ingress'] }))).toEqual(['no longer restricts egress traffic']);
  });

  test('an added policy widens only when it opens a direction to everyone', () => {
    expect(networkPolicyWidening(undefined, policy({ ...app, policyTypes: ['Ingress'], ingress: [fromApp(app)] }))).toEqual([]);
    expect(networkPolicyWidening(undefined, policy({ ...app, policyTypes: ['Ingress'], ingress: [{}] }))).toEqual(['ingress from every peer on every port']);
    expect(networkPolicyWidening(undefined, policy({ ...app, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] }))).toEqual([
      'egress to ipBlock 0.0.0.0/0 (new) on every port',
    ]);
  });

  test('removing an allow policy narrows access', () => {
    expect(networkPolicyWidening(policy({ ...app, policyTypes: ['Ingress'], ingress: [fromApp(app)] }), undefined)).toEqual([]);
  });
});

describe('roleWidening', () => {
  const role = (rules: JsonRecord[]): JsonRecord => ({ kind: 'Role', rules });

  test('a new resource widens; a grant covered by a wildcard does not', () => {
    const old = role([{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]);
    expect(roleWidening(old, role([{ apiGroups: [''], resources: ['pods', 'secrets'], verbs: ['get'] }]))).toEqual(['grants get secrets']);
    const wild = role([{ apiGroups: ['apps'], resources: ['*'], verbs: ['get', 'list'] }]);
    expect(roleWidening(wild, role([{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['list'] }]))).toEqual([]);
  });

  test('dropping resourceNames widens to every object of the resource', () => {
    const old = role([{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['web-config'], verbs: ['get'] }]);
    expect(roleWidening(old, role([{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }]))).toEqual(['grants get configmaps']);
  });

  test('an added role flags only a wildcard', () => {
    expect(roleWidening(undefined, role([{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]))).toEqual([]);
    expect(roleWidening(undefined, role([{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]))).toEqual(['grants * */*']);
  });
});

describe('bindingWidening', () => {
  const binding = (role: string, subjects: string[]): JsonRecord => ({
    kind: 'RoleBinding',
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: subjects.map((name) => ({ kind: 'User', name })),
  });

  test('new subjects, a new binding and a new role widen; fewer subjects do not', () => {
    expect(bindingWidening(binding('view', ['ann']), binding('view', ['ann', 'bob']))).toEqual(['gives ClusterRole view to User bob']);
    expect(bindingWidening(undefined, binding('view', ['ann']))).toEqual(['gives ClusterRole view to User ann']);
    expect(bindingWidening(binding('view', ['ann']), binding('admin', ['ann']))).toEqual(['now binds ClusterRole admin instead of view']);
    expect(bindingWidening(binding('view', ['ann', 'bob']), binding('view', ['ann']))).toEqual([]);
  });
});

describe('showPeer', () => {
  test.each([
    [{ podSelector: { matchLabels: { app: 'web' } } }, 'pods app=web in the namespace'],
    [{ podSelector: {} }, 'every pod in the namespace'],
    [{ namespaceSelector: {} }, 'every namespace'],
    [{ namespaceSelector: { matchLabels: { team: 'a' } }, podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['x', 'y'] }] } }, 'pods tier In (x, y) in namespaces team=a'],
    [{ namespaceSelector: {}, podSelector: {} }, 'every pod in every namespace'],
    [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }, 'ipBlock 10.0.0.0/8 except 10.1.0.0/16'],
  ])('%j reads as %s, never as JSON', (peer, text) => {
    expect(showPeer(peer)).toBe(text);
  });
});
