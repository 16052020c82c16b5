import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AppPodTemplate, type AppPodTemplateProps, CONFIG_HASH_ANNOTATION } from '../../../lib/k8s/workloads/pod-template';
import { labels, resources } from './fixtures';

function template(props: Partial<AppPodTemplateProps> = {}, config?: Record<string, string>): AppPodTemplate {
  const chart = Testing.chart();
  return new AppPodTemplate({
    labels,
    image: 'registry.example.com/shop/orders:v1.2.3',
    resources,
    ports: [
      { name: 'http', port: 8080 },
      { name: 'metrics', port: 9090 },
    ],
    probes: { port: 'http' },
    serviceAccount: kplus.ServiceAccount.fromServiceAccountName(chart, 'Sa', 'orders'),
    configMap: config ? new kplus.ConfigMap(chart, 'Config', { metadata: { name: 'orders-config' }, data: config }) : undefined,
    ...props,
  });
}
const pod = (t: AppPodTemplate) => t.spec.spec!;

describe('AppPodTemplate', () => {
  test('runs every container non-root, read-only, without capabilities or privilege escalation, under RuntimeDefault seccomp', () => {
    const spec = pod(template({ migration: { command: ['migrate'] } }));
    const containers = [...spec.containers, ...(spec.initContainers ?? [])];
    expect(containers.map((c) => c.name)).toEqual(['app', 'migrate']);
    for (const c of containers) {
      expect(c.securityContext).toEqual({
        runAsNonRoot: true,
        runAsUser: 65532,
        runAsGroup: 65532,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        privileged: false,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      });
    }
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } });
  });

  test('labels the pods with the app labels, its version and track, and no cdk8s construct hash', () => {
    const t = template({ labels: { ...labels, track: 'canary' } });
    expect(t.spec.metadata?.labels).toEqual({
      'app.kubernetes.io/name': 'orders',
      'app.kubernetes.io/instance': 'orders',
      'app.kubernetes.io/part-of': 'shop',
      'app.kubernetes.io/managed-by': 'platform-synth',
      'app.kubernetes.io/version': 'v1.2.3',
      track: 'canary',
    });
    expect(t.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'orders', 'app.kubernetes.io/instance': 'orders' } });
  });

  test('probes liveness, readiness and startup over HTTP on the named port, with requests and limits from the profile', () => {
    const [app] = pod(template({ probes: { port: 'http', readinessPath: '/ready' } })).containers;
    expect(app.livenessProbe).toEqual({ httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' }, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 });
    expect(app.readinessProbe).toMatchObject({ httpGet: { path: '/ready', port: 8080 }, failureThreshold: 3 });
    expect(app.startupProbe).toMatchObject({ httpGet: { path: '/healthz', port: 8080 }, failureThreshold: 30 });
    expect(app.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
    expect(app.ports).toEqual([
      { name: 'http', containerPort: 8080 },
      { name: 'metrics', containerPort: 9090 },
    ]);
  });

  test('spreads pods across zones by the selector labels, and gives the read-only containers a small writable /tmp', () => {
    const spec = pod(template({ migration: { command: ['migrate'] } }));
    expect(spec.topologySpreadConstraints).toEqual([
      {
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'orders', 'app.kubernetes.io/instance': 'orders' } },
      },
    ]);
    expect(spec.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }]);
    for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) expect(c.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
  });

  test('runs as its ServiceAccount without mounting the token, with config and secrets as environment variables', () => {
    const chart = Testing.chart();
    const spec = pod(template({ secret: kplus.Secret.fromSecretName(chart, 'S', 'orders-secrets') }, { A: '1' }));
    expect(spec.serviceAccountName).toBe('orders');
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.containers[0].envFrom).toEqual([{ configMapRef: { name: 'orders-config' } }, { secretRef: { name: 'orders-secrets' } }]);
  });

  test('puts a hash of the config into the template, so a config change rolls the pods', () => {
    const hash = (config: Record<string, string>) => template({}, config).spec.metadata?.annotations?.[CONFIG_HASH_ANNOTATION];
    expect(hash({ A: '1' })).toMatch(/^[0-9a-f]{16}$/);
    expect(hash({ A: '1', B: '2' })).toBe(hash({ B: '2', A: '1' }));
    expect(hash({ A: '2' })).not.toBe(hash({ A: '1' }));
    expect(template().spec.metadata?.annotations).toBeUndefined();
  });

  test('keeps the given pod annotations beside the config hash', () => {
    const t = template({ annotations: { 'traffic.sidecar.istio.io/excludeOutboundPorts': '5432' } }, { A: '1' });
    expect(Object.keys(t.spec.metadata?.annotations ?? {}).sort()).toEqual([CONFIG_HASH_ANNOTATION, 'traffic.sidecar.istio.io/excludeOutboundPorts']);
  });

  test('fails if the probe port is not declared', () => {
    expect(() => template({ probes: { port: 'grpc' } })).toThrow('orders: probes.port "grpc" is not one of the ports (http, metrics); fix: probe a declared port');
    expect(() => template({ ports: [] })).toThrow('orders: probes.port "http" is not one of the ports (none)');
  });
});
