// The shared manifest reading of lib/manifest/, which validate and diff both use.
import { autoscalerFloor, replicaFloor, scales, scaleTarget } from '../../lib/manifest/autoscaler';
import { at, strMap } from '../../lib/manifest/json-access';
import { labelSelectorMatches, selects } from '../../lib/manifest/label-selector';
import { apiGroup, type Manifest, toManifest } from '../../lib/manifest/manifest';
import { policyTypes } from '../../lib/manifest/network-policy';
import { secretDataFields } from '../../lib/manifest/secret-data';
import { isScaledWorkload, podLabels, podSpec, workloadTraits } from '../../lib/manifest/workload';

/** A parsed object, which must be one: a test fails early rather than on undefined. */
function parsed(object: unknown): Manifest {
  const m = toManifest(object);
  if (m === undefined) throw new Error(`not a manifest: ${JSON.stringify(object)}`);
  return m;
}

const pod = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'r/web:v1' }] } };
const workload = (apiVersion: string, kind: string, spec: Record<string, unknown> = { template: pod }) =>
  parsed({ apiVersion, kind, metadata: { name: 'web' }, spec });

describe('json-access', () => {
  test('at reads keys with dots, array indexes, and own keys only', () => {
    const o = { metadata: { labels: { 'app.kubernetes.io/name': 'web' } }, spec: { containers: [{ name: 'app' }] } };
    expect(at(o, 'metadata', 'labels', 'app.kubernetes.io/name')).toBe('web');
    expect(at(o, 'spec', 'containers', 0, 'name')).toBe('app');
    expect(at(o, 'spec', 'containers', 'name')).toBeUndefined();
    expect(at(o, 'spec', 'constructor')).toBeUndefined();
    expect(at('text', 'length')).toBeUndefined();
  });

  test('strMap keeps the string entries of a mapping', () => {
    expect(strMap({ a: 'x', b: 1, c: null })).toEqual({ a: 'x' });
    expect(strMap(['a'])).toEqual({});
  });
});

