import { GKE_INGRESS_CLASS, GKE_STATIC_IP_ANNOTATIONS } from '../../k8s/exposure/app-ingress';
import { HTTP01_OVERRIDE_INGRESS_ANNOTATION } from '../../k8s/exposure/certificate';
import { asArray, asNumber, asString, at, isRecord, strMap, type JsonRecord } from '../../manifest/json-access';
import { gkeBackend, http01SolverAdmitted } from './host-path-controllers';
import { ingressClass } from './ingress';
import { clusterOf, finding, type Finding, inNamespace, type K8sObject, namespaceOf, resources, type RuleContext, type TfStack } from './types';

const RULE = 'join-host-path';

/** How a host enters: which address kind its DNS record must name, and which challenges can prove it. */
interface Door {
  readonly o: K8sObject;
  readonly host: string;
  /** The Terraform address type and, for an Ingress, the address name it binds. */
  readonly address: { readonly type: 'google_compute_global_address' | 'google_compute_address'; readonly addressType: 'EXTERNAL' | 'INTERNAL'; readonly name?: string };
  readonly zoneVisibility: 'public' | 'private';
  /** The namespace and name of the TLS Secret, for HTTPS doors. */
  readonly secret?: { readonly namespace: string; readonly name: string };
  /** An HTTP-01 solver can answer for the host on this Ingress (a public GKE Ingress). */
  readonly http01Ingress?: string;
}

/**
 * Every host the output serves has a complete path, as GKE, Istio and cert-manager will act on it:
 * (i) a Terraform A record for it, in a zone of the right visibility, names a reserved address of the
 * right kind (global external for a `gce` Ingress and the one it names, regional internal for a
 * `gce-internal` Ingress and the one it names, regional external for an Istio Gateway);
 * (ii) a Certificate in the namespace the TLS secret is read from (the Ingress's; the Gateway's for
 * `credentialName`) covers the host, writes that secret, and names a ClusterIssuer of the output
 * that can solve for it: HTTP-01 only on a public GKE Ingress named in
 * `acme.cert-manager.io/http01-override-ingress-name`, DNS-01 with a solver whose `dnsZones` covers it;
 * (iii) the Ingress backend, or a VirtualService bound to the Gateway for the host, routes to a
 * Service that exists.
 * @see https://cert-manager.io/docs/configuration/acme/#dns-zones
 * @see https://istio.io/latest/docs/reference/config/networking/gateway/#ServerTLSSettings
 */
export function joinHostPath(ctx: RuleContext): Finding[] {
  const doors = [...ctx.objects.filter((o) => o.kind === 'Ingress').flatMap(ingressDoors), ...ctx.objects.filter((o) => o.kind === 'Gateway').flatMap((g) => gatewayDoors(ctx, g))];
  // A tree without Terraform stacks (a Kubernetes-only check) has no DNS to join.
  return [
    ...doors.flatMap((d) => [...(ctx.stacks.length === 0 ? [] : dns(ctx, d)), ...tls(ctx, d), ...route(ctx, d)]),
    ...ctx.objects.filter((o) => o.kind === 'VirtualService').flatMap((vs) => boundGateways(ctx, vs)),
  ];
}

/**
 * A VirtualService bound to a gateway (other than `mesh`) for an external host is served only if
 * that Gateway exists on its cluster and has a server for the host; else Istio has no listener for
 * it, and the host has no entry point at all.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#VirtualService
 */
function boundGateways(ctx: RuleContext, vs: K8sObject): Finding[] {
  const ns = namespaceOf(ctx, vs);
  const cluster = clusterOf(ctx, vs);
  const hosts = asArray(at(vs.body, 'spec', 'hosts')).filter((h): h is string => typeof h === 'string' && h.includes('.') && !/\.svc(\.cluster\.local)?$/.test(h));
  return asArray(at(vs.body, 'spec', 'gateways')).filter((g): g is string => typeof g === 'string' && g !== 'mesh').flatMap((ref) => {
    const [gwNs, gwName] = ref.includes('/') ? ref.split('/', 2) : [ns, ref];
    const gateway = ctx.objects.find((o) => o.kind === 'Gateway' && o.name === gwName && namespaceOf(ctx, o) === gwNs && clusterOf(ctx, o) === cluster);
    const served = (host: string): boolean => asArray(at(gateway?.body, 'spec', 'servers'))
      .some((s) => asArray(at(s, 'hosts')).some((h) => typeof h === 'string' && (h === host || h === '*' || h.endsWith(`/${host}`) || h.endsWith('/*'))));
    return hosts.filter((h) => gateway === undefined || !served(h)).map((h) => finding(vs, RULE,
      gateway === undefined ? `binds host "${h}" to gateway "${gwNs}/${gwName}", which the output does not define on its cluster` : `binds host "${h}" to gateway "${gwNs}/${gwName}", which has no server for it`,
      'emit the Gateway from the environment\'s progressiveDelivery (Platform.traffic) with a server for every host that enters through it'));
  });
}

