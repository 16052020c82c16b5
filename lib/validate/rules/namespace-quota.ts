import { autoscalerFloor, scales } from '../../manifest/autoscaler';
import { asArray, at, isRecord, strMap } from '../../manifest/json-access';
import { COMPUTE_KEYS, type Compute, type ComputeKey, type ContainerDefaults, podCompute } from '../../manifest/pod-resources';
import { formatCpu, formatMemory, parseQuantity } from '../../manifest/quantity';
import { podLabels, podSpec, podTemplate } from '../../manifest/workload';
import { TRACK_LABEL } from '../../model/delivery';
import { ISTIO_DEFAULT_PROXY_RESOURCES } from '../../model/mesh-sidecar';
import { cpuMillis } from '../../model/resources';
import { SIDECAR_RESOURCE_ANNOTATIONS } from '../../k8s/workloads/sidecar-resources';
import { type Finding, finding, inNamespace, type K8sObject, meshedNamespace, namespaceOf, type RuleContext, workloadsInNamespace } from './types';

const RULE = 'namespace-quota';

/** What Istio gives its proxy when a pod's annotations do not say, in base units. */
const ISTIO_PROXY_DEFAULTS: Compute = {
  'requests.cpu': cpuMillis(ISTIO_DEFAULT_PROXY_RESOURCES.cpu.request) / 1000,
  'limits.cpu': cpuMillis(ISTIO_DEFAULT_PROXY_RESOURCES.cpu.limit) / 1000,
  'requests.memory': ISTIO_DEFAULT_PROXY_RESOURCES.memory.request.toMebibytes() * 2 ** 20,
  'limits.memory': ISTIO_DEFAULT_PROXY_RESOURCES.memory.limit.toMebibytes() * 2 ** 20,
};

/** The quota's keys for each resource: `cpu` and `memory` are the requests. */
const HARD_KEYS: Readonly<Record<ComputeKey | 'pods', readonly string[]>> = {
  'requests.cpu': ['requests.cpu', 'cpu'],
  'limits.cpu': ['limits.cpu'],
  'requests.memory': ['requests.memory', 'memory'],
  'limits.memory': ['limits.memory'],
  pods: ['pods', 'count/pods'],
};

/**
 * Every ResourceQuota holds what all workloads applied to its namespace on its cluster need at once
 * (every environment sharing the namespace), during one release of each: replicas (the autoscaler's
 * floor when the workload sets none; its maximum for a canary-environment candidate, whose share of
 * traffic assumes it can scale there) plus the pods a release adds (a rolling update's or an
 * unrouted canary's maxSurge, a routed canary's full canary ReplicaSet, blue-green's whole preview
 * ReplicaSet), times each pod's effective requests and limits: every container, native sidecars,
 * and the Istio proxy where the namespace has injection on. Quotas with scopes are not checked.
 * @see https://kubernetes.io/docs/concepts/policy/resource-quotas/
 */
export function namespaceQuota(ctx: RuleContext): Finding[] {
  return ctx.objects.filter((q) => q.kind === 'ResourceQuota').flatMap((q): Finding[] => {
    if (at(q.body, 'spec', 'scopes') !== undefined || at(q.body, 'spec', 'scopeSelector') !== undefined) return [];
    const hard = at(q.body, 'spec', 'hard');
    if (!isRecord(hard)) return [];
    const need = namespaceNeed(ctx, q);
    const over = (Object.keys(HARD_KEYS) as (ComputeKey | 'pods')[]).flatMap((key) => {
      const hardKey = HARD_KEYS[key].find((k) => hard[k] !== undefined);
      const allowed = hardKey === undefined ? undefined : parseQuantity(hard[hardKey]);
      const needed = need.total[key];
      // A thousandth of a unit of slack for the floating-point sums.
      return hardKey !== undefined && allowed !== undefined && needed > allowed * (1 + 1e-9) ? [{ hardKey, needed: show(key, needed), allowed: show(key, allowed) }] : [];
    });
    if (over.length === 0) return [];
    return [finding(q, RULE,
      `does not fit the ${need.total.pods} pods of namespace ${namespaceOf(ctx, q)} during a release (replicas, release surge and sidecars): ` +
        over.map((o) => `${o.hardKey} needs ${o.needed} but the quota is ${o.allowed}`).join('; '),
      `raise ${over.map((o) => `spec.hard["${o.hardKey}"] to at least ${o.needed}`).join(', ')} (the environment's quota), ` +
        'or lower replicas, the resource profile or progressiveDelivery.sidecarResources')];
  });
}

const show = (key: ComputeKey | 'pods', v: number): string => (key === 'pods' ? `${v}` : key.endsWith('cpu') ? formatCpu(v) : formatMemory(v));

