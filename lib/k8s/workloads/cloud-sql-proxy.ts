import { Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import type { IContainer } from 'kubernetes-models/v1/Container';
import { CLOUD_SQL_PROXY } from '../../model/cloud-sql-proxy';
import { ISTIO_PROXY_UID } from '../../model/mesh-sidecar';
import { type ResourceProfile } from '../../model/resources';

/** Props of {@link cloudSqlProxyContainer}. */
export interface CloudSqlProxyOptions {
  /** `PROJECT:REGION:INSTANCE`, from the model's `DatabaseRef`. */
  readonly connectionName: string;
  /**
   * Its CPU and memory use grow with connections and traffic; a small app needs little.
   * @default {@link CLOUD_SQL_PROXY_RESOURCES}
   */
  readonly resources?: ResourceProfile;
}

/** What the proxy requests and may use by default. */
export const CLOUD_SQL_PROXY_RESOURCES: ResourceProfile = {
  name: 'cloud-sql-proxy',
  cpu: { request: Cpu.millis(50), limit: Cpu.millis(500) },
  memory: { request: Size.mebibytes(64), limit: Size.mebibytes(256) },
};

const STARTUP_PERIOD = Duration.seconds(2);
/** Up to two minutes to fetch its certificate before the kubelet restarts it. */
const STARTUP_FAILURES = 60;

/**
 * The Cloud SQL Auth Proxy as a native sidecar: an init container with `restartPolicy: Always`
 * runs for the pod's life, and the kubelet starts the next init container (`migrate`) only once its
 * startup probe has passed. It connects over private IP and logs in as the pod's Workload Identity
 * account (automatic IAM database authentication), so no password exists. It listens on loopback.
 * The startup probe runs the proxy's own `wait` command against its `/startup` endpoint on
 * loopback: no health port is open on the pod IP, and neither Istio's inbound capture nor its HTTP
 * probe rewriting (which needs the Istio sidecar running) stands between the kubelet and the probe.
 * @see https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/
 * @see https://github.com/GoogleCloudPlatform/cloud-sql-proxy/blob/main/examples/k8s-health-check/README.md
 * @see https://github.com/GoogleCloudPlatform/cloud-sql-proxy/blob/main/docs/cmd/cloud-sql-proxy_wait.md
 */
export function cloudSqlProxyContainer(options: CloudSqlProxyOptions): IContainer {
  const r = options.resources ?? CLOUD_SQL_PROXY_RESOURCES;
  const http = [`--http-address=${CLOUD_SQL_PROXY.host}`, `--http-port=${CLOUD_SQL_PROXY.healthPort}`];
  return {
    name: CLOUD_SQL_PROXY.containerName,
    image: CLOUD_SQL_PROXY.image,
    imagePullPolicy: 'IfNotPresent',
    restartPolicy: 'Always',
    args: [
      '--private-ip',
      '--auto-iam-authn',
      `--address=${CLOUD_SQL_PROXY.host}`,
      `--port=${CLOUD_SQL_PROXY.port}`,
      '--health-check',
      ...http,
      '--structured-logs',
      '--exit-zero-on-sigterm',
      options.connectionName,
    ],
    resources: {
      limits: { cpu: r.cpu.limit.amount, memory: `${r.memory.limit.toMebibytes()}Mi` },
      requests: { cpu: r.cpu.request.amount, memory: `${r.memory.request.toMebibytes()}Mi` },
    },
    startupProbe: {
      exec: { command: ['/cloud-sql-proxy', 'wait', ...http, `--max=${STARTUP_PERIOD.toSeconds()}s`] },
      periodSeconds: STARTUP_PERIOD.toSeconds(),
      timeoutSeconds: STARTUP_PERIOD.toSeconds() + 1,
      failureThreshold: STARTUP_FAILURES,
    },
    securityContext: {
      runAsNonRoot: true,
      // As Istio's proxy UID, its connections (the instance on 3307, the Cloud SQL Admin API, the
      // metadata server) stay out of the mesh even before the sidecar runs; the app's are captured.
      runAsUser: ISTIO_PROXY_UID,
      runAsGroup: ISTIO_PROXY_UID,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
  };
}
