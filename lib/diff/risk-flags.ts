import { bindingWidening, networkPolicyWidening, roleWidening, summarize } from './access-widening';
import { tagRollbacks } from './image-tags';
import { at, deepEqual, isRecord, JsonRecord, showValue } from './json-value';
import { ObjectChange, RiskFlag, RiskRule } from './report';

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
};

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

type KubernetesRule = (pair: KubernetesPair, context: RiskContext) => RiskFlag[];
type TerraformRule = (pair: TerraformPair) => RiskFlag[];

function flag(rule: RiskRule, change: ObjectChange, reason: string): RiskFlag {
  return { rule, group: change.group, path: change.path, object: change.name, reason };
}

/** A table entry, never an inherited property such as `constructor`. */
function own<T>(table: Readonly<Record<string, T>>, key: string | undefined): T | undefined {
  return key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}

const topAttribute = (path: string): string => path.split(/[.[]/)[0];

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
];

const kubernetesRules: readonly KubernetesRule[] = [
  ({ change }) => {
    const lost = own(STATEFUL_KINDS, change.kind);
    return change.change === 'removed' && lost !== undefined ? [flag('deletes-stateful', change, `deletes ${lost}`)] : [];
  },

  ({ change, before, after }, { production }) => {
    if (!production.has(change.scope) || before === undefined || after === undefined) return [];
    // An autoscaler's floor defaults to 1; a workload's count is compared only when both sides set it.
    const field = change.kind === 'HorizontalPodAutoscaler' ? 'spec.minReplicas' : 'spec.replicas';
    const fallback = change.kind === 'HorizontalPodAutoscaler' ? 1 : undefined;
    const [was, now] = [at(before, field) ?? fallback, at(after, field) ?? fallback];
    if (typeof was !== 'number' || typeof now !== 'number' || now >= was) return [];
    return [flag('fewer-prod-replicas', change, `${field} ${was} → ${now} in production environment ${change.scope}`)];
  },

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
    const turnedOn = at(after, 'spec.syncPolicy.automated') !== undefined && at(before, 'spec.syncPolicy.automated') === undefined;
    return turnedOn ? [flag('automated-prod-sync', change, `turns on automated sync for production environment ${change.scope}`)] : [];
  },

  ({ change, before, after }) =>
    tagRollbacks(before, after).map((r) =>
      flag('image-tag-backwards', change, `container ${r.container}: ${r.repository} tag ${r.from} → ${r.to} goes backwards`),
    ),

  ({ change, after }) => {
    if (change.kind !== 'Secret' || after === undefined) return [];
    const fields = ['data', 'stringData'].filter((f) => isRecord(after[f]) && Object.keys(after[f]).length > 0);
    if (fields.length === 0) return [];
    return [flag('secret-carries-data', change, `carries ${fields.join(' and ')} in Git; fix: use an ExternalSecret`)];
  },
];

/** How a PodDisruptionBudget lets more pods go at once. */
function budgetWeakening(before: JsonRecord, after: JsonRecord): string[] {
  const out: string[] = [];
  const [oldMin, newMin] = [at(before, 'spec.minAvailable'), at(after, 'spec.minAvailable')];
  const [oldMax, newMax] = [at(before, 'spec.maxUnavailable'), at(after, 'spec.maxUnavailable')];
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

/** Every risk flag of a set of differing objects, in the order the objects come. */
export function riskFlags(kubernetes: readonly KubernetesPair[], terraform: readonly TerraformPair[], context: RiskContext): RiskFlag[] {
  return [
    ...kubernetes.flatMap((pair) => kubernetesRules.flatMap((rule) => rule(pair, context))),
    ...terraform.flatMap((pair) => terraformRules.flatMap((rule) => rule(pair))),
  ];
}
