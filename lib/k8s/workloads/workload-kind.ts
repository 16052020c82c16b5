import type { IRollout } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout';
import { type Construct } from 'constructs';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { ITopologySpreadConstraint } from 'kubernetes-models/v1/TopologySpreadConstraint';
import { type RolloutStrategy } from '../delivery/rollout-strategy';
import { type AppObjectMetadata } from './app-metadata';
import { type AppPodTemplate } from './pod-template';
import { WorkloadObject } from './workload-object';

/** What every kind of workload is made of. */
export interface WorkloadSpec {
  /** The object's name, labels and annotations. */
  readonly metadata: AppObjectMetadata;
  readonly template: AppPodTemplate;
  /** @default - none: an autoscaler sets the count */
  readonly replicas?: number;
}

/**
 * The kind of object that runs a pod template, and how it replaces pods: a Deployment with a
 * rolling update, or an Argo Rollout with a {@link RolloutStrategy}. Both render the same template.
 */
export abstract class WorkloadKind {
  /** An apps/v1 Deployment with Kubernetes' default rolling update. */
  public static deployment(): WorkloadKind {
    return new DeploymentKind();
  }

  /** An Argo Rollout: a Deployment with another strategy, the same spec and the same pod template. */
  public static rollout(strategy: RolloutStrategy): WorkloadKind {
    return new RolloutKind(strategy);
  }

  /** Makes the workload object in `scope`; fails with a one-line message when the kind cannot work. */
  public abstract render(scope: Construct, spec: WorkloadSpec): WorkloadObject;
}

/** The part of the spec a Deployment and a Rollout share. */
function commonSpec(spec: WorkloadSpec) {
  return {
    // Kubernetes' defaults, stated so that the manifest shows them.
    minReadySeconds: 0,
    progressDeadlineSeconds: 600,
    replicas: spec.replicas,
    selector: spec.template.selector,
    template: spec.template.spec,
  };
}

class DeploymentKind extends WorkloadKind {
  public render(scope: Construct, spec: WorkloadSpec): WorkloadObject {
    return new DeploymentObject(scope, 'Deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: spec.metadata,
      spec: { ...commonSpec(spec), strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } },
    });
  }
}

class RolloutKind extends WorkloadKind {
  constructor(private readonly strategy: RolloutStrategy) {
    super();
  }

  public render(scope: Construct, spec: WorkloadSpec): WorkloadObject {
    this.strategy.validate(spec.metadata.name);
    return new WorkloadObject<IRollout>(scope, 'Rollout', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: spec.metadata,
      spec: { ...commonSpec(spec), strategy: this.strategy.toArgo() },
    });
  }
}

/**
 * A Deployment whose zone-spread selector keeps the label order the template gives it. cdk8s sorts
 * the keys of every map it renders, but Deployments have always listed this selector as name then
 * instance; re-sorting it would rewrite every Deployment in the GitOps repositories for no change.
 * Only the order changes, never a value: drop this class once a one-time reorder is acceptable.
 */
class DeploymentObject extends WorkloadObject<IDeployment> {
  private readonly spread?: readonly ITopologySpreadConstraint[];

  constructor(scope: Construct, id: string, manifest: IDeployment) {
    super(scope, id, manifest);
    this.spread = manifest.spec?.template.spec?.topologySpreadConstraints;
  }

  public override toJson(): IDeployment {
    const deployment: IDeployment = super.toJson();
    const spec = deployment.spec;
    const pod = spec?.template.spec;
    const spread = this.spread;
    if (spec === undefined || pod?.topologySpreadConstraints === undefined || spread === undefined) return deployment;
    const topologySpreadConstraints = pod.topologySpreadConstraints.map((c, i) => ({
      ...c,
      labelSelector: { ...c.labelSelector, matchLabels: spread[i].labelSelector?.matchLabels },
    }));
    return { ...deployment, spec: { ...spec, template: { ...spec.template, spec: { ...pod, topologySpreadConstraints } } } };
  }
}