function ingressDoors(o: K8sObject): Door[] {
  const cls = ingressClass(o);
  if (cls !== GKE_INGRESS_CLASS.external && cls !== GKE_INGRESS_CLASS.internal) return [];
  const annotations = strMap(at(o.body, 'metadata', 'annotations'));
  const tlsEntries = asArray(at(o.body, 'spec', 'tls'));
  return asArray(at(o.body, 'spec', 'rules')).map((r) => asString(at(r, 'host'))).filter((h): h is string => h !== undefined).map((host): Door => {
    const secretName = asString(at(tlsEntries.find((t) => asArray(at(t, 'hosts')).includes(host)), 'secretName'));
    const secret = secretName === undefined ? undefined : { namespace: o.namespace ?? '', name: secretName };
    return cls === GKE_INGRESS_CLASS.external
      ? { o, host, address: { type: 'google_compute_global_address', addressType: 'EXTERNAL', name: annotations[GKE_STATIC_IP_ANNOTATIONS.global] }, zoneVisibility: 'public', secret, http01Ingress: o.name }
      : { o, host, address: { type: 'google_compute_address', addressType: 'INTERNAL', name: annotations[GKE_STATIC_IP_ANNOTATIONS.regional] }, zoneVisibility: 'private', secret };
  });
}

function gatewayDoors(ctx: RuleContext, g: K8sObject): Door[] {
  const ns = namespaceOf(ctx, g);
  const servers = asArray(at(g.body, 'spec', 'servers'));
  const hostOf = (h: string): string => (h.includes('/') ? h.slice(h.indexOf('/') + 1) : h);
  const hosts = [...new Set(servers.flatMap((s) => asArray(at(s, 'hosts')).filter((h): h is string => typeof h === 'string').map(hostOf)))];
  return hosts.map((host): Door => {
    const https = servers.find((s) => asString(at(s, 'port', 'protocol')) === 'HTTPS' && asArray(at(s, 'hosts')).some((h) => typeof h === 'string' && hostOf(h) === host));
    return {
      o: g,
      host,
      address: { type: 'google_compute_address', addressType: 'EXTERNAL' },
      zoneVisibility: 'public',
      secret: https === undefined ? undefined : { namespace: ns, name: asString(at(https, 'tls', 'credentialName')) ?? '' },
    };
  });
}

/** `${google_compute_address.name.address}` → [type, resource name]. */
const TOKEN = /^\$\{(google_compute_global_address|google_compute_address)\.([^.}]+)\.address\}$/;

function dns(ctx: RuleContext, d: Door): Finding[] {
  const records = ctx.stacks.flatMap((s) => resources(s, 'google_dns_record_set').map(([, r]) => ({ s, r })))
    .filter(({ r }) => r.name === `${d.host}.` && r.type === 'A');
  const what = d.address.addressType === 'INTERNAL' ? 'a regional internal address' : d.address.type === 'google_compute_global_address' ? 'a global address' : 'a regional external address';
  const named = d.address.name === undefined ? '' : ` named "${d.address.name}"`;
  const ok = records.some(({ s, r }) => zoneVisibility(s, r) === d.zoneVisibility && asArray(r.rrdatas).some((v) => {
    const m = TOKEN.exec(asString(v) ?? '');
    if (!m || m[1] !== d.address.type) return false;
    const addr = resources(s, m[1]).find(([k]) => k === m[2])?.[1];
    return addr !== undefined && (asString(addr.address_type) ?? 'EXTERNAL') === d.address.addressType && (d.address.name === undefined || addr.name === d.address.name);
  }));
  return ok ? [] : [finding(d.o, RULE, `serves host "${d.host}", which no ${d.zoneVisibility} Terraform A record points at ${what}${named}`,
    `give the app its reserved address and DNS record from the model (Platform.traffic), and keep the ${d.o.kind}'s address as the model names it`)];
}

