import { AUTOSCALER_KIND, autoscalerFloor, scaleTarget } from '../manifest/autoscaler';
import { at, type JsonRecord } from '../manifest/json-access';
import { toManifest } from '../manifest/manifest';
import { secretDataFields } from '../manifest/secret-data';
import { isScaledWorkload } from '../manifest/workload';
import { bindingWidening, networkPolicyWidening, roleWidening, summarize } from './access-widening';
import { rollbackReason, tagRollbacks } from './image-tags';
import { deepEqual, showValue } from './json-value';
import { topAttribute } from './terraform-diff';
import { type ObjectChange, RULE_SEVERITY, type RiskFlag, type RiskRule } from './report';
import { canaryJumps, ingressExposure, protectionOff, terraformExposure } from './review-rules';

/** A differing Kubernetes object with both parsed sides (a missing side was added or removed). */
export interface KubernetesPair {
  readonly change: ObjectChange;
  readonly before?: JsonRecord;
  readonly after?: JsonRecord;
}

/** A differing Terraform block with both bodies. */
export interface TerraformPair {
  readonly change: ObjectChange;
  /** The managed resource type; undefined for data sources, outputs and the like. */
  readonly resourceType?: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

export interface RiskContext {
  /** Environments the production-only rules watch. */
  readonly production: ReadonlySet<string>;
  /** The canary weights, ascending, the platform moves through (`canaryPolicy(platform).steps`): a jump past one is flagged. */
  readonly canarySteps: readonly number[];
}

/**
 * Top-level attributes whose change makes the Google provider destroy and re-create the resource,
 * by resource type.
 * @see https://registry.terraform.io/providers/hashicorp/google/latest/docs
 */
export const REPLACEMENT_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  google_container_cluster: ['location', 'network', 'subnetwork', 'private_cluster_config'],
  google_storage_bucket: ['name', 'location'],
  google_sql_database_instance: ['name', 'region', 'database_version'],
  google_redis_instance: ['name', 'region', 'tier'],
  // ip_cidr_range may only grow in place; any other change of it, or of the secondary ranges, re-creates the subnet and every node in it.
  google_compute_subnetwork: ['name', 'network', 'region', 'ip_cidr_range', 'secondary_ip_range'],
};

/** Kinds whose appearance or removal in production is a workload reaching or leaving users. */
const PROD_WORKLOAD_KINDS: ReadonlySet<string> = new Set(['Deployment', 'Rollout']);

/** Resource types whose deletion loses data, and what is lost. */
export const STATEFUL_RESOURCES: Readonly<Record<string, string>> = {
  google_storage_bucket: 'the bucket and every object in it',
  google_sql_database_instance: 'the Cloud SQL instance, its databases and its backups',
  google_redis_instance: 'the Redis instance and its data',
};

/** Kubernetes kinds whose deletion loses data, and what is lost. */
export const STATEFUL_KINDS: Readonly<Record<string, string>> = {
  PersistentVolumeClaim: 'the claim, and with the usual Delete reclaim policy its volume',
  Namespace: 'every object in the namespace',
};

/** The kinds that grant access, and how a change of each widens it. */
const ACCESS_CHECKS: Readonly<Record<string, (before?: JsonRecord, after?: JsonRecord) => string[]>> = {
  NetworkPolicy: networkPolicyWidening,
  Role: roleWidening,
  ClusterRole: roleWidening,
  RoleBinding: bindingWidening,
  ClusterRoleBinding: bindingWidening,
};

