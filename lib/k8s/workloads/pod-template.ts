import type { ILabelSelector } from '@kubernetes-models/apimachinery/apis/meta/v1/LabelSelector';
import { Duration, Size } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-28';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { ISeccompProfile } from 'kubernetes-models/v1/SeccompProfile';
import { sha256 } from '../../engine/hash';
import { type ResourceProfile } from '../../model/resources';
import { type AppLabels, podLabels, selectorLabels } from '../labels';
import { cloudSqlProxyContainer, type CloudSqlProxyOptions } from './cloud-sql-proxy';

/** A named container port. */
export interface WorkloadPort {
  readonly name: string;
  readonly port: number;
}

/** HTTP health endpoints the kubelet probes. */
export interface HttpProbes {
  /** The name of the port the probes call. */
  readonly port: string;
  /**
   * @default '/healthz'
   */
  readonly livenessPath?: string;
  /**
   * @default '/readyz'
   */
  readonly readinessPath?: string;
}

/** A schema migration run before the app starts, in the app's own image. */
export interface MigrationOptions {
  readonly command: readonly string[];
}

/** Props of {@link AppPodTemplate}. */
export interface AppPodTemplateProps {
  /** The app's labels; `track` and the version go on the pods, the selector uses name and instance. */
  readonly labels: AppLabels;
  /** The full image reference: a release tag, and the digest when known. */
  readonly image: string;
  readonly resources: ResourceProfile;
  /** One of them must be the probes' port. */
  readonly ports: readonly WorkloadPort[];
  readonly probes: HttpProbes;
  /** @default - the image's entrypoint arguments */
  readonly args?: readonly string[];
  /** The identity the pods run as; its token is never mounted. */
  readonly serviceAccount: kplus.IServiceAccount;
  /**
   * Plain settings given as environment variables. A hash of its data goes into the template, so a
   * change rolls the pods.
   * @default - none
   */
  readonly configMap?: kplus.ConfigMap;
  /**
   * A Secret given as environment variables.
   * @default - none
   */
  readonly secret?: kplus.ISecret;
  /** @default - no migration */
  readonly migration?: MigrationOptions;
  /**
   * Runs the Cloud SQL Auth Proxy as a native sidecar, before `migrate`, so the migration and the
   * app reach the database on loopback.
   * @default - no proxy
   */
  readonly databaseProxy?: CloudSqlProxyOptions;
  /** @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
}

export const CONFIG_HASH_ANNOTATION = 'platform.shop/config-hash';

const RUN_AS = 65532;
const RUNTIME_DEFAULT: ISeccompProfile = { type: 'RuntimeDefault' };
const TMP_SIZE = Size.mebibytes(64);
const PROBE_PERIOD = Duration.seconds(10);
const PROBE_TIMEOUT = Duration.seconds(2);
const TERMINATION_GRACE = Duration.seconds(30);

/**
 * The pods of an app, built once and rendered by either workload kind. Containers run as non-root
 * with a read-only root filesystem, no capabilities, the RuntimeDefault seccomp profile and no
 * privilege escalation, with liveness, readiness and startup probes and pods spread across zones.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */
export class AppPodTemplate {
  /** Selects the pods: the app's name and instance, which never change for the life of a workload. */
  public readonly selector: ILabelSelector;
  /** `spec.template` of a Deployment or a Rollout. */
  public readonly spec: IPodTemplateSpec;

