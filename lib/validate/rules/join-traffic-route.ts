import { asArray, asString, at, isRecord, strMap } from '../../manifest/json-access';
import { labelSelectorMatches, selects } from '../../manifest/label-selector';
import { policyTypes } from '../../manifest/network-policy';
import { podLabels, podSpec } from '../../manifest/workload';
import { clusterOf, finding, type Finding, inNamespace, type K8sObject, namespaceOf, type RuleContext, workloadsInNamespace } from './types';

const RULE = 'join-traffic-route';

/**
 * The Istio routes join the Services and pods they send traffic to, in the namespace the host names
 * (whatever directory holds the objects: the canary environment shares production's namespace):
 * - every VirtualService destination names a Service, one of its ports (required when it has more
 *   than one), and a subset a DestinationRule for that Service defines;
 * - every DestinationRule names a Service, and each of its subsets selects pods of that Service;
 * - a VirtualService bound to a gateway (not `mesh`) is admitted by the NetworkPolicies of the pods it
 *   routes to, from the gateway's namespace on the pods' port.
 * Hosts that are not a Service of the cluster (DNS names outside `.svc`) are not checked.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#Destination
 */
export function joinTrafficRoute(ctx: RuleContext): Finding[] {
  return ctx.objects.flatMap((o) => {
    if (o.kind === 'VirtualService') return virtualService(ctx, o);
    if (o.kind === 'DestinationRule') return destinationRule(ctx, o);
    return [];
  });
}

interface ServiceRef {
  readonly name: string;
  readonly namespace: string;
}

/** The Service a host names: a short name in the object's namespace, or `name.namespace.svc[.cluster.local]`. */
function serviceRef(host: string, namespace: string): ServiceRef | undefined {
  if (/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(host)) return { name: host, namespace };
  const m = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc(\.cluster\.local)?$/.exec(host);
  return m ? { name: m[1], namespace: m[2] } : undefined;
}

const serviceOf = (ctx: RuleContext, from: K8sObject, ref: ServiceRef): K8sObject | undefined =>
  inNamespace(ctx, from, 'Service', ref.namespace).find((s) => s.name === ref.name);

/** The workloads whose pods a Service selects. */
const podsOf = (ctx: RuleContext, svc: K8sObject): K8sObject[] =>
  workloadsInNamespace(ctx, svc).filter((w) => selects(strMap(at(svc.body, 'spec', 'selector')), podLabels(w)));

function virtualService(ctx: RuleContext, vs: K8sObject): Finding[] {
  const ns = namespaceOf(ctx, vs);
  const out: Finding[] = [];
  const gateways = at(vs.body, 'spec', 'gateways') === undefined ? ['mesh'] : asArray(at(vs.body, 'spec', 'gateways')).filter((g): g is string => typeof g === 'string');
  const admitted = new Set<string>();
  const destinations = (['http', 'tls', 'tcp'] as const).flatMap((k) => asArray(at(vs.body, 'spec', k)).flatMap((r) => asArray(at(r, 'route')).map((d) => at(d, 'destination'))));
  for (const d of destinations.filter(isRecord)) {
    const host = asString(d.host) ?? '';
    const ref = serviceRef(host, ns);
    if (!ref) continue;
    const svc = serviceOf(ctx, vs, ref);
    if (!svc) {
      out.push(finding(vs, RULE, `routes to host "${host}", which names no Service in namespace "${ref.namespace}"`, 'route to the app\'s Service, or create it'));
      continue;
    }
    const ports = asArray(at(svc.body, 'spec', 'ports'));
    const number = at(d, 'port', 'number');
    const port = number === undefined ? (ports.length === 1 ? ports[0] : undefined) : ports.find((p) => at(p, 'port') === number);
    if (number === undefined && ports.length > 1) {
      out.push(finding(vs, RULE, `routes to Service "${ref.name}" without a port, and it has ${ports.length} ports`, 'set destination.port.number to the Service port the route serves'));
    } else if (port === undefined) {
      out.push(finding(vs, RULE, `routes to port ${String(number)} of Service "${ref.name}", which has no such port`, 'route to a port the Service exposes (AppConfig.exposure.port)'));
    }
    const subset = asString(d.subset);
    if (subset !== undefined) {
      const defines = inNamespace(ctx, vs, 'DestinationRule', ref.namespace).concat(inNamespace(ctx, vs, 'DestinationRule'))
        .some((dr) => ruleTargets(ctx, dr, ref) && asArray(at(dr.body, 'spec', 'subsets')).some((s) => at(s, 'name') === subset));
      if (!defines) {
        out.push(finding(vs, RULE, `routes to subset "${subset}" of Service "${ref.name}", which no DestinationRule for it defines`, `define subset "${subset}" in the DestinationRule of host "${ref.name}", or route to a subset it defines`));
      }
    }
    if (port === undefined) continue;
    for (const gateway of gateways.filter((g) => g !== 'mesh')) {
      const from = gateway.includes('/') ? gateway.slice(0, gateway.indexOf('/')) : ns;
      for (const w of podsOf(ctx, svc)) {
        const target = targetPort(w, port);
        const key = `${gateway} ${w.kind}/${w.name} ${target.number ?? target.names.join()}`;
        if (admitted.has(key)) continue;
        admitted.add(key);
        if (!admits(ctx, w, from, target)) {
          const shown = target.number ?? target.names[0];
          out.push(finding(vs, RULE, `takes traffic from gateway "${gateway}" to port ${String(shown)} of ${w.kind}/${w.name}, which no NetworkPolicy admits from namespace "${from}"`,
            `admit namespace "${from}" on port ${String(shown)} in the app's NetworkPolicy (the pods of an app reached through the Istio gateway)`));
        }
      }
    }
  }
  return out;
}