/** What a rule may look up besides its own pair: the other differing objects. */
interface RuleContext extends RiskContext {
  /** The differing object `Kind/name` of a scope. */
  readonly object: (scope: string, name: string) => KubernetesPair | undefined;
  /** The differing HorizontalPodAutoscaler of a scope that targets (or targeted) the workload `Kind/name`. */
  readonly autoscalerOf: (scope: string, workload: string) => KubernetesPair | undefined;
  /**
   * The removed workload of another kind that an added workload of the same scope and name takes
   * over from: a Deployment turned into an Argo Rollout, or back.
   */
  readonly predecessorOf: (pair: KubernetesPair) => KubernetesPair | undefined;
  /** The added workload of another kind that takes over from a removed one (the reverse of `predecessorOf`). */
  readonly successorOf: (pair: KubernetesPair) => KubernetesPair | undefined;
}

type KubernetesRule = (pair: KubernetesPair, context: RuleContext) => RiskFlag[];
type TerraformRule = (pair: TerraformPair) => RiskFlag[];

function flag(rule: RiskRule, change: ObjectChange, reason: string): RiskFlag {
  const environment = change.plane === 'terraform' ? change.group.slice(change.group.lastIndexOf('/') + 1) : change.scope;
  return { rule, severity: RULE_SEVERITY[rule], app: 'platform', environment, group: change.group, path: change.path, object: change.name, reason };
}

/** The app a body belongs to: its Kubernetes name or instance label, its autoscaler's target, or a Terraform `app` label. */
function appOf(body: unknown): string | undefined {
  const label = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  const settings = Array.isArray(at(body, 'settings')) ? at(body, 'settings', 0) : at(body, 'settings');
  return (
    label(at(body, 'metadata', 'labels', 'app.kubernetes.io/name')) ??
    label(at(body, 'metadata', 'labels', 'app.kubernetes.io/instance')) ??
    // An autoscaler carries no labels of its own: it belongs to the app whose workload it scales.
    label(at(body, 'spec', 'scaleTargetRef', 'name')) ??
    label(at(body, 'labels', 'app')) ??
    label(at(body, 'user_labels', 'app')) ??
    label(at(settings, 'user_labels', 'app'))
  );
}

/** A table entry, never an inherited property such as `constructor`. */
function own<T>(table: Readonly<Record<string, T>>, key: string | undefined): T | undefined {
  return key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}

const terraformRules: readonly TerraformRule[] = [
  ({ change, resourceType }) => {
    const watched = own(REPLACEMENT_ATTRIBUTES, resourceType) ?? [];
    const hits = (change.attributes ?? []).filter((a) => watched.includes(topAttribute(a.path)));
    if (change.change !== 'changed' || hits.length === 0) return [];
    const shown = hits.map((a) => `${a.path} ${showValue(a.before)} → ${showValue(a.after)}`);
    return [flag('forces-replacement', change, `${summarize(shown)} forces replacement`)];
  },
  ({ change, resourceType }) => {
    const lost = own(STATEFUL_RESOURCES, resourceType);
    return change.change === 'removed' && lost !== undefined ? [flag('deletes-stateful', change, `destroys ${lost}`)] : [];
  },
  ({ change, resourceType, before, after }) => {
    const reasons = terraformExposure(resourceType, before, after);
    return reasons.length === 0 ? [] : [flag('exposure-widened', change, `widens exposure: ${summarize(reasons)}`)];
  },
  ({ change, resourceType, before, after }) => {
    const reasons = protectionOff(resourceType, before, after);
    return reasons.length === 0 ? [] : [flag('protection-off', change, `turns off ${summarize(reasons)}: a deletion or a lost day is unrecoverable`)];
  },
];

