import { asArray, asNumber, asString, at, isRecord, type JsonRecord } from '../manifest/json-access';
import { showValue } from './json-value';

/*
 * The review rules of issue 14 ("Review you can trust"): exposure, protection, canary weight. Each
 * returns the reasons it finds on one pair of parsed bodies; risk-flags.ts turns them into flags.
 */

const INGRESS_CLASS = 'kubernetes.io/ingress.class';
const STATIC_IP = 'kubernetes.io/ingress.global-static-ip-name';
/** GKE makes an Ingress without a class, or with class `gce`, an external load balancer. @see https://cloud.google.com/kubernetes-engine/docs/concepts/ingress#controller_summary */
const INTERNAL_CLASS = 'gce-internal';

const isInternalHost = (host: string): boolean => host.startsWith('internal.') || host.includes('.internal.');

function ingressClass(o: JsonRecord | undefined): string | undefined {
  return asString(at(o, 'metadata', 'annotations', INGRESS_CLASS)) ?? asString(at(o, 'spec', 'ingressClassName'));
}

function ingressHosts(o: JsonRecord | undefined): string[] {
  return asArray(at(o, 'spec', 'rules')).flatMap((r) => asString(at(r, 'host')) ?? []);
}

/** How an Ingress moved from internal to public, or grew a public host or static IP. */
export function ingressExposure(before: JsonRecord | undefined, after: JsonRecord | undefined): string[] {
  if (after === undefined) return [];
  const publicNow = ingressClass(after) !== INTERNAL_CLASS;
  if (!publicNow) return [];
  if (before === undefined) return [`adds a public Ingress for ${ingressHosts(after).join(', ') || 'every host'}`];
  const out: string[] = [];
  if (ingressClass(before) === INTERNAL_CLASS) out.push(`ingress class ${INTERNAL_CLASS} → ${ingressClass(after) ?? '(none: public)'}`);
  const old = new Set(ingressHosts(before));
  for (const host of ingressHosts(after).filter((h) => !old.has(h))) {
    const left = [...old].some((o) => isInternalHost(o) && !isInternalHost(host));
    out.push(left ? `host ${host} leaves internal.` : `new public host ${host}`);
  }
  const ip = asString(at(after, 'metadata', 'annotations', STATIC_IP));
  if (ip !== undefined && ip !== asString(at(before, 'metadata', 'annotations', STATIC_IP))) out.push(`static IP ${ip}`);
  return out;
}

/** The ranges a firewall or the master authorized networks let in. */
function firewallRanges(body: unknown): string[] {
  return asArray(at(body, 'source_ranges')).flatMap((r) => asString(r) ?? []);
}

function authorizedNetworks(body: unknown): string[] | undefined {
  const config = single(at(body, 'master_authorized_networks_config'));
  if (config === undefined) return undefined;
  return asArray(at(config, 'cidr_blocks')).flatMap((b) => asString(at(b, 'cidr_block')) ?? []);
}

/** A Terraform block nested once may be an object or a one-item list. */
function single(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Terraform exposure: a new public static IP, a firewall that lets in more ranges or is removed, a
 * cluster whose master authorized networks gain a range or go away.
 */
export function terraformExposure(resourceType: string | undefined, before: unknown, after: unknown): string[] {
  if (resourceType === 'google_compute_firewall') {
    // A removed deny rule opens what it denied; a removed allow rule is harmless but rare enough to review.
    if (after === undefined) return before === undefined ? [] : ['removes the firewall rule'];
    if (before === undefined || at(after, 'direction') === 'EGRESS') return [];
    const old = new Set(firewallRanges(before));
    const added = firewallRanges(after).filter((r) => !old.has(r));
    return added.length === 0 ? [] : [`firewall source_ranges gain ${added.join(', ')}`];
  }
  if (resourceType === 'google_compute_global_address' || resourceType === 'google_compute_address') {
    const internal = at(after, 'address_type') === 'INTERNAL';
    return before === undefined && after !== undefined && !internal ? ['reserves a new public static IP'] : [];
  }
  if (resourceType === 'google_container_cluster' && before !== undefined && after !== undefined) {
    const [old, now] = [authorizedNetworks(before), authorizedNetworks(after)];
    if (old === undefined) return [];
    if (now === undefined) return ['removes master_authorized_networks_config: the control plane accepts every address'];
    const added = now.filter((c) => !old.includes(c));
    return added.length === 0 ? [] : [`master authorized networks gain ${added.join(', ')}`];
  }
  return [];
}

/** Paths (objects or one-item lists on the way) of switches that protect data, by resource type. */
const PROTECTION: Readonly<Record<string, readonly (readonly string[])[]>> = {
  google_sql_database_instance: [['deletion_protection'], ['settings', 'deletion_protection_enabled'], ['settings', 'backup_configuration', 'enabled']],
  google_container_cluster: [['deletion_protection']],
};

function valueAt(body: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((v, key) => (isRecord(single(v)) ? (single(v) as JsonRecord)[key] : undefined), body);
}

/**
 * Switches turned off on a changed resource. Terraform's `deletion_protection` defaults to true on
 * both types, so an absent one after a true one counts as staying on; `false` is what turns it off.
 * @see https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/sql_database_instance#deletion_protection
 */
export function protectionOff(resourceType: string | undefined, before: unknown, after: unknown): string[] {
  const paths = resourceType !== undefined && Object.hasOwn(PROTECTION, resourceType) ? PROTECTION[resourceType] : [];
  if (before === undefined || after === undefined) return [];
  return paths.filter((p) => valueAt(before, p) !== false && valueAt(after, p) === false).map((p) => `${p.join('.')} ${showValue(valueAt(before, p) ?? '(default)')} → false`);
}

/** The subset the canary runs as, in the VirtualService a Rollout steers. */
export const CANARY_SUBSET = 'canary';

function canaryWeights(vs: JsonRecord | undefined): Map<string, number> {
  const out = new Map<string, number>();
  asArray(at(vs, 'spec', 'http')).forEach((route, i) => {
    const name = asString(at(route, 'name')) ?? `http[${i}]`;
    for (const d of asArray(at(route, 'route'))) {
      if (at(d, 'destination', 'subset') === CANARY_SUBSET) out.set(name, asNumber(at(d, 'weight')) ?? 0);
    }
  });
  return out;
}

/**
 * Routes of a VirtualService whose canary weight rises past at least one of the configured canary
 * `steps` (the weights `promote --step` moves through) in one change: the analysis of each skipped
 * step never runs. A route without a canary destination sends it 0.
 */
export function canaryJumps(before: JsonRecord | undefined, after: JsonRecord | undefined, steps: readonly number[]): string[] {
  if (after === undefined || at(after, 'kind') !== 'VirtualService') return [];
  const old = canaryWeights(before);
  return [...canaryWeights(after)].flatMap(([route, w]) => {
    const was = old.get(route) ?? 0;
    const skipped = steps.filter((s) => was < s && s < w);
    if (skipped.length === 0) return [];
    return [`route ${route} canary weight ${was} → ${w} skips step${skipped.length > 1 ? 's' : ''} ${skipped.join(', ')}`];
  });
}