  constructor(props: AppPodTemplateProps) {
    const probePort = props.ports.find((p) => p.name === props.probes.port);
    if (probePort === undefined) {
      const declared = props.ports.map((p) => p.name).join(', ') || 'none';
      throw new Error(`${props.labels.instance}: probes.port "${props.probes.port}" is not one of the ports (${declared}); fix: probe a declared port`);
    }
    this.selector = { matchLabels: selectorLabels(props.labels) };

    const envFrom = [
      ...(props.configMap ? [{ configMapRef: { name: props.configMap.name } }] : []),
      ...(props.secret ? [{ secretRef: { name: props.secret.name } }] : []),
    ];
    const r = props.resources;
    const container = (name: string): IContainer => ({
      name,
      image: props.image,
      imagePullPolicy: 'IfNotPresent',
      envFrom: envFrom.length > 0 ? envFrom : undefined,
      resources: {
        limits: { cpu: r.cpu.limit.amount, memory: mebibytes(r.memory.limit) },
        requests: { cpu: r.cpu.request.amount, memory: mebibytes(r.memory.request) },
      },
      securityContext: {
        runAsNonRoot: true,
        runAsUser: RUN_AS,
        runAsGroup: RUN_AS,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        privileged: false,
        capabilities: { drop: ['ALL'] },
        seccompProfile: RUNTIME_DEFAULT,
      },
      // Read-only root filesystems still need a writable /tmp.
      volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
    });
    const probe = (path: string, failureThreshold: number): IProbe => ({
      httpGet: { path, port: probePort.port, scheme: 'HTTP' },
      periodSeconds: PROBE_PERIOD.toSeconds(),
      timeoutSeconds: PROBE_TIMEOUT.toSeconds(),
      failureThreshold,
    });
    const liveness = props.probes.livenessPath ?? '/healthz';

    // Init containers start in order: the proxy's startup probe passes before `migrate` starts.
    const initContainers: IContainer[] = [
      ...(props.databaseProxy ? [cloudSqlProxyContainer(props.databaseProxy)] : []),
      ...(props.migration ? [{ ...container('migrate'), command: [...props.migration.command] }] : []),
    ];
    const annotations: Record<string, string> = {
      ...(props.configMap ? { [CONFIG_HASH_ANNOTATION]: hashOf(props.configMap.data) } : {}),
      ...props.annotations,
    };
    this.spec = {
      metadata: { labels: podLabels(props.labels), annotations: Object.keys(annotations).length > 0 ? annotations : undefined },
      spec: {
        serviceAccountName: props.serviceAccount.name,
        automountServiceAccountToken: false,
        securityContext: {
          runAsNonRoot: true,
          runAsUser: RUN_AS,
          runAsGroup: RUN_AS,
          fsGroup: RUN_AS,
          fsGroupChangePolicy: 'Always',
          seccompProfile: RUNTIME_DEFAULT,
        },
        terminationGracePeriodSeconds: TERMINATION_GRACE.toSeconds(),
        initContainers: initContainers.length > 0 ? initContainers : undefined,
        containers: [
          {
            ...container('app'),
            args: props.args ? [...props.args] : undefined,
            ports: props.ports.map((p) => ({ name: p.name, containerPort: p.port })),
            livenessProbe: probe(liveness, 3),
            readinessProbe: probe(props.probes.readinessPath ?? '/readyz', 3),
            // Up to five minutes to start before liveness takes over.
            startupProbe: probe(liveness, 30),
          },
        ],
        volumes: [{ name: 'tmp', emptyDir: { sizeLimit: mebibytes(TMP_SIZE) } }],
        topologySpreadConstraints: [
          {
            maxSkew: 1,
            topologyKey: 'topology.kubernetes.io/zone',
            whenUnsatisfiable: 'ScheduleAnyway',
            labelSelector: { matchLabels: selectorLabels(props.labels) },
          },
        ],
        // The Kubernetes defaults, stated so that the manifest shows what runs.
        dnsPolicy: 'ClusterFirst',
        hostNetwork: false,
        restartPolicy: 'Always',
        setHostnameAsFQDN: false,
      },
    };
  }
}

function mebibytes(size: Size): string {
  return `${size.toMebibytes()}Mi`;
}

/** A short, stable digest of a config map's data. */
function hashOf(data: Readonly<Record<string, string>>): string {
  return sha256(JSON.stringify(Object.keys(data).sort().map((k) => [k, data[k]]))).slice(0, 16);
}