function zoneVisibility(stack: TfStack, record: JsonRecord): string | undefined {
  const m = /^\$\{google_dns_managed_zone\.([^.}]+)\.name\}$/.exec(asString(record.managed_zone) ?? '');
  const zone = m ? resources(stack, 'google_dns_managed_zone').find(([k]) => k === m[1])?.[1] : undefined;
  return zone === undefined ? undefined : asString(zone.visibility) ?? 'public';
}

function tls(ctx: RuleContext, d: Door): Finding[] {
  if (d.secret === undefined) {
    return d.o.kind === 'Ingress' ? [finding(d.o, RULE, `serves host "${d.host}" without TLS`, `add "${d.host}" to spec.tls with the Secret its Certificate writes`)] : [];
  }
  const { namespace, name } = d.secret;
  const certs = inNamespace(ctx, d.o, 'Certificate', namespace || namespaceOf(ctx, d.o))
    .filter((c) => asString(at(c.body, 'spec', 'secretName')) === name && asArray(at(c.body, 'spec', 'dnsNames')).some((n) => covers(asString(n) ?? '', d.host)));
  if (certs.length === 0) {
    return [finding(d.o, RULE, `reads the TLS secret "${name}" for host "${d.host}", but no Certificate in namespace "${namespace || namespaceOf(ctx, d.o)}" covers the host and writes that secret`,
      'create the Certificate in the namespace where the secret is read (the Gateway\'s for credentialName), for the host, with that secretName')];
  }
  const verdicts = certs.map((c) => issuerVerdict(ctx, d, c));
  // (iv) an HTTP-01 solver pod must be reachable through the namespace's default-deny policy.
  if (verdicts.some((v) => v.problem === undefined)) return verdicts.some((v) => v.problem === undefined && v.http01) ? http01SolverAdmitted(ctx, d.o, d.host) : [];
  return [finding(d.o, RULE, `host "${d.host}": ${verdicts[0].problem ?? ''}`,
    'name a ClusterIssuer that can solve for the host: HTTP-01 only on a public GKE Ingress (with the in-place annotations), else DNS-01 with a solver for the host\'s zone')];
}

/**
 * Why the Certificate's issuer cannot prove the host (`problem`), or, when it can, whether it answers
 * HTTP-01 for it (no DNS-01 solver of it covers the host).
 */
function issuerVerdict(ctx: RuleContext, d: Door, cert: K8sObject): { readonly problem?: string; readonly http01: boolean } {
  const ref = at(cert.body, 'spec', 'issuerRef');
  const issuerName = asString(at(ref, 'name')) ?? '';
  if (asString(at(ref, 'kind')) !== 'ClusterIssuer') return { problem: `Certificate "${cert.name}" names no ClusterIssuer`, http01: false };
  const cluster = clusterOf(ctx, cert);
  const issuer = ctx.objects.find((o) => o.kind === 'ClusterIssuer' && o.name === issuerName && clusterOf(ctx, o) === cluster);
  if (!issuer) return { problem: `Certificate "${cert.name}" names ClusterIssuer "${issuerName}", which the output does not define for its cluster`, http01: false };
  const solvers = asArray(at(issuer.body, 'spec', 'acme', 'solvers')).filter(isRecord);
  const dnsOk = solvers.some((s) => s.dns01 !== undefined && solverCovers(s, d.host));
  const httpOk = d.http01Ingress !== undefined && strMap(at(cert.body, 'metadata', 'annotations'))[HTTP01_OVERRIDE_INGRESS_ANNOTATION] === d.http01Ingress
    && solvers.some((s) => s.http01 !== undefined && solverCovers(s, d.host));
  if (dnsOk || httpOk) return { http01: !dnsOk };
  return {
    problem: d.http01Ingress === undefined || !solvers.some((s) => s.http01 !== undefined)
      ? `ClusterIssuer "${issuerName}" has no DNS-01 solver whose dnsZones cover it${d.http01Ingress === undefined ? ', and HTTP-01 cannot reach it' : ''}`
      : `Certificate "${cert.name}" would solve HTTP-01 on a new Ingress with its own IP, not on Ingress "${d.http01Ingress}" (set ${HTTP01_OVERRIDE_INGRESS_ANNOTATION})`,
    http01: false,
  };
}

