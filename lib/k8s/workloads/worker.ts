import { createHash } from 'node:crypto';
import { ApiObject, ApiObjectMetadata, App, Chart, Duration, JsonPatch, Lazy, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IntOrString, KubePodDisruptionBudget } from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { ResourceProfile } from '../../model/resources';
import { RolloutStrategy } from '../delivery/rollout-strategy';
import { AppLabels, appLabels, podLabels, selectorLabels } from '../labels';

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

/** Horizontal autoscaling between the workload's replicas and a maximum. */
export interface AutoscalingOptions {
  readonly maxReplicas: number;
  /** @default 70 */
  readonly cpuUtilization?: number;
  /** @default 80 */
  readonly memoryUtilization?: number;
}

/** A schema migration run before the app starts, in the app's own image. */
export interface MigrationOptions {
  readonly command: readonly string[];
}

/** Props of {@link Worker}. */
export interface WorkerProps {
  /** The name of every object. */
  readonly name: string;
  /** The app's labels; `track` ones go on the pods only. */
  readonly labels: AppLabels;
  /** The full image reference: a release tag, and the digest when known. */
  readonly image: string;
  /** Replicas, and the autoscaler's minimum when there is one. */
  readonly replicas: number;
  readonly resources: ResourceProfile;
  /** @default - no ports */
  readonly ports?: readonly WorkloadPort[];
  readonly probes: HttpProbes;
  /** @default - the image's entrypoint arguments */
  readonly args?: readonly string[];
  /**
   * Plain settings given as environment variables through a ConfigMap. A hash of them goes into the
   * pod template, so a change rolls the pods.
   * @default - none: no ConfigMap
   */
  readonly config?: Readonly<Record<string, string>>;
  /** The name of the ConfigMap holding `config`. */
  readonly configMapName: string;
  /**
   * A Secret (written by External Secrets) given as environment variables.
   * @default - none
   */
  readonly secretName?: string;
  /** @default - no migration */
  readonly migration?: MigrationOptions;
  /**
   * @default - a fixed replica count
   */
  readonly autoscaling?: AutoscalingOptions;
  /**
   * Annotations of the ServiceAccount, such as the Workload Identity binding.
   * @default - none
   */
  readonly serviceAccountAnnotations?: Readonly<Record<string, string>>;
  /**
   * Release the workload as an Argo Rollout with this strategy: the same pod template, replaced
   * step by step under analysis.
   * @default - a Deployment with a rolling update
   */
  readonly rollout?: RolloutStrategy;
  /**
   * Annotations of the pods, such as the ports an Istio sidecar leaves alone.
   * @default - none
   */
  readonly podAnnotations?: Readonly<Record<string, string>>;
  /**
   * Annotations of the workload object, such as a candidate's bake time.
   * @default - none
   */
  readonly annotations?: Readonly<Record<string, string>>;
}

const RUN_AS = 65532;
export const CONFIG_HASH_ANNOTATION = 'platform.shop/config-hash';

const ROLLOUT_API_VERSION = 'argoproj.io/v1alpha1';

/**
 * An app without a Service: a Deployment (or Argo Rollout) with its ServiceAccount and ConfigMap, and, when it scales,
 * a HorizontalPodAutoscaler and a PodDisruptionBudget. Containers run as non-root with a read-only
 * root filesystem, no capabilities, the RuntimeDefault seccomp profile and no privilege escalation,
 * with liveness, readiness and startup probes and pods spread across zones.
 */
export class Worker extends Construct {
  /** The workload, or the template of its Rollout when it has one. */
  public readonly deployment: kplus.Deployment;
  /** The Argo Rollout that replaces the Deployment, when the workload has a rollout strategy. */
  public readonly rollout?: ApiObject;
  public readonly serviceAccount: kplus.ServiceAccount;
  public readonly configMap?: kplus.ConfigMap;
  public readonly autoscaler?: kplus.HorizontalPodAutoscaler;
  public readonly disruptionBudget?: KubePodDisruptionBudget;
  protected readonly props: WorkerProps;

