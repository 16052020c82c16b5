import { replicaFloor, scales } from '../../manifest/autoscaler';
import type { K8sObject, RuleContext } from './types';

/** The HorizontalPodAutoscaler in the workload's directory that scales it, if any. */
export function hpaOf(ctx: RuleContext, w: K8sObject): K8sObject | undefined {
  return ctx.objects.find((h) => h.dir === w.dir && scales(h, w));
}

/**
 * The fewest replicas a workload runs: its HPA's floor, else its own count (see `replicaFloor`).
 * A value that is not a number counts as 1; the schema check reports it.
 */
export function fewestReplicas(ctx: RuleContext, w: K8sObject): number {
  return replicaFloor(w, hpaOf(ctx, w)) ?? 1;
}