/** A solver with no selector takes every name; `dnsZones` takes the zone and its subdomains. */
function solverCovers(solver: JsonRecord, host: string): boolean {
  const zones = asArray(at(solver, 'selector', 'dnsZones')).filter((z): z is string => typeof z === 'string');
  const names = asArray(at(solver, 'selector', 'dnsNames')).filter((z): z is string => typeof z === 'string');
  if (zones.length === 0 && names.length === 0) return at(solver, 'selector', 'matchLabels') === undefined;
  return names.includes(host) || zones.some((z) => host === z || host.endsWith(`.${z}`));
}

function covers(name: string, host: string): boolean {
  if (name.startsWith('*.')) return host.endsWith(name.slice(1)) && !host.slice(0, host.length - name.length + 1).includes('.');
  return name === host;
}

function route(ctx: RuleContext, d: Door): Finding[] {
  if (d.o.kind === 'Ingress') {
    const rule = asArray(at(d.o.body, 'spec', 'rules')).find((r) => asString(at(r, 'host')) === d.host);
    const backends = asArray(at(rule, 'http', 'paths')).map((p) => asString(at(p, 'backend', 'service', 'name'))).filter((n): n is string => n !== undefined);
    const missing = backends.length === 0 ? ['(none)'] : backends.filter((b) => !inNamespace(ctx, d.o, 'Service').some((s) => s.name === b));
    // (v) each Service behind the GKE Ingress: NEGs and an explicit health check at the readiness path.
    const services = asArray(at(rule, 'http', 'paths')).flatMap((p) => {
      const service = inNamespace(ctx, d.o, 'Service').find((s) => s.name === asString(at(p, 'backend', 'service', 'name')));
      return service === undefined ? [] : gkeBackend(ctx, d.o, service, asNumber(at(p, 'backend', 'service', 'port', 'number')));
    });
    return [...missing.map((b) => finding(d.o, RULE, `routes host "${d.host}" to Service "${b}", which does not exist in its namespace`, 'route the host to the app\'s Service')), ...services];
  }
  // An HTTP server that only redirects to HTTPS routes nowhere.
  const servers = asArray(at(d.o.body, 'spec', 'servers')).filter((s) => asArray(at(s, 'hosts')).some((h) => h === d.host || h === `*/${d.host}` || (typeof h === 'string' && h.endsWith(`/${d.host}`))));
  if (servers.every((s) => at(s, 'tls', 'httpsRedirect') === true)) return [];
  const gwNs = namespaceOf(ctx, d.o);
  const cluster = clusterOf(ctx, d.o);
  const bound = ctx.objects.filter((vs) => vs.kind === 'VirtualService' && clusterOf(ctx, vs) === cluster
    && asArray(at(vs.body, 'spec', 'hosts')).includes(d.host)
    && asArray(at(vs.body, 'spec', 'gateways')).some((g) => g === `${gwNs}/${d.o.name}` || (g === d.o.name && namespaceOf(ctx, vs) === gwNs)));
  const reaches = bound.some((vs) => {
    const ns = namespaceOf(ctx, vs);
    const dests = asArray(at(vs.body, 'spec', 'http')).flatMap((h) => asArray(at(h, 'route')).map((r) => asString(at(r, 'destination', 'host'))));
    return dests.length > 0 && dests.every((h) => {
      const m = /^([a-z0-9-]+)(?:\.([a-z0-9-]+)\.svc(?:\.cluster\.local)?)?$/.exec(h ?? '');
      return m !== null && inNamespace(ctx, vs, 'Service', m[2] ?? ns).some((s) => s.name === m[1]);
    });
  });
  return reaches ? [] : [finding(d.o, RULE, `serves host "${d.host}", but no VirtualService bound to gateway "${gwNs}/${d.o.name}" routes it to a Service that exists`,
    `bind the app's VirtualService to "${gwNs}/${d.o.name}" for "${d.host}" and route it to the app's Service`)];
}
