import { GKE_INGRESS_CLASS, GKE_STATIC_IP_ANNOTATIONS, INGRESS_CLASS_ANNOTATION } from '../../k8s/exposure/app-ingress';
import { asArray, asString, at, isRecord, strMap } from '../../manifest/json-access';
import { finding, type Finding, inNamespace, type K8sObject, namespaceOf, type RuleContext } from './types';

/**
 * The class GKE acts on: the `kubernetes.io/ingress.class` annotation. GKE ignores
 * `spec.ingressClassName`, and takes no action on an Ingress that sets only the field.
 * @see https://cloud.google.com/kubernetes-engine/docs/concepts/ingress#controller_summary
 */
export const ingressClass = (o: K8sObject): string | undefined => strMap(at(o.body, 'metadata', 'annotations'))[INGRESS_CLASS_ANNOTATION];

/** A finding for an Ingress GKE would ignore or the API server would refuse, else undefined. */
function classField(o: K8sObject): Finding | undefined {
  const field = asString(at(o.body, 'spec', 'ingressClassName'));
  if (field === undefined) return undefined;
  const cls = ingressClass(o);
  if (cls === undefined) {
    return finding(o, 'public-exposure', `sets spec.ingressClassName "${field}" without the kubernetes.io/ingress.class annotation: GKE takes no action on it, so no load balancer is made`,
      `remove spec.ingressClassName and set the annotation ${INGRESS_CLASS_ANNOTATION}: ${field === GKE_INGRESS_CLASS.internal ? GKE_INGRESS_CLASS.internal : GKE_INGRESS_CLASS.external}`);
  }
  return finding(o, 'public-exposure', 'sets both spec.ingressClassName and the kubernetes.io/ingress.class annotation, which the API server refuses',
    'remove spec.ingressClassName; GKE reads the annotation');
}

/** A public ingress (class `gce`) serves TLS for every host it routes. */
export function ingressTls(ctx: RuleContext): Finding[] {
  return ctx.objects
    .filter((o) => o.kind === 'Ingress' && ingressClass(o) === GKE_INGRESS_CLASS.external)
    .flatMap((o): Finding[] => {
      const tlsHosts = asArray(at(o.body, 'spec', 'tls')).flatMap((t) => asArray(at(t, 'hosts'))).filter((h): h is string => typeof h === 'string');
      const hosts = asArray(at(o.body, 'spec', 'rules')).map((r) => asString(at(r, 'host'))).filter((h): h is string => h !== undefined);
      if (tlsHosts.length === 0) return [finding(o, 'ingress-tls', 'is a public ingress (class gce) without TLS', 'give the ingress a spec.tls entry with a certificate secret for its hosts')];
      return hosts.filter((h) => !tlsHosts.includes(h))
        .map((h) => finding(o, 'ingress-tls', `is a public ingress and host "${h}" has no TLS`, `add "${h}" to spec.tls[].hosts`));
    });
}

/**
 * No internal app exposed publicly: no LoadBalancer Service; every Ingress names its class; a public
 * ingress (class `gce`) uses its reserved static IP and never serves a host under `internal.`.
 * An app reached through the Istio gateway (a VirtualService bound to it, no Ingress) has no Ingress
 * to check; and no Ingress may route to a Service whose traffic a VirtualService splits, since a GKE
 * Ingress sends to pod IPs directly, past the mesh and every weight of the split.
 */
export function publicExposure(ctx: RuleContext): Finding[] {
  return ctx.objects.flatMap((o): Finding[] => {
    if (o.kind === 'Service' && at(o.body, 'spec', 'type') === 'LoadBalancer') {
      return [finding(o, 'public-exposure', 'is a Service of type LoadBalancer', 'use type ClusterIP and expose the app through its Ingress (AppConfig.exposure)')];
    }
    if (o.kind !== 'Ingress') return [];
    const bypass = bypassedSplits(ctx, o);
    if (bypass.length > 0) return bypass;
    const ignored = classField(o);
    if (ignored) return [ignored];
    const cls = ingressClass(o);
    if (cls === undefined) {
      return [finding(o, 'public-exposure', 'names no ingress class: GKE makes it a public load balancer', 'set the annotation kubernetes.io/ingress.class to gce (public) or gce-internal')];
    }
    if (cls === GKE_INGRESS_CLASS.external && strMap(at(o.body, 'metadata', 'annotations'))[GKE_STATIC_IP_ANNOTATIONS.global] === undefined) {
      return [finding(o, 'public-exposure', 'is a public ingress (class gce) without the kubernetes.io/ingress.global-static-ip-name annotation', 'expose the app as public (AppConfig.exposure) so it gets its reserved static IP, or make the ingress gce-internal')];
    }
    if (cls !== GKE_INGRESS_CLASS.external) return [];
    return asArray(at(o.body, 'spec', 'rules'))
      .map((r) => asString(at(r, 'host')))
      .filter((h): h is string => h !== undefined && h.split('.').includes('internal'))
      .map((h) => finding(o, 'public-exposure', `is a public ingress (class gce) for internal host "${h}"`, 'keep an internal app on a gce-internal ingress (AppConfig.exposure type "internal")'));
  });
}

/** The Service names an Ingress routes to. */
const backendServices = (o: K8sObject): string[] =>
  [at(o.body, 'spec', 'defaultBackend'), ...asArray(at(o.body, 'spec', 'rules')).flatMap((r) => asArray(at(r, 'http', 'paths')).map((p) => at(p, 'backend')))]
    .map((b) => asString(at(b, 'service', 'name')))
    .filter((n): n is string => n !== undefined);

/** An Ingress that routes to a Service whose traffic a VirtualService of its namespace splits between subsets or hosts. */
function bypassedSplits(ctx: RuleContext, o: K8sObject): Finding[] {
  const ns = namespaceOf(ctx, o);
  return [...new Set(backendServices(o))].flatMap((svc) => {
    const splitting = inNamespace(ctx, o, 'VirtualService').find((vs) =>
      asArray(at(vs.body, 'spec', 'http')).some((h) => {
        const dests = asArray(at(h, 'route')).map((d) => at(d, 'destination')).filter(isRecord);
        const toSvc = dests.filter((d) => [svc, `${svc}.${ns}.svc`, `${svc}.${ns}.svc.cluster.local`].includes(asString(d.host) ?? ''));
        return toSvc.length > 0 && (dests.length > 1 || toSvc.some((d) => d.subset !== undefined));
      }));
    return splitting
      ? [finding(o, 'public-exposure', `routes to Service "${svc}", whose traffic VirtualService "${splitting.name}" splits: a GKE Ingress sends to pod IPs past the split`,
        'expose the app through the Istio gateway (its VirtualService bound to the gateway) and drop its Ingress')]
      : [];
  });
}