const kubernetesRules: readonly KubernetesRule[] = [
  ({ change }) => {
    const lost = own(STATEFUL_KINDS, change.kind);
    return change.change === 'removed' && lost !== undefined ? [flag('deletes-stateful', change, `deletes ${lost}`)] : [];
  },

  fewerReplicas,

  ({ change, before, after }, { production }) => {
    if (!production.has(change.scope) || change.kind !== 'PodDisruptionBudget' || before === undefined) return [];
    const reasons = after === undefined ? ['removes the disruption budget'] : budgetWeakening(before, after);
    if (reasons.length === 0) return [];
    return [flag('weaker-disruption-budget', change, `${reasons.join('; ')} in production environment ${change.scope}`)];
  },

  ({ change, before, after }) => {
    const reasons = own(ACCESS_CHECKS, change.kind)?.(before, after) ?? [];
    return reasons.length === 0 ? [] : [flag('widens-access', change, `widens access: ${summarize(reasons)}`)];
  },

  ({ change, before, after }, { production }) => {
    if (!production.has(change.scope) || change.kind !== 'Application' || after === undefined) return [];
    const automated = (o?: JsonRecord): unknown => at(o, 'spec', 'syncPolicy', 'automated');
    const turnedOn = automated(after) !== undefined && automated(before) === undefined;
    return turnedOn ? [flag('automated-prod-sync', change, `turns on automated sync for production environment ${change.scope}`)] : [];
  },

  (pair, { predecessorOf }) => {
    // One flag per object, naming every container that went back (an init container often shares the image).
    // A workload that changed kind is compared with the one it replaces: the pod template sits at the same place.
    const predecessor = predecessorOf(pair);
    const rollbacks = tagRollbacks(pair.before ?? predecessor?.before, pair.after);
    if (rollbacks.length === 0) return [];
    const replaced = predecessor === undefined ? '' : ` (replaces the removed ${predecessor.change.name})`;
    return [flag('image-tag-backwards', pair.change, `${rollbackReason(rollbacks)}${replaced}`)];
  },

  ({ change, before, after }) => {
    const reasons = change.kind === 'Ingress' ? ingressExposure(before, after) : [];
    return reasons.length === 0 ? [] : [flag('exposure-widened', change, `exposes to the internet: ${summarize(reasons)}`)];
  },

  (pair, { production, successorOf }) => {
    const { change, after } = pair;
    if (!production.has(change.scope) || !PROD_WORKLOAD_KINDS.has(change.kind) || after !== undefined || successorOf(pair) !== undefined) return [];
    return [flag('deletes-prod-workload', change, `deletes a serving workload of production environment ${change.scope}`)];
  },

  (pair, { production, predecessorOf }) => {
    const { change, before } = pair;
    if (!production.has(change.scope) || !PROD_WORKLOAD_KINDS.has(change.kind) || before !== undefined || predecessorOf(pair) !== undefined) return [];
    return [flag('new-prod-app', change, `a new workload reaches production environment ${change.scope}`)];
  },

  ({ change, before, after }, { canarySteps }) => {
    const jumps = change.kind === 'VirtualService' ? canaryJumps(before, after, canarySteps) : [];
    return jumps.length === 0 ? [] : [flag('canary-weight-jump', change, `${summarize(jumps)}: skips the analysis of the steps between`)];
  },

  ({ change, after }) => {
    const secret = change.kind === 'Secret' ? toManifest(after) : undefined;
    const fields = secret === undefined ? [] : secretDataFields(secret);
    if (fields.length === 0) return [];
    return [flag('secret-carries-data', change, `carries ${fields.join(' and ')} in Git; fix: use an ExternalSecret`)];
  },
];

/**
 * The name of a scaled workload (Deployment, StatefulSet, Argo Rollout): one of these may replace
 * another under the same name. Undefined for any other object.
 */
function workloadName(object: JsonRecord | undefined): string | undefined {
  const m = toManifest(object);
  return m !== undefined && isScaledWorkload(m) ? m.name : undefined;
}

/** The workload `Kind/name` an autoscaler scales, as the diff names objects; undefined when its reference is incomplete. */
function targetOf(hpa: JsonRecord): string | undefined {
  const m = toManifest(hpa);
  const target = m === undefined ? undefined : scaleTarget(m);
  return target === undefined ? undefined : `${target.kind}/${target.name}`;
}