function namespaceNeed(ctx: RuleContext, q: K8sObject): { total: Record<ComputeKey | 'pods', number> } {
  const injection = meshedNamespace(ctx, q) === true;
  const defaults = limitRangeDefaults(inNamespace(ctx, q, 'LimitRange'));
  const autoscalers = inNamespace(ctx, q, 'HorizontalPodAutoscaler');
  const total: Record<ComputeKey | 'pods', number> = { 'requests.cpu': 0, 'limits.cpu': 0, 'requests.memory': 0, 'limits.memory': 0, pods: 0 };
  for (const w of workloadsInNamespace(ctx, q)) {
    const spec = podSpec(w);
    if (spec === undefined) continue;
    const replicas = replicasOf(w, autoscalers);
    const pods = replicas + releasePods(w, replicas);
    const proxy = injection && injected(w) ? [proxyCompute(w)] : [];
    const pod = podCompute(spec, proxy, defaults);
    total.pods += pods;
    for (const k of COMPUTE_KEYS) total[k] += pods * pod[k];
  }
  return { total };
}

/** The workload's replicas; with none set, the floor of its autoscaler (the replicas it was given), else 1. */
function replicasOf(w: K8sObject, autoscalers: readonly K8sObject[]): number {
  if (w.kind === 'Job' || w.kind === 'CronJob') {
    const p = at(w.body, 'spec', ...(w.kind === 'CronJob' ? ['jobTemplate', 'spec'] : []), 'parallelism');
    return typeof p === 'number' ? p : 1;
  }
  const own = at(w.body, 'spec', 'replicas');
  if (typeof own === 'number') return own;
  const hpa = autoscalers.find((h) => scales(h, w));
  // A candidate takes production's traffic by what it can scale to (`canary-capacity`), so the
  // namespace keeps room for its autoscaler's maximum, not its floor.
  const max = at(hpa?.body, 'spec', 'maxReplicas');
  if (podLabels(w)[TRACK_LABEL] === 'canary' && typeof max === 'number') return max;
  return (hpa === undefined ? undefined : autoscalerFloor(hpa)) ?? 1;
}

/** A percentage of replicas, rounded up, or a count. @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#max-surge */
function surge(v: unknown, replicas: number): number {
  if (typeof v === 'number') return v;
  const m = typeof v === 'string' ? /^(\d+)%$/.exec(v) : null;
  return m === null ? 0 : Math.ceil((Number(m[1]) * replicas) / 100);
}

/**
 * The pods one release adds beside the running ones. A Deployment surges by maxSurge (25% by
 * default) unless it recreates. An Argo Rollout's blue-green preview is a whole ReplicaSet
 * (previewReplicaCount, all replicas by default); a canary with traffic routing keeps the stable
 * ReplicaSet at 100% while the canary one grows to full size; without routing it surges by maxSurge.
 * @see https://argo-rollouts.readthedocs.io/en/stable/features/bluegreen/
 * @see https://argo-rollouts.readthedocs.io/en/stable/features/traffic-management/
 */
function releasePods(w: K8sObject, replicas: number): number {
  const s = at(w.body, 'spec', 'strategy');
  if (w.kind === 'Deployment') return at(s, 'type') === 'Recreate' ? 0 : surge(at(s, 'rollingUpdate', 'maxSurge') ?? '25%', replicas);
  if (w.kind !== 'Rollout') return 0;
  if (isRecord(at(s, 'blueGreen'))) {
    const preview = at(s, 'blueGreen', 'previewReplicaCount');
    return typeof preview === 'number' ? preview : replicas;
  }
  if (isRecord(at(s, 'canary', 'trafficRouting'))) return replicas;
  return isRecord(at(s, 'canary')) ? surge(at(s, 'canary', 'maxSurge') ?? '25%', replicas) : 0;
}

/** Whether Istio injects the workload's pods in an injected namespace: unless they opt out. */
function injected(w: K8sObject): boolean {
  const meta = at(podTemplate(w), 'metadata');
  const optOut = (m: Readonly<Record<string, string>>): boolean => m['sidecar.istio.io/inject'] === 'false';
  return !optOut(strMap(at(meta, 'labels'))) && !optOut(strMap(at(meta, 'annotations')));
}

/** The proxy Istio injects into the workload's pods: its annotations, else Istio's defaults. */
function proxyCompute(w: K8sObject): Compute {
  const a = strMap(at(podTemplate(w), 'metadata', 'annotations'));
  const n = SIDECAR_RESOURCE_ANNOTATIONS;
  const v = (annotation: string, key: ComputeKey): number => parseQuantity(a[annotation]) ?? ISTIO_PROXY_DEFAULTS[key];
  return {
    'requests.cpu': v(n.cpuRequest, 'requests.cpu'),
    'limits.cpu': v(n.cpuLimit, 'limits.cpu'),
    'requests.memory': v(n.memoryRequest, 'requests.memory'),
    'limits.memory': v(n.memoryLimit, 'limits.memory'),
  };
}

/** The container defaults of the namespace's LimitRanges. */
function limitRangeDefaults(ranges: readonly K8sObject[]): ContainerDefaults {
  const requests: ContainerDefaults['requests'] = {};
  const limits: ContainerDefaults['limits'] = {};
  for (const item of ranges.flatMap((r) => asArray(at(r.body, 'spec', 'limits'))).filter(isRecord)) {
    if (item.type !== 'Container') continue;
    for (const r of ['cpu', 'memory'] as const) {
      requests[r] ??= parseQuantity(at(item, 'defaultRequest', r));
      limits[r] ??= parseQuantity(at(item, 'default', r));
    }
  }
  return { requests, limits };
}
