import type { IRollout } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout';
import type * as kplus from 'cdk8s-plus-28';
import { type Construct } from 'constructs';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { ModelObject } from '../model-object';

/** The kinds that run an app's pods. */
export type WorkloadManifest = IDeployment | IRollout;

/**
 * The object that runs an app's pods, a Deployment or an Argo Rollout, typed by its
 * kubernetes-models interface. It is what an autoscaler scales: the HPA reads its kind and name
 * from here, so it follows whichever kind was rendered.
 */
export class WorkloadObject<T extends WorkloadManifest = WorkloadManifest> extends ModelObject<T> implements kplus.IScalable {
  public hasAutoscaler = false;
  private readonly replicas?: number;

  constructor(scope: Construct, id: string, manifest: T) {
    super(scope, id, manifest);
    this.replicas = manifest.spec?.replicas;
  }

  public markHasAutoscaler(): void {
    this.hasAutoscaler = true;
  }

  public toScalingTarget(): kplus.ScalingTarget {
    // cdk8s-plus reads `containers` only to require resource requests of an HPA that has no
    // metrics; ours always scales on CPU and memory, so none are listed.
    return { apiVersion: this.apiVersion, kind: this.kind, name: this.name, replicas: this.replicas, containers: [] };
  }
}