/** An autoscaler's floor (see `autoscalerFloor`); undefined when it cannot be read. */
function floorOf(hpa: JsonRecord): number | undefined {
  const m = toManifest(hpa);
  return m === undefined ? undefined : autoscalerFloor(m);
}

/**
 * `fewer-prod-replicas`: the fewest pods a prod workload runs. With an autoscaler that is its
 * `minReplicas` (absent: 1), without one the workload's `spec.replicas`, compared only when both
 * sides set it. Adding or removing an autoscaler moves the floor from one object to the other; the
 * flag then goes on the object that carries the new floor. A workload that changes kind (a
 * Deployment turned into an Argo Rollout) is a removed and an added object; the added one is
 * compared with the removed one, and with the autoscaler that scaled it.
 */
function fewerReplicas(pair: KubernetesPair, { production, object, autoscalerOf, predecessorOf }: RuleContext): RiskFlag[] {
  const { change, before, after } = pair;
  if (!production.has(change.scope) || after === undefined) return [];
  const fewer = (was: unknown, now: unknown, reason: (was: number, now: number) => string): RiskFlag[] =>
    typeof was === 'number' && typeof now === 'number' && now < was
      ? [flag('fewer-prod-replicas', change, `${reason(was, now)} in production environment ${change.scope}`)]
      : [];
  if (change.kind === AUTOSCALER_KIND) {
    if (before !== undefined) return fewer(floorOf(before), floorOf(after), (was, now) => `spec.minReplicas ${was} → ${now}`);
    // A new autoscaler takes over from the count its workload set, or the workload of another kind that one replaces.
    const targetName = targetOf(after);
    const target = targetName === undefined ? undefined : object(change.scope, targetName);
    const previous = target === undefined ? undefined : target.before === undefined ? predecessorOf(target) : target;
    if (previous?.before === undefined) return [];
    const name = previous === target ? previous.change.name : `the removed ${previous.change.name}`;
    const reason = (was: number, now: number): string => `spec.minReplicas ${now} replaces spec.replicas ${was} of ${name}`;
    return fewer(at(previous.before, 'spec', 'replicas'), floorOf(after), reason);
  }
  // A workload that changed kind takes over the floor of the one it replaces.
  const predecessor = before === undefined ? predecessorOf(pair) : undefined;
  const previous = before ?? predecessor?.before;
  if (previous === undefined) return [];
  const count = at(previous, 'spec', 'replicas');
  if (count !== undefined) {
    const shown = (was: number, now: number): string =>
      predecessor === undefined ? `spec.replicas ${was} → ${now}` : `spec.replicas ${now} replaces spec.replicas ${was} of the removed ${predecessor.change.name}`;
    return fewer(count, at(after, 'spec', 'replicas'), shown);
  }
  // No count before: an autoscaler that went away held the floor.
  const removed = autoscalerOf(change.scope, predecessor?.change.name ?? change.name);
  if (removed?.before === undefined || removed.after !== undefined) return [];
  const name = removed.change.name;
  const reason = (floor: number, now: number): string => `spec.replicas ${now} replaces spec.minReplicas ${floor} of the removed ${name}`;
  return fewer(floorOf(removed.before), at(after, 'spec', 'replicas'), reason);
}

/** How a PodDisruptionBudget lets more pods go at once. */
function budgetWeakening(before: JsonRecord, after: JsonRecord): string[] {
  const out: string[] = [];
  const [oldMin, newMin] = [at(before, 'spec', 'minAvailable'), at(after, 'spec', 'minAvailable')];
  const [oldMax, newMax] = [at(before, 'spec', 'maxUnavailable'), at(after, 'spec', 'maxUnavailable')];
  if (oldMin !== undefined && newMin === undefined) out.push(`minAvailable ${showValue(oldMin)} removed`);
  else if (oldMin !== undefined && newMin !== undefined && lessThan(newMin, oldMin)) {
    out.push(`minAvailable ${showValue(oldMin)} → ${showValue(newMin)}`);
  }
  if (oldMax === undefined && newMax !== undefined) out.push(`maxUnavailable ${showValue(newMax)} added`);
  else if (oldMax !== undefined && newMax !== undefined && lessThan(oldMax, newMax)) {
    out.push(`maxUnavailable ${showValue(oldMax)} → ${showValue(newMax)}`);
  }
  return out;
}