describe('manifest', () => {
  test('toManifest reads kind, name, namespace and labels once; a mapping without a kind is no manifest', () => {
    expect(toManifest({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop-dev', labels: { app: 'web', n: 1 } } })).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      name: 'web',
      namespace: 'shop-dev',
      labels: { app: 'web' },
      body: expect.objectContaining({ kind: 'Service' }),
    });
    expect(toManifest({ metadata: { name: 'web' } })).toBeUndefined();
    expect(toManifest([{ kind: 'Service' }])).toBeUndefined();
  });

  test('apiGroup is empty for the core group', () => {
    expect(apiGroup('argoproj.io/v1alpha1')).toBe('argoproj.io');
    expect(apiGroup('v1')).toBe('');
    expect(apiGroup(undefined)).toBe('');
  });
});

describe('workload kinds', () => {
  test.each([
    ['apps/v1', 'Deployment', true],
    ['apps/v1', 'StatefulSet', true],
    ['argoproj.io/v1alpha1', 'Rollout', true],
    ['apps/v1', 'DaemonSet', false],
    ['apps/v1', 'ReplicaSet', false],
    ['batch/v1', 'Job', false],
  ])('%s %s runs pods from spec.template; scaled: %s', (apiVersion, kind, scaled) => {
    const m = workload(apiVersion, kind);
    expect(podSpec(m)).toEqual(pod.spec);
    expect(podLabels(m)).toEqual({ app: 'web' });
    expect(isScaledWorkload(m)).toBe(scaled);
  });

  test("a CronJob's pods are in its job template", () => {
    const cron = workload('batch/v1', 'CronJob', { jobTemplate: { spec: { template: pod } } });
    expect(podSpec(cron)).toEqual(pod.spec);
    expect(isScaledWorkload(cron)).toBe(false);
  });

  test('a kind of the same name in another group, or another kind, is no workload', () => {
    expect(workloadTraits(workload('example.com/v1', 'Rollout'))).toBeUndefined();
    expect(workloadTraits(workload('v1', 'Deployment'))).toBeUndefined();
    expect(podSpec(workload('v1', 'ConfigMap'))).toBeUndefined();
    expect(podLabels(workload('v1', 'ConfigMap'))).toEqual({});
  });
});

describe('autoscaler', () => {
  const hpa = (spec: Record<string, unknown>) => parsed({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' }, spec });
  const rollout = workload('argoproj.io/v1alpha1', 'Rollout', { replicas: 4, template: pod });

  test('scales its target by kind and name', () => {
    const target = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'web' };
    expect(scaleTarget(hpa({ scaleTargetRef: target }))).toEqual(target);
    expect(scales(hpa({ scaleTargetRef: target }), rollout)).toBe(true);
    expect(scales(hpa({ scaleTargetRef: { ...target, kind: 'Deployment' } }), rollout)).toBe(false);
    expect(scaleTarget(hpa({ scaleTargetRef: { kind: 'Rollout' } }))).toBeUndefined();
  });

  test("the floor is minReplicas, Kubernetes' 1 when absent, unreadable when not a number", () => {
    expect(autoscalerFloor(hpa({ minReplicas: 3 }))).toBe(3);
    expect(autoscalerFloor(hpa({}))).toBe(1);
    expect(autoscalerFloor(hpa({ minReplicas: '3' }))).toBeUndefined();
  });

  test("a workload's floor is its autoscaler's, else its own count, else 1", () => {
    expect(replicaFloor(rollout, hpa({ minReplicas: 2 }))).toBe(2);
    expect(replicaFloor(rollout)).toBe(4);
    expect(replicaFloor(workload('apps/v1', 'Deployment'))).toBe(1);
  });
});

describe('secret data', () => {
  const secret = (fields: Record<string, unknown>, kind = 'Secret') => parsed({ apiVersion: 'v1', kind, metadata: { name: 's' }, ...fields });

  test('names the non-empty data fields of a Secret, and nothing of another kind', () => {
    expect(secretDataFields(secret({ data: { A: 'Yg==' }, stringData: { B: 'b' } }))).toEqual(['data', 'stringData']);
    expect(secretDataFields(secret({ data: {}, stringData: { B: 'b' } }))).toEqual(['stringData']);
    expect(secretDataFields(secret({}))).toEqual([]);
    expect(secretDataFields(secret({ data: { A: 'x' } }, 'ConfigMap'))).toEqual([]);
  });
});

describe('selectors', () => {
  test('selects: every label of a non-empty selector; an empty one selects nothing', () => {
    expect(selects({ app: 'web' }, { app: 'web', tier: 'front' })).toBe(true);
    expect(selects({ app: 'web', tier: 'back' }, { app: 'web', tier: 'front' })).toBe(false);
    expect(selects({}, { app: 'web' })).toBe(false);
  });

  test('labelSelectorMatches: matchLabels and matchExpressions; an empty selector matches everything', () => {
    expect(labelSelectorMatches({}, { app: 'web' })).toBe(true);
    expect(labelSelectorMatches({ matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] }, { app: 'web' })).toBe(true);
    expect(labelSelectorMatches({ matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] }, { app: 'web' })).toBe(false);
    expect(labelSelectorMatches({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, { app: 'web' })).toBe(true);
    expect(labelSelectorMatches(undefined, { app: 'web' })).toBe(false);
  });
});

describe('network policy types', () => {
  test("the listed types, else the API server's default: Ingress, and Egress with at least one egress rule", () => {
    expect([...policyTypes({ spec: { policyTypes: ['Egress'] } })]).toEqual(['Egress']);
    expect([...policyTypes({ spec: { egress: [{ to: [] }] } })]).toEqual(['Ingress', 'Egress']);
    expect([...policyTypes({ spec: { egress: [] } })]).toEqual(['Ingress']);
  });
});
