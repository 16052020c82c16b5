import { at, isRecord, type JsonRecord, strMap } from './json-access';
import { apiGroup, type Manifest } from './manifest';

/** What the readers of manifests need to know of a kind that runs pods (not the construct of lib/k8s that renders one). */
export interface WorkloadTraits {
  /** Its API group: a `Rollout` is a workload only as Argo's (`argoproj.io`). */
  readonly group: string;
  /** Where its pod template sits. */
  readonly template: readonly string[];
  /**
   * An app's scaled workload: it runs a count of long-lived pods (`spec.replicas`, or the floor of
   * the autoscaler that targets it) that a PodDisruptionBudget guards, and one such kind may replace
   * another under the same name (a Deployment turned into an Argo Rollout, or back).
   */
  readonly scaled: boolean;
}

const TEMPLATE: readonly string[] = ['spec', 'template'];

/**
 * Every kind that runs pods from a template, by kind. Validation checks the pods of all of them
 * (containers, security context, the labels Services select); the replica rules of validate
 * (`pdb`, `prod-replicas`) and of diff (`fewer-prod-replicas`, a workload that changes kind) look
 * at the scaled ones only. A DaemonSet runs one pod per node and a Job runs to completion: neither
 * has a count to lower. A ReplicaSet is what a Deployment makes in the cluster, not an app's own
 * workload: a bare one in Git has its pods checked, and no replica rule counts it.
 * @see https://argo-rollouts.readthedocs.io/en/stable/migrating/
 */
export const WORKLOAD_KINDS: Readonly<Record<string, WorkloadTraits>> = {
  Deployment: { group: 'apps', template: TEMPLATE, scaled: true },
  StatefulSet: { group: 'apps', template: TEMPLATE, scaled: true },
  Rollout: { group: 'argoproj.io', template: TEMPLATE, scaled: true },
  DaemonSet: { group: 'apps', template: TEMPLATE, scaled: false },
  ReplicaSet: { group: 'apps', template: TEMPLATE, scaled: false },
  Job: { group: 'batch', template: TEMPLATE, scaled: false },
  CronJob: { group: 'batch', template: ['spec', 'jobTemplate', 'spec', 'template'], scaled: false },
};

/** The traits of an object's workload kind, matched by kind and API group; undefined for any other object. */
export function workloadTraits(m: Manifest): WorkloadTraits | undefined {
  const traits = Object.hasOwn(WORKLOAD_KINDS, m.kind) ? WORKLOAD_KINDS[m.kind] : undefined;
  return traits !== undefined && traits.group === apiGroup(m.apiVersion) ? traits : undefined;
}

/** Whether the object is an app's scaled workload (see {@link WorkloadTraits.scaled}). */
export function isScaledWorkload(m: Manifest): boolean {
  return workloadTraits(m)?.scaled === true;
}

/** The pod template of a workload: `spec.template`, or a CronJob's `spec.jobTemplate.spec.template`. */
export function podTemplate(m: Manifest): JsonRecord | undefined {
  const traits = workloadTraits(m);
  const template = traits === undefined ? undefined : at(m.body, ...traits.template);
  return isRecord(template) ? template : undefined;
}

/** The pod spec of a workload; undefined for any other object. */
export function podSpec(m: Manifest): JsonRecord | undefined {
  const spec = at(podTemplate(m), 'spec');
  return isRecord(spec) ? spec : undefined;
}

/** The labels a workload gives its pods. */
export function podLabels(m: Manifest): Readonly<Record<string, string>> {
  return strMap(at(podTemplate(m), 'metadata', 'labels'));
}
