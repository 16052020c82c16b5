import * as kplus from 'cdk8s-plus-28';
import { IntOrString, KubePodDisruptionBudget } from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { type ResourceProfile } from '../../model/resources';
import { type RolloutStrategy } from '../delivery/rollout-strategy';
import { type AppLabels, selectorLabels } from '../labels';
import { appMetadata } from './app-metadata';
import { type CloudSqlProxyOptions } from './cloud-sql-proxy';
import { AppPodTemplate, type HttpProbes, type MigrationOptions, type WorkloadPort } from './pod-template';
import { WorkloadKind } from './workload-kind';
import { type WorkloadObject } from './workload-object';

/** Horizontal autoscaling between the workload's replicas and a maximum. */
export interface AutoscalingOptions {
  readonly maxReplicas: number;
  /** @default 70 */
  readonly cpuUtilization?: number;
  /** @default 80 */
  readonly memoryUtilization?: number;
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
   * The Cloud SQL Auth Proxy sidecar the app and its migration reach the database through.
   * @default - no proxy
   */
  readonly databaseProxy?: CloudSqlProxyOptions;
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

/**
 * An app's pods without a Service: its ServiceAccount and ConfigMap, one {@link AppPodTemplate}
 * rendered by a {@link WorkloadKind} as a Deployment or an Argo Rollout and, when it scales, a
 * HorizontalPodAutoscaler that targets that object and a PodDisruptionBudget.
 */
export class Worker extends Construct {
  /** The name of the workload and of its objects. */
  public readonly name: string;
  public readonly labels: AppLabels;
  public readonly ports: readonly WorkloadPort[];
  public readonly template: AppPodTemplate;
  /** The Deployment, or the Rollout when the workload has a rollout strategy. */
  public readonly workload: WorkloadObject;
  public readonly serviceAccount: kplus.ServiceAccount;
  public readonly configMap?: kplus.ConfigMap;
  public readonly autoscaler?: kplus.HorizontalPodAutoscaler;
  public readonly disruptionBudget?: KubePodDisruptionBudget;

  constructor(scope: Construct, id: string, props: WorkerProps) {
    super(scope, id);
    this.name = props.name;
    this.labels = props.labels;
    this.ports = props.ports ?? [];
    const autoscaling = props.autoscaling;
    if (autoscaling && autoscaling.maxReplicas < props.replicas) {
      throw new Error(`${props.name}: autoscaling.maxReplicas (${autoscaling.maxReplicas}) is below replicas (${props.replicas}); fix: raise maxReplicas`);
    }
    // With no room above the replicas an autoscaler would never act, so there is none.
    const scaling = autoscaling && autoscaling.maxReplicas > props.replicas ? autoscaling : undefined;

    this.serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', {
      metadata: appMetadata(props.name, props.labels, props.serviceAccountAnnotations),
      automountToken: false,
    });
    const config = props.config ?? {};
    if (Object.keys(config).length > 0) {
      this.configMap = new kplus.ConfigMap(this, 'Config', { metadata: appMetadata(props.configMapName, props.labels), data: { ...config } });
    }

    this.template = new AppPodTemplate({
      labels: props.labels,
      image: props.image,
      resources: props.resources,
      ports: this.ports,
      probes: props.probes,
      args: props.args,
      serviceAccount: this.serviceAccount,
      configMap: this.configMap,
      secret: props.secretName ? kplus.Secret.fromSecretName(this, 'Secret', props.secretName) : undefined,
      migration: props.migration,
      databaseProxy: props.databaseProxy,
      annotations: props.podAnnotations,
    });
    const kind = props.rollout ? WorkloadKind.rollout(props.rollout) : WorkloadKind.deployment();
    this.workload = kind.render(this, {
      metadata: appMetadata(props.name, props.labels, props.annotations),
      template: this.template,
      // An autoscaled workload leaves `replicas` to the autoscaler.
      replicas: scaling ? undefined : props.replicas,
    });

    if (scaling) {
      this.autoscaler = new kplus.HorizontalPodAutoscaler(this, 'Autoscaler', {
        metadata: appMetadata(props.name, props.labels),
        target: this.workload,
        minReplicas: props.replicas,
        maxReplicas: scaling.maxReplicas,
        metrics: [
          kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(scaling.cpuUtilization ?? 70)),
          kplus.Metric.resourceMemory(kplus.MetricTarget.averageUtilization(scaling.memoryUtilization ?? 80)),
        ],
      });
    }

    // With one replica a budget either blocks every eviction or protects nothing, so only
    // replicated workloads get one: it always keeps all pods but one.
    if (props.replicas >= 2) {
      this.disruptionBudget = new KubePodDisruptionBudget(this, 'DisruptionBudget', {
        metadata: appMetadata(props.name, props.labels),
        spec: { maxUnavailable: IntOrString.fromNumber(1), selector: { matchLabels: selectorLabels(props.labels) } },
      });
    }
  }
}