/**
 * `a < b` for two PDB values; an integer and a percentage cannot be ordered without the replica
 * count, so a switch between them counts as possibly weaker.
 */
function lessThan(a: unknown, b: unknown): boolean {
  const amount = (v: unknown): { n: number; percent: boolean } | undefined => {
    if (typeof v === 'number') return { n: v, percent: false };
    return typeof v === 'string' && /^\d+%$/.test(v) ? { n: Number(v.slice(0, -1)), percent: true } : undefined;
  };
  if (deepEqual(a, b)) return false;
  const [x, y] = [amount(a), amount(b)];
  if (x === undefined || y === undefined || x.percent !== y.percent) return true;
  return x.n < y.n;
}

/**
 * Every risk flag of a set of differing objects, in the order the objects come. A pure function of
 * the parsed pairs: no file, synth or platform is needed to call it.
 */
export function riskFlags(kubernetes: readonly KubernetesPair[], terraform: readonly TerraformPair[], context: RiskContext): RiskFlag[] {
  const key = (scope: string, name: string): string => JSON.stringify([scope, name]);
  const objects = new Map(kubernetes.map((p) => [key(p.change.scope, p.change.name), p]));
  const autoscalers = new Map<string, KubernetesPair>();
  for (const p of kubernetes) {
    const hpa = p.change.kind === AUTOSCALER_KIND ? (p.before ?? p.after) : undefined;
    const target = hpa === undefined ? undefined : targetOf(hpa);
    if (target !== undefined) autoscalers.set(key(p.change.scope, target), p);
  }
  // Removed workloads by scope and bare name, for the added workload of another kind that replaces one.
  const removedWorkloads = new Map<string, KubernetesPair>();
  for (const p of kubernetes) {
    const name = p.after === undefined ? workloadName(p.before) : undefined;
    if (name !== undefined) removedWorkloads.set(key(p.change.scope, name), p);
  }
  const addedWorkloads = new Map<string, KubernetesPair>();
  for (const p of kubernetes) {
    const name = p.before === undefined ? workloadName(p.after) : undefined;
    if (name !== undefined) addedWorkloads.set(key(p.change.scope, name), p);
  }
  const ruleContext: RuleContext = {
    ...context,
    object: (scope, name) => objects.get(key(scope, name)),
    autoscalerOf: (scope, workload) => autoscalers.get(key(scope, workload)),
    predecessorOf: ({ change, before, after }) => {
      const name = before === undefined ? workloadName(after) : undefined;
      const removed = name === undefined ? undefined : removedWorkloads.get(key(change.scope, name));
      return removed !== undefined && removed.change.kind !== change.kind ? removed : undefined;
    },
    successorOf: ({ change, before, after }) => {
      const name = after === undefined ? workloadName(before) : undefined;
      const added = name === undefined ? undefined : addedWorkloads.get(key(change.scope, name));
      return added !== undefined && added.change.kind !== change.kind ? added : undefined;
    },
  };
  // Each flag belongs to the app of the object it is on.
  const ofApp = (pair: KubernetesPair | TerraformPair) => (f: RiskFlag): RiskFlag => ({ ...f, app: appOf(pair.after ?? pair.before) ?? f.app });
  return [
    ...kubernetes.flatMap((pair) => kubernetesRules.flatMap((rule) => rule(pair, ruleContext)).map(ofApp(pair))),
    ...terraform.flatMap((pair) => terraformRules.flatMap((rule) => rule(pair)).map(ofApp(pair))),
  ];
}
