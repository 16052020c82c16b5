import { asString, at } from './json-access';
import type { Manifest } from './manifest';

export const AUTOSCALER_KIND = 'HorizontalPodAutoscaler';

/** The workload an autoscaler scales, from its `spec.scaleTargetRef`. */
export interface ScaleTarget {
  readonly apiVersion?: string;
  readonly kind: string;
  readonly name: string;
}

/** An autoscaler's target; undefined when its reference names no kind or no name. */
export function scaleTarget(hpa: Manifest): ScaleTarget | undefined {
  const ref = at(hpa.body, 'spec', 'scaleTargetRef');
  const [kind, name] = [asString(at(ref, 'kind')), asString(at(ref, 'name'))];
  return kind === undefined || name === undefined ? undefined : { apiVersion: asString(at(ref, 'apiVersion')), kind, name };
}

/**
 * Whether an autoscaler targets the workload, by kind and name. Its API group is left to the
 * `join-scale-target` rule, which reports a reference to the wrong group as such.
 */
export function scales(hpa: Manifest, workload: Manifest): boolean {
  const target = scaleTarget(hpa);
  return hpa.kind === AUTOSCALER_KIND && target !== undefined && target.kind === workload.kind && target.name === workload.name;
}

/**
 * An autoscaler's floor: `spec.minReplicas`, 1 when absent (the Kubernetes default). Undefined when
 * it is set to something other than a number, which the schema check reports; no floor can be read.
 */
export function autoscalerFloor(hpa: Manifest): number | undefined {
  const min = at(hpa.body, 'spec', 'minReplicas') ?? 1;
  return typeof min === 'number' ? min : undefined;
}

/**
 * The fewest pods a workload runs: the floor of the autoscaler that scales it, else its
 * `spec.replicas`, each 1 when absent. Undefined when the value read is not a number.
 */
export function replicaFloor(workload: Manifest, autoscaler?: Manifest): number | undefined {
  if (autoscaler !== undefined) return autoscalerFloor(autoscaler);
  const count = at(workload.body, 'spec', 'replicas') ?? 1;
  return typeof count === 'number' ? count : undefined;
}