/** Whether a DestinationRule's host is the Service. */
function ruleTargets(ctx: RuleContext, dr: K8sObject, ref: ServiceRef): boolean {
  const target = serviceRef(asString(at(dr.body, 'spec', 'host')) ?? '', namespaceOf(ctx, dr));
  return target !== undefined && target.name === ref.name && target.namespace === ref.namespace;
}

function destinationRule(ctx: RuleContext, dr: K8sObject): Finding[] {
  const host = asString(at(dr.body, 'spec', 'host')) ?? '';
  const ref = serviceRef(host, namespaceOf(ctx, dr));
  if (!ref) return [];
  const svc = serviceOf(ctx, dr, ref);
  if (!svc) return [finding(dr, RULE, `applies to host "${host}", which names no Service in namespace "${ref.namespace}"`, 'set spec.host to the app\'s Service')];
  const pods = podsOf(ctx, svc);
  return asArray(at(dr.body, 'spec', 'subsets'))
    .filter(isRecord)
    .filter((s) => {
      const labels = strMap(s.labels);
      return !pods.some((w) => Object.keys(labels).length === 0 || selects(labels, podLabels(w)));
    })
    .map((s) => finding(dr, RULE, `subset "${asString(s.name) ?? '?'}" ${JSON.stringify(strMap(s.labels))} selects no pods of Service "${ref.name}" in namespace "${ref.namespace}"`,
      'give the subset labels that the pods of the app\'s workload carry, or deploy the workload it names'));
}

/** The pod port a Service port sends to: a number and the names of the container ports that have it. */
interface PodPort {
  readonly number?: number;
  readonly names: readonly string[];
}

function targetPort(w: K8sObject, servicePort: unknown): PodPort {
  const target = at(servicePort, 'targetPort') ?? at(servicePort, 'port');
  const ports = asArray(podSpec(w)?.containers).flatMap((c) => asArray(at(c, 'ports')));
  if (typeof target === 'string') {
    const found = ports.find((p) => at(p, 'name') === target);
    const number = at(found, 'containerPort');
    return { number: typeof number === 'number' ? number : undefined, names: [target] };
  }
  const number = typeof target === 'number' ? target : undefined;
  return { number, names: ports.filter((p) => at(p, 'containerPort') === number).map((p) => asString(at(p, 'name'))).filter((n): n is string => n !== undefined) };
}

/** Whether the NetworkPolicies of a workload's namespace let a pod of namespace `from` reach its pods on the port. */
function admits(ctx: RuleContext, w: K8sObject, from: string, port: PodPort): boolean {
  const labels = podLabels(w);
  const policies = inNamespace(ctx, w, 'NetworkPolicy').filter((p) => labelSelectorMatches(at(p.body, 'spec', 'podSelector'), labels) && policyTypes(p.body).has('Ingress'));
  if (policies.length === 0) return true;
  // Every namespace carries its name as a label; the output may give it more.
  const fromLabels = { ...namespaceLabels(ctx, w, from), 'kubernetes.io/metadata.name': from };
  return policies.some((p) =>
    asArray(at(p.body, 'spec', 'ingress')).some((rule) => portAdmitted(at(rule, 'ports'), port) && peerAdmitted(at(rule, 'from'), from, namespaceOf(ctx, p), fromLabels)),
  );
}

/** The labels of a Namespace object of the output, in the workload's cluster. */
function namespaceLabels(ctx: RuleContext, w: K8sObject, name: string): Record<string, string> {
  const ns = ctx.objects.find((o) => o.kind === 'Namespace' && o.name === name && clusterOf(ctx, o) === clusterOf(ctx, w));
  return ns ? strMap(at(ns.body, 'metadata', 'labels')) : {};
}

function portAdmitted(ports: unknown, port: PodPort): boolean {
  const list = asArray(ports);
  if (list.length === 0) return true;
  return list.some((p) => {
    if ((asString(at(p, 'protocol')) ?? 'TCP') !== 'TCP') return false;
    const value = at(p, 'port');
    const end = at(p, 'endPort');
    if (value === undefined) return true;
    if (typeof value === 'string') return port.names.includes(value);
    if (port.number === undefined || typeof value !== 'number') return false;
    return typeof end === 'number' ? port.number >= value && port.number <= end : port.number === value;
  });
}

/**
 * Whether a rule's peers admit a pod of namespace `from`. The gateway's own pod labels are not in
 * the output, so a podSelector beside a matching namespaceSelector is taken to admit it; an ipBlock is not.
 */
function peerAdmitted(peers: unknown, from: string, policyNamespace: string, fromLabels: Readonly<Record<string, string>>): boolean {
  const list = asArray(peers);
  if (list.length === 0) return true;
  return list.some((peer) => {
    const nsSelector = at(peer, 'namespaceSelector');
    if (nsSelector !== undefined) return labelSelectorMatches(nsSelector, fromLabels);
    return at(peer, 'podSelector') !== undefined && from === policyNamespace;
  });
}
