import { Testing } from 'cdk8s';
import { profiles } from '../../../apps/profiles';
import { CONFIG_HASH_ANNOTATION, Worker, WorkerProps } from '../../../lib/k8s/workloads/worker';

interface Obj {
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec?: Record<string, unknown> & { template?: { metadata: { annotations?: Record<string, string>; labels: Record<string, string> }; spec: PodSpec } };
}
interface Container {
  name: string;
  image: string;
  command?: string[];
  securityContext: Record<string, unknown>;
  resources: unknown;
  livenessProbe?: unknown;
  readinessProbe?: unknown;
  startupProbe?: unknown;
}
interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  securityContext: Record<string, unknown>;
  topologySpreadConstraints: unknown[];
}

const base: WorkerProps = {
  name: 'orders',
  labels: { app: 'orders', instance: 'orders', partOf: 'shop', version: 'v1.2.3' },
  image: 'europe-west1-docker.pkg.dev/p/r/orders:v1.2.3',
  replicas: 2,
  resources: profiles.standard,
  ports: [{ name: 'metrics', port: 9090 }],
  probes: { port: 'metrics' },
  configMapName: 'orders-config',
};

function synth(props: Partial<WorkerProps> = {}): Obj[] {
  const chart = Testing.chart();
  new Worker(chart, 'W', { ...base, ...props });
  return Testing.synth(chart) as Obj[];
}
const find = (objs: Obj[], kind: string) => objs.find((o) => o.kind === kind);
const pod = (objs: Obj[]) => find(objs, 'Deployment')?.spec?.template?.spec as PodSpec;

describe('Worker', () => {
  test('runs every container non-root, read-only, without capabilities or privilege escalation, under RuntimeDefault seccomp', () => {
    const spec = pod(synth({ migration: { command: ['migrate'] } }));
    for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
      expect(c.securityContext).toMatchObject({
        runAsNonRoot: true,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        privileged: false,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      });
    }
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
  });

  test('has liveness, readiness and startup probes on the named port, and requests and limits from the profile', () => {
    const app = pod(synth()).containers[0];
    expect(app.livenessProbe).toMatchObject({ httpGet: { path: '/healthz', port: 9090 } });
    expect(app.readinessProbe).toMatchObject({ httpGet: { path: '/readyz', port: 9090 } });
    expect(app.startupProbe).toMatchObject({ httpGet: { path: '/healthz', port: 9090 }, failureThreshold: 30 });
    expect(app.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
  });

  test('spreads pods across zones by the app labels', () => {
    expect(pod(synth()).topologySpreadConstraints).toEqual([
      {
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'orders', 'app.kubernetes.io/instance': 'orders' } },
      },
    ]);
  });

  test('has no Service', () => {
    expect(find(synth(), 'Service')).toBeUndefined();
  });

  test('runs the migration as an init container of the same image', () => {
    const spec = pod(synth({ migration: { command: ['/app', 'migrate'] } }));
    expect(spec.initContainers?.map((c) => [c.name, c.image, c.command])).toEqual([['migrate', base.image, ['/app', 'migrate']]]);
  });

  test('puts a hash of the config into the pod template, so a config change rolls the pods', () => {
    const hash = (config: Record<string, string>) => find(synth({ config }), 'Deployment')?.spec?.template?.metadata.annotations?.[CONFIG_HASH_ANNOTATION];
    expect(hash({ A: '1' })).toMatch(/^[0-9a-f]{16}$/);
    expect(hash({ A: '1' })).toBe(hash({ A: '1' }));
    expect(hash({ A: '2' })).not.toBe(hash({ A: '1' }));
  });

  test('scales with an HPA on CPU and memory from the replica minimum, leaving replicas to it', () => {
    const objs = synth({ replicas: 3, autoscaling: { maxReplicas: 9 } });
    expect(find(objs, 'HorizontalPodAutoscaler')?.spec).toMatchObject({
      minReplicas: 3,
      maxReplicas: 9,
      scaleTargetRef: { kind: 'Deployment', name: 'orders' },
      metrics: [
        { resource: { name: 'cpu', target: { averageUtilization: 70 } } },
        { resource: { name: 'memory', target: { averageUtilization: 80 } } },
      ],
    });
    expect(find(objs, 'Deployment')?.spec?.replicas).toBeUndefined();
  });

  test('with no room to scale there is no HPA and the replicas are fixed', () => {
    const objs = synth({ replicas: 1, autoscaling: { maxReplicas: 1 } });
    expect(find(objs, 'HorizontalPodAutoscaler')).toBeUndefined();
    expect(find(objs, 'Deployment')?.spec?.replicas).toBe(1);
  });

  test('a replicated workload gets a PDB that keeps all pods but one; a single replica gets none', () => {
    expect(find(synth({ replicas: 3 }), 'PodDisruptionBudget')?.spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'orders', 'app.kubernetes.io/instance': 'orders' } },
    });
    expect(find(synth({ replicas: 1 }), 'PodDisruptionBudget')).toBeUndefined();
  });

  test('annotates the ServiceAccount, and never mounts its token', () => {
    const sa = find(synth({ serviceAccountAnnotations: { 'iam.gke.io/gcp-service-account': 'orders@p.iam.gserviceaccount.com' } }), 'ServiceAccount');
    expect(sa?.metadata.annotations).toEqual({ 'iam.gke.io/gcp-service-account': 'orders@p.iam.gserviceaccount.com' });
    expect((sa as unknown as { automountServiceAccountToken: boolean }).automountServiceAccountToken).toBe(false);
  });

  test('fails if the probe port is not declared', () => {
    expect(() => synth({ probes: { port: 'http' } })).toThrow('orders: probes.port "http" is not one of the ports (metrics); fix: probe a declared port');
  });

  test('fails if the autoscaling maximum is below the replicas', () => {
    expect(() => synth({ replicas: 3, autoscaling: { maxReplicas: 2 } })).toThrow(/autoscaling\.maxReplicas \(2\) is below replicas \(3\)/);
  });
});