  constructor(scope: Construct, id: string, props: WorkerProps) {
    super(scope, id);
    this.props = props;
    const ports = props.ports ?? [];
    const probePort = ports.find((p) => p.name === props.probes.port);
    if (probePort === undefined) {
      throw new Error(`${props.name}: probes.port "${props.probes.port}" is not one of the ports (${ports.map((p) => p.name).join(', ') || 'none'}); fix: probe a declared port`);
    }
    if (props.autoscaling && props.autoscaling.maxReplicas < props.replicas) {
      throw new Error(`${props.name}: autoscaling.maxReplicas (${props.autoscaling.maxReplicas}) is below replicas (${props.replicas}); fix: raise maxReplicas`);
    }

    this.serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', {
      metadata: this.metadata(props.name, props.serviceAccountAnnotations),
      automountToken: false,
    });

    const config = props.config ?? {};
    if (Object.keys(config).length > 0) {
      this.configMap = new kplus.ConfigMap(this, 'Config', { metadata: this.metadata(props.configMapName), data: { ...config } });
    }

    const envFrom = [
      ...(this.configMap ? [kplus.Env.fromConfigMap(this.configMap)] : []),
      ...(props.secretName ? [kplus.Env.fromSecret(kplus.Secret.fromSecretName(this, 'Secret', props.secretName))] : []),
    ];
    const tmp = kplus.Volume.fromEmptyDir(this, 'Tmp', 'tmp', { sizeLimit: Size.mebibytes(64) });
    const container = (name: string, command?: readonly string[]): kplus.ContainerProps => ({
      name,
      image: props.image,
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      command: command ? [...command] : undefined,
      envFrom,
      resources: {
        cpu: { request: props.resources.cpu.request, limit: props.resources.cpu.limit },
        memory: { request: props.resources.memory.request, limit: props.resources.memory.limit },
      },
      securityContext: {
        ensureNonRoot: true,
        user: RUN_AS,
        group: RUN_AS,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        privileged: false,
        capabilities: { drop: [kplus.Capability.ALL] },
        seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
      },
      // Read-only root filesystems still need a writable /tmp.
      volumeMounts: [{ path: '/tmp', volume: tmp }],
    });
    const probe = (path: string, failureThreshold: number) =>
      kplus.Probe.fromHttpGet(path, {
        port: probePort.port,
        periodSeconds: Duration.seconds(10),
        timeoutSeconds: Duration.seconds(2),
        failureThreshold,
      });
    const liveness = props.probes.livenessPath ?? '/healthz';

    props.rollout?.validate(props.name);
    // A Rollout's template is built as a Deployment in a chart of its own, which is never rendered.
    const templateScope = props.rollout
      ? new Chart(new App(), 'RolloutTemplate', { namespace: Chart.of(this).namespace, disableResourceNameHashes: true })
      : this;
    this.deployment = new kplus.Deployment(templateScope, 'Deployment', {
      metadata: this.metadata(props.name, props.annotations),
      select: false,
      podMetadata: { labels: podLabels(props.labels) },
      // An autoscaled Deployment leaves `replicas` to the autoscaler.
      replicas: this.scales(props) ? undefined : props.replicas,
      serviceAccount: this.serviceAccount,
      automountServiceAccountToken: false,
      securityContext: { ensureNonRoot: true, user: RUN_AS, group: RUN_AS, fsGroup: RUN_AS },
      terminationGracePeriod: Duration.seconds(30),
      initContainers: props.migration ? [container('migrate', props.migration.command)] : undefined,
      containers: [
        {
          ...container('app'),
          args: props.args ? [...props.args] : undefined,
          ports: ports.map((p) => ({ name: p.name, number: p.port })),
          liveness: probe(liveness, 3),
          readiness: probe(props.probes.readinessPath ?? '/readyz', 3),
          // Up to five minutes to start before liveness takes over.
          startup: probe(liveness, 30),
        },
      ],
    });
    this.deployment.select(kplus.LabelSelector.of({ labels: selectorLabels(props.labels) }));
    if (this.configMap) {
      this.deployment.podMetadata.addAnnotation(CONFIG_HASH_ANNOTATION, hashOf(config));
    }
    for (const [key, value] of Object.entries(props.podAnnotations ?? {})) this.deployment.podMetadata.addAnnotation(key, value);
    const deployment = ApiObject.of(this.deployment);
    // cdk8s-plus labels pods with their construct address, a hash that differs per environment;
    // selectors here use the app's labels, so that label is only noise in reviews.
    deployment.addJsonPatch(JsonPatch.remove('/spec/template/metadata/labels/cdk8s.io~1metadata.addr'));
    deployment.addJsonPatch(
      JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }),
      JsonPatch.add('/spec/template/spec/topologySpreadConstraints', [
        {
          maxSkew: 1,
          topologyKey: 'topology.kubernetes.io/zone',
          whenUnsatisfiable: 'ScheduleAnyway',
          labelSelector: { matchLabels: selectorLabels(props.labels) },
        },
      ]),
    );

    if (props.rollout) {
      // A Rollout is a Deployment with another strategy: the same spec, the same pod template.
      const strategy = props.rollout.toArgo();
      this.rollout = new ApiObject(this, 'Rollout', {
        apiVersion: ROLLOUT_API_VERSION,
        kind: 'Rollout',
        metadata: this.metadata(props.name, props.annotations),
        spec: Lazy.any({ produce: () => ({ ...(deployment.toJson() as { spec: object }).spec, strategy }) }),
      });
    }

    if (props.autoscaling && this.scales(props)) {
      this.autoscaler = new kplus.HorizontalPodAutoscaler(this, 'Autoscaler', {
        metadata: this.metadata(props.name),
        target: this.deployment,
        minReplicas: props.replicas,
        maxReplicas: props.autoscaling.maxReplicas,
        metrics: [
          kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(props.autoscaling.cpuUtilization ?? 70)),
          kplus.Metric.resourceMemory(kplus.MetricTarget.averageUtilization(props.autoscaling.memoryUtilization ?? 80)),
        ],
      });
      if (props.rollout) {
        ApiObject.of(this.autoscaler).addJsonPatch(
          JsonPatch.replace('/spec/scaleTargetRef', { apiVersion: ROLLOUT_API_VERSION, kind: 'Rollout', name: props.name }),
        );
      }
    }

    // With one replica a budget either blocks every eviction or protects nothing, so only
    // replicated workloads get one: it always keeps all pods but one.
    if (props.replicas >= 2) {
      this.disruptionBudget = new KubePodDisruptionBudget(this, 'DisruptionBudget', {
        metadata: this.metadata(props.name),
        spec: { maxUnavailable: IntOrString.fromNumber(1), selector: { matchLabels: selectorLabels(props.labels) } },
      });
    }
  }

  private scales(props: WorkerProps): boolean {
    return props.autoscaling !== undefined && props.autoscaling.maxReplicas > props.replicas;
  }

  protected metadata(name: string, annotations?: Readonly<Record<string, string>>): ApiObjectMetadata {
    return { name, labels: appLabels(this.props.labels), annotations: annotations ? { ...annotations } : undefined };
  }
}

/** A short, stable digest of a config map's data. */
function hashOf(data: Readonly<Record<string, string>>): string {
  const canonical = JSON.stringify(Object.keys(data).sort().map((k) => [k, data[k]]));
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}
