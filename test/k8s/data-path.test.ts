import { App } from 'cdk8s';
import { AppChart } from '../../lib/k8s/app-chart';
import { type AppInstance } from '../../lib/model/app-instance';
import { fixturePlatform } from '../fixtures/shop/platform';

type Json = Record<string, unknown>;
interface Manifest { kind: string; metadata: { name: string; annotations?: Record<string, string> }; spec?: Json; data?: Record<string, string> }
interface Container { name: string; args?: string[]; restartPolicy?: string; envFrom?: Json[]; startupProbe?: { exec?: { command: string[] } }; securityContext?: Json }

const platform = fixturePlatform();

function chartOf(envName: string, app: string): Map<string, Manifest> {
  const env = platform.environment(envName);
  const instance: AppInstance | undefined = env && platform.instances(env).find((i) => i.app.name === app);
  if (!instance) throw new Error(`no ${app} in ${envName}`);
  const chart = new AppChart(new App(), 'test', { instance, platform });
  return new Map((chart.toJson() as Manifest[]).map((o) => [`${o.kind}/${o.metadata.name}`, o]));
}
const pod = (m: Manifest | undefined): { initContainers: Container[]; containers: Container[] } =>
  (m?.spec?.template as { spec: { initContainers: Container[]; containers: Container[] } }).spec;
const egress = (m: Manifest | undefined): [string, number[]][] =>
  (m?.spec?.egress as { to: { ipBlock?: { cidr: string } }[]; ports: { port: number }[] }[])
    .filter((r) => r.to[0].ipBlock !== undefined)
    .map((r) => [r.to[0].ipBlock?.cidr ?? '', r.ports.map((p) => p.port)]);

describe('the data path in the manifests', () => {
  const dev = chartOf('dev', 'inventory-api');
  const canary = chartOf('canary', 'inventory-api');

  test('the proxy is a native sidecar before migrate, connecting privately as the pod\'s IAM identity', () => {
    const { initContainers } = pod(dev.get('Deployment/inventory-api'));
    expect(initContainers.map((c) => [c.name, c.restartPolicy])).toEqual([['cloud-sql-proxy', 'Always'], ['migrate', undefined]]);
    const proxy = initContainers[0];
    expect(proxy.args).toEqual(expect.arrayContaining(['--private-ip', '--auto-iam-authn', '--address=127.0.0.1', '--port=5432', '--health-check']));
    expect(proxy.args?.at(-1)).toBe('shop-nonprod:europe-west1:inventory-api-dev');
    expect(proxy.startupProbe?.exec?.command.slice(0, 2)).toEqual(['/cloud-sql-proxy', 'wait']);
    expect(proxy.securityContext).toMatchObject({ runAsUser: 1337, runAsNonRoot: true, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    // Both the migration and the app read the data settings.
    for (const c of [initContainers[1], pod(dev.get('Deployment/inventory-api')).containers[0]]) {
      expect(c.envFrom).toContainEqual({ configMapRef: { name: 'inventory-api-config' } });
    }
  });

  test('the canary connects to production\'s instance and Redis, as its own user', () => {
    const proxy = pod(canary.get('Rollout/inventory-api-canary')).initContainers[0];
    expect(proxy.args?.at(-1)).toBe('shop-prod:europe-west1:inventory-api-prod');
    expect(canary.get('ConfigMap/inventory-api-canary-config')?.data).toMatchObject({
      DATABASE_USER: 'inventory-api-canary@shop-prod.iam',
      REDIS_HOST: 'inventory-api-prod.redis.shop.internal',
    });
  });

  test('egress opens 3307 and 6379 to the private services range, 443 to private.googleapis.com, and the metadata server; not 5432', () => {
    expect(egress(dev.get('NetworkPolicy/inventory-api'))).toEqual([
      ['10.14.0.0/20', [3307, 6379]],
      ['199.36.153.8/30', [443]],
      ['169.254.169.252/32', [988]],
      ['169.254.169.254/32', [80]],
    ]);
    // An app without data gets none of it.
    expect(egress(chartOf('dev', 'web').get('NetworkPolicy/web')).map(([cidr]) => cidr)).toEqual([]);
  });
});
