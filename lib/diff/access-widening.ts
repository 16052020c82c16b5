import { type Cidr, parseCidr } from '../model/cidr';
import { asArray, asString, at, isRecord, type JsonRecord } from '../manifest/json-access';
import { policyTypes } from '../manifest/network-policy';
import { canonical, isEmptyObject } from './json-value';

/*
 * Access is compared as sets of grants. A NetworkPolicy direction is a set of (peer, port) pairs,
 * an RBAC rule a set of (apiGroup, resource, verb) triples; a grant of the new object that no
 * grant of the old one covers widens access.
 */

/** A wildcard member of a grant: no `from`/`to` (every peer), no `ports` (every port), or RBAC's `*`. */
const ANY = '*';

const DIRECTIONS = [
  { type: 'Ingress', rules: 'ingress', peers: 'from', noun: 'ingress from' },
  { type: 'Egress', rules: 'egress', peers: 'to', noun: 'egress to' },
] as const;

type Direction = (typeof DIRECTIONS)[number];

interface Grant {
  readonly peer: unknown;
  readonly port: unknown;
}

/** The ways a NetworkPolicy change lets more traffic through; empty when it does not. */
export function networkPolicyWidening(before: JsonRecord | undefined, after: JsonRecord | undefined): string[] {
  if (after === undefined) {
    const denied = before === undefined ? [] : deniedDirections(before);
    return denied.length === 0 ? [] : [`removes a policy that denies ${denied.join(' and ')} traffic`];
  }
  if (before === undefined) return unrestrictedGrants(after);
  const out: string[] = [];
  if (!isEmptyObject(at(before, 'spec', 'podSelector')) && isEmptyObject(at(after, 'spec', 'podSelector'))) {
    out.push('podSelector loosened to {} (every pod in the namespace)');
  }
  const [oldTypes, newTypes] = [policyTypes(before), policyTypes(after)];
  for (const d of DIRECTIONS) {
    if (oldTypes.has(d.type) && !newTypes.has(d.type)) {
      out.push(`no longer restricts ${d.type.toLowerCase()} traffic`);
      continue;
    }
    if (!newTypes.has(d.type)) continue;
    const old = grants(before, d);
    for (const grant of grants(after, d)) {
      if (!old.some((o) => covers(o, grant))) out.push(describe(d, grant, old));
    }
  }
  return out;
}

/** Rules of an added policy that open a direction to everyone. */
function unrestrictedGrants(policy: JsonRecord): string[] {
  const types = policyTypes(policy);
  return DIRECTIONS.filter((d) => types.has(d.type))
    .flatMap((d) => grants(policy, d).filter((g) => isUnrestricted(g.peer)).map((g) => describe(d, g, [])))
    .filter((reason, i, all) => all.indexOf(reason) === i);
}

function isUnrestricted(peer: unknown): boolean {
  if (peer === ANY) return true;
  const cidr = asString(at(peer, 'ipBlock', 'cidr'));
  if (cidr !== undefined) return cidr.endsWith('/0');
  return isEmptyObject(at(peer, 'namespaceSelector')) && (at(peer, 'podSelector') === undefined || isEmptyObject(at(peer, 'podSelector')));
}

/** Directions the policy isolates with no rule letting anything through. */
function deniedDirections(policy: JsonRecord): string[] {
  const types = policyTypes(policy);
  return DIRECTIONS.filter((d) => types.has(d.type) && asArray(at(policy, 'spec', d.rules)).length === 0).map((d) => d.type.toLowerCase());
}

function grants(policy: JsonRecord, d: Direction): Grant[] {
  return asArray(at(policy, 'spec', d.rules)).flatMap((rule) => {
    const peers = asArray(isRecord(rule) ? rule[d.peers] : undefined);
    const ports = asArray(isRecord(rule) ? rule.ports : undefined);
    return (peers.length > 0 ? peers : [ANY]).flatMap((peer) => (ports.length > 0 ? ports : [ANY]).map((port) => ({ peer, port })));
  });
}

function covers(old: Grant, grant: Grant): boolean {
  const portCovered = old.port === ANY || canonical(old.port) === canonical(grant.port);
  return portCovered && peerCovers(old.peer, grant.peer);
}

function peerCovers(old: unknown, peer: unknown): boolean {
  if (old === ANY) return true;
  if (canonical(old) === canonical(peer)) return true;
  const [a, b] = [blockOf(old), blockOf(peer)];
  // A narrower range with the same exceptions is covered by the wider one.
  return a !== undefined && b !== undefined && a.cidr.first <= b.cidr.first && b.cidr.last <= a.cidr.last && a.except === b.except;
}

function blockOf(peer: unknown): { cidr: Cidr; except: string } | undefined {
  const cidr = parseCidr(asString(at(peer, 'ipBlock', 'cidr')) ?? '');
  return cidr === undefined ? undefined : { cidr, except: canonical(at(peer, 'ipBlock', 'except') ?? []) };
}

function describe(d: Direction, grant: Grant, old: readonly Grant[]): string {
  const port = grant.port === ANY ? 'every port' : at(grant.port, 'port') === undefined ? showPort(grant.port) : `port ${showPort(grant.port)}`;
  return `${d.noun} ${describePeer(grant.peer, old.map((o) => o.peer))} on ${port}`;
}

