import { asArray, at, isRecord, type JsonRecord } from './json-access';
import { parseQuantity } from './quantity';

/** The four compute resources a ResourceQuota counts of a pod. */
export const COMPUTE_KEYS = ['requests.cpu', 'limits.cpu', 'requests.memory', 'limits.memory'] as const;
export type ComputeKey = (typeof COMPUTE_KEYS)[number];
export type Compute = Readonly<Record<ComputeKey, number>>;

/** What a LimitRange gives a container that sets no value (`defaultRequest`, `default`), in base units. */
export interface ContainerDefaults {
  readonly requests: Partial<Record<'cpu' | 'memory', number>>;
  readonly limits: Partial<Record<'cpu' | 'memory', number>>;
}

const split = (key: ComputeKey): ['requests' | 'limits', 'cpu' | 'memory'] => key.split('.') as ['requests' | 'limits', 'cpu' | 'memory'];

/**
 * A container's value as admission leaves it: its own; a request it lacks is its limit, else the
 * LimitRange's defaultRequest, else its default; a limit it lacks is the LimitRange's default.
 * @see https://kubernetes.io/docs/concepts/policy/limit-range/
 */
export function containerCompute(c: JsonRecord, defaults: ContainerDefaults = { requests: {}, limits: {} }): Compute {
  const value = (key: ComputeKey): number => {
    const [kind, r] = split(key);
    const own = parseQuantity(at(c, 'resources', kind, r));
    if (own !== undefined) return own;
    if (kind === 'limits') return defaults.limits[r] ?? 0;
    return parseQuantity(at(c, 'resources', 'limits', r)) ?? defaults.requests[r] ?? defaults.limits[r] ?? 0;
  };
  return Object.fromEntries(COMPUTE_KEYS.map((k) => [k, value(k)])) as Compute;
}

/**
 * A pod's effective requests and limits, as the scheduler and ResourceQuota count them: the larger
 * of (every app container + every sidecar) and, for each regular init container, its own value
 * plus the sidecars started before it. Sidecars are init containers with `restartPolicy: Always`;
 * `injected` are sidecars an admission webhook adds ahead of them (the Istio proxy).
 * @see https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/#resource-sharing-within-containers
 */
export function podCompute(spec: JsonRecord, injected: readonly Compute[] = [], defaults?: ContainerDefaults): Compute {
  const containers = asArray(spec.containers).filter(isRecord).map((c) => containerCompute(c, defaults));
  const inits = asArray(spec.initContainers).filter(isRecord).map((c) => ({ sidecar: c.restartPolicy === 'Always', compute: containerCompute(c, defaults) }));
  const value = (key: ComputeKey): number => {
    let started = injected.reduce((n, s) => n + s[key], 0);
    let initPeak = 0;
    for (const i of inits) {
      if (i.sidecar) started += i.compute[key];
      else initPeak = Math.max(initPeak, i.compute[key] + started);
    }
    return Math.max(initPeak, started + containers.reduce((n, c) => n + c[key], 0));
  };
  return Object.fromEntries(COMPUTE_KEYS.map((k) => [k, value(k)])) as Compute;
}
