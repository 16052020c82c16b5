import { Duration } from 'cdk8s';
import { RolloutStrategy } from '../../../lib/k8s/delivery/rollout-strategy';
import { CONFIG_HASH_ANNOTATION } from '../../../lib/k8s/workloads/pod-template';
import { Worker, type WorkerProps } from '../../../lib/k8s/workloads/worker';
import { validateObjects } from '../../../lib/validate/schemas';
import { find, type Manifest, ofKind, synthWith, workerProps } from './fixtures';

const canary = RolloutStrategy.canary({ steps: [{ weight: 50, pause: Duration.minutes(5) }, { weight: 100 }], analysis: { templates: ['orders-analysis'] } });

function synth(props: Partial<WorkerProps> = {}): Manifest[] {
  return synthWith((chart) => new Worker(chart, 'W', { ...workerProps, ...props }));
}
const workload = (objs: Manifest[]) => find(objs, 'Deployment') ?? find(objs, 'Rollout');

describe('Worker', () => {
  test('renders its pod template as a Deployment, with a ServiceAccount and no Service', () => {
    const objs = synth({ config: { A: '1' } });
    expect(objs.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'ConfigMap/orders-config',
      'Deployment/orders',
      'PodDisruptionBudget/orders',
      'ServiceAccount/orders',
    ]);
    const d = workload(objs);
    expect(d?.spec.template.spec.serviceAccountName).toBe('orders');
    expect(d?.spec.template.spec.containers[0].envFrom).toEqual([{ configMapRef: { name: 'orders-config' } }]);
    expect(d?.spec.template.metadata.annotations?.[CONFIG_HASH_ANNOTATION]).toMatch(/^[0-9a-f]{16}$/);
    expect(validateObjects(objs)).toEqual([]);
  });

  test('with a rollout strategy renders the same pod template as an Argo Rollout instead', () => {
    const deployment = workload(synth());
    const objs = synth({ rollout: canary });
    expect(ofKind(objs, 'Deployment')).toEqual([]);
    const rollout = workload(objs);
    expect(rollout?.kind).toBe('Rollout');
    expect(rollout?.spec.template).toEqual(deployment?.spec.template);
    expect(rollout?.spec.strategy).toEqual(canary.toArgo());
    expect(validateObjects(objs)).toEqual([]);
  });

  test('puts no cdk8s construct hash on the pods, and runs them under RuntimeDefault seccomp', () => {
    for (const objs of [synth(), synth({ rollout: canary })]) {
      const template = workload(objs)?.spec.template;
      expect(Object.keys(template.metadata.labels).filter((k) => k.startsWith('cdk8s.io/'))).toEqual([]);
      expect(template.spec.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
      expect(template.spec.containers[0].securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    }
  });

  test('scales with an HPA on CPU and memory from the replica minimum, leaving replicas to it', () => {
    const objs = synth({ replicas: 3, autoscaling: { maxReplicas: 9 } });
    expect(find(objs, 'HorizontalPodAutoscaler')?.spec).toMatchObject({
      minReplicas: 3,
      maxReplicas: 9,
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'orders' },
      metrics: [
        { resource: { name: 'cpu', target: { averageUtilization: 70 } } },
        { resource: { name: 'memory', target: { averageUtilization: 80 } } },
      ],
    });
    expect(workload(objs)?.spec.replicas).toBeUndefined();
  });

  test('the HPA targets the Rollout when the workload is one', () => {
    const objs = synth({ replicas: 3, autoscaling: { maxReplicas: 9 }, rollout: canary });
    expect(find(objs, 'HorizontalPodAutoscaler')?.spec.scaleTargetRef).toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'orders' });
    expect(workload(objs)?.spec.replicas).toBeUndefined();
  });

  test('the autoscaler holds a typed reference to the rendered object', () => {
    let worker: Worker | undefined;
    synthWith((chart) => (worker = new Worker(chart, 'W', { ...workerProps, autoscaling: { maxReplicas: 4 }, rollout: canary })));
    expect(worker?.workload.kind).toBe('Rollout');
    expect(worker?.workload.hasAutoscaler).toBe(true);
    expect(worker?.autoscaler).toBeDefined();
  });

  test('with no room to scale there is no HPA and the replicas are fixed', () => {
    const objs = synth({ replicas: 1, autoscaling: { maxReplicas: 1 } });
    expect(find(objs, 'HorizontalPodAutoscaler')).toBeUndefined();
    expect(workload(objs)?.spec.replicas).toBe(1);
  });

  test('a replicated workload gets a PDB that keeps all pods but one; a single replica gets none', () => {
    expect(find(synth({ replicas: 3 }), 'PodDisruptionBudget')?.spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'orders', 'app.kubernetes.io/instance': 'orders' } },
    });
    expect(find(synth({ replicas: 1 }), 'PodDisruptionBudget')).toBeUndefined();
  });

  test('annotates the ServiceAccount and the workload object, and never mounts the token', () => {
    const objs = synth({ serviceAccountAnnotations: { 'iam.gke.io/gcp-service-account': 'orders@p.iam.gserviceaccount.com' }, annotations: { 'platform.shop/min-bake-time': '1h' } });
    const sa = find(objs, 'ServiceAccount');
    expect(sa?.metadata.annotations).toEqual({ 'iam.gke.io/gcp-service-account': 'orders@p.iam.gserviceaccount.com' });
    expect(sa?.automountServiceAccountToken).toBe(false);
    expect(workload(objs)?.metadata.annotations).toEqual({ 'platform.shop/min-bake-time': '1h' });
  });

  test('runs the migration as an init container of the same image', () => {
    const spec = workload(synth({ migration: { command: ['/app', 'migrate'] } }))?.spec.template.spec;
    expect(spec.initContainers.map((c: { name: string; image: string; command: string[] }) => [c.name, c.image, c.command])).toEqual([['migrate', workerProps.image, ['/app', 'migrate']]]);
  });

  test('fails if the probe port is not declared', () => {
    expect(() => synth({ probes: { port: 'http' } })).toThrow('orders: probes.port "http" is not one of the ports (metrics); fix: probe a declared port');
  });

  test('fails if the autoscaling maximum is below the replicas', () => {
    expect(() => synth({ replicas: 3, autoscaling: { maxReplicas: 2 } })).toThrow(/autoscaling\.maxReplicas \(2\) is below replicas \(3\)/);
  });
});