function describePeer(peer: unknown, old: readonly unknown[]): string {
  if (peer === ANY) return 'every peer';
  // A known peer on a new port: the port is what is new.
  if (old.some((o) => canonical(o) === canonical(peer))) return showPeer(peer);
  const block = blockOf(peer);
  if (block !== undefined) {
    const narrower = old.map(blockOf).find((o) => o !== undefined && block.cidr.first <= o.cidr.first && o.cidr.last <= block.cidr.last);
    return narrower === undefined ? `${showPeer(peer)} (new)` : `${showPeer(peer)} (wider than ${narrower.cidr.text})`;
  }
  for (const selector of ['namespaceSelector', 'podSelector']) {
    const hadNarrower = old.some((o) => at(o, selector) !== undefined && !isEmptyObject(at(o, selector)));
    if (isEmptyObject(at(peer, selector)) && hadNarrower) return `${showPeer(peer)} (${selector} loosened to {})`;
  }
  return `${showPeer(peer)} (new peer)`;
}

/**
 * A NetworkPolicy peer as a reviewer reads it, not as JSON: `pods app=web in namespaces team=a`,
 * `every namespace`, `ipBlock 10.0.0.0/8 except 10.1.0.0/16`. A podSelector alone selects pods of
 * the policy's own namespace; an empty selector selects every pod or namespace.
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/#behavior-of-to-and-from-selectors
 */
export function showPeer(peer: unknown): string {
  const cidr = asString(at(peer, 'ipBlock', 'cidr'));
  if (cidr !== undefined) {
    const except = asArray(at(peer, 'ipBlock', 'except')).flatMap((e) => asString(e) ?? []);
    return `ipBlock ${cidr}${except.length === 0 ? '' : ` except ${except.join(', ')}`}`;
  }
  const [pods, namespaces] = [at(peer, 'podSelector'), at(peer, 'namespaceSelector')];
  const podText = pods === undefined ? 'every pod' : isEmptyObject(pods) ? 'every pod' : `pods ${showSelector(pods)}`;
  if (namespaces === undefined) return pods === undefined ? '(empty peer)' : `${podText} in the namespace`;
  const nsText = isEmptyObject(namespaces) ? 'every namespace' : `namespaces ${showSelector(namespaces)}`;
  return pods === undefined ? nsText : `${podText} in ${nsText}`;
}

/** A label selector as `app=web,tier In (a, b),debug Exists`. */
function showSelector(selector: unknown): string {
  const labels = at(selector, 'matchLabels');
  const equal = isRecord(labels) ? Object.entries(labels).map(([k, v]) => `${k}=${String(v)}`) : [];
  const expressions = asArray(at(selector, 'matchExpressions')).map((e) => {
    const values = asArray(at(e, 'values')).map(String);
    const key = asString(at(e, 'key')) ?? '?';
    const operator = asString(at(e, 'operator')) ?? '?';
    return values.length === 0 ? `${key} ${operator}` : `${key} ${operator} (${values.join(', ')})`;
  });
  return [...equal, ...expressions].join(',') || '(any)';
}

function showPort(port: unknown): string {
  const number = at(port, 'port');
  const protocol = asString(at(port, 'protocol')) ?? 'TCP';
  if (number === undefined) return `every ${protocol} port`;
  const end = at(port, 'endPort');
  return `${String(number)}${end === undefined ? '' : `-${String(end)}`}/${protocol}`;
}

/** The (apiGroup, resource, verb, resourceName) grants a Role or ClusterRole has that the old one did not. */
export function roleWidening(before: JsonRecord | undefined, after: JsonRecord | undefined): string[] {
  if (after === undefined) return [];
  const old = roleGrants(before);
  const fresh = roleGrants(after).filter((g) => !old.some((o) => o.every((part, i) => part === ANY || part === g[i])));
  // An added role grants nothing until bound; only a wildcard in it is worth a flag.
  const relevant = before === undefined ? fresh.filter((g) => g.slice(0, 3).includes(ANY)) : fresh;
  const shown = relevant.map(
    ([group, resource, verb, name]) => `${verb} ${group === '' ? '' : `${group}/`}${resource}${name === ANY ? '' : ` named ${name}`}`,
  );
  return shown.length === 0 ? [] : [`grants ${summarize(shown)}`];
}

function roleGrants(role: JsonRecord | undefined): string[][] {
  return asArray(role?.rules).flatMap((rule) => {
    const list = (key: string): string[] => asArray(isRecord(rule) ? rule[key] : undefined).flatMap((v) => asString(v) ?? []);
    const names = list('resourceNames');
    return list('apiGroups').flatMap((g) =>
      list('resources').flatMap((r) => list('verbs').flatMap((v) => (names.length > 0 ? names : [ANY]).map((n) => [g, r, v, n]))),
    );
  });
}

/** Subjects a RoleBinding or ClusterRoleBinding gives its role to that it did not before, or a new role. */
export function bindingWidening(before: JsonRecord | undefined, after: JsonRecord | undefined): string[] {
  if (after === undefined) return [];
  const role = canonical(after.roleRef);
  const oldSubjects = new Set(asArray(before?.subjects).map(canonical));
  const roleName = `${asString(at(after, 'roleRef', 'kind')) ?? 'role'} ${asString(at(after, 'roleRef', 'name')) ?? '?'}`;
  if (before !== undefined && canonical(before.roleRef) !== role) {
    return [`now binds ${roleName} instead of ${asString(at(before, 'roleRef', 'name')) ?? '?'}`];
  }
  const added = asArray(after.subjects)
    .filter((s) => !oldSubjects.has(canonical(s)))
    .map((s) => `${asString(at(s, 'kind')) ?? 'subject'} ${asString(at(s, 'name')) ?? '?'}`);
  return added.length === 0 ? [] : [`gives ${roleName} to ${summarize(added)}`];
}

/** The first few items and how many more, to keep a flag on one line. */
export function summarize(items: readonly string[], max = 3): string {
  const head = items.slice(0, max).join(', ');
  return items.length > max ? `${head} and ${items.length - max} more` : head;
}
