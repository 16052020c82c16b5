import { GKE_SERVICE_ANNOTATIONS } from '../../k8s/exposure/app-ingress';
import { asArray, asNumber, asString, at, isRecord, strMap } from '../../manifest/json-access';
import { podLabels } from '../../manifest/workload';
import { GOOGLE_FRONT_END_RANGES } from '../../model/google-ranges';
import { HTTP01_SOLVER } from '../../model/traffic';
import { containers, finding, type Finding, inNamespace, type K8sObject, namespaceOf, type RuleContext, workloadsInNamespace } from './types';

const RULE = 'join-host-path';

/**
 * cert-manager's HTTP-01 solver pod runs in the Certificate's namespace, labelled
 * `acme.cert-manager.io/http01-solver: "true"`, on port 8089; under a default-deny policy Google's load
 * balancer reaches it only if a NetworkPolicy admits its ranges there.
 * @see https://cert-manager.io/docs/configuration/acme/http01/
 */
export function http01SolverAdmitted(ctx: RuleContext, ingress: K8sObject, host: string): Finding[] {
  const ns = namespaceOf(ctx, ingress);
  const admitted = (cidr: string): boolean => inNamespace(ctx, ingress, 'NetworkPolicy', ns).some((p) => {
    const types = asArray(at(p.body, 'spec', 'policyTypes'));
    if (types.length > 0 && !types.includes('Ingress')) return false;
    const selector = strMap(at(p.body, 'spec', 'podSelector', 'matchLabels'));
    if (at(p.body, 'spec', 'podSelector', 'matchExpressions') !== undefined) return false;
    if (!Object.entries(selector).every(([k, v]) => HTTP01_SOLVER.podLabels[k] === v)) return false;
    return asArray(at(p.body, 'spec', 'ingress')).some((rule) => {
      const from = asArray(at(rule, 'from'));
      const ports = asArray(at(rule, 'ports'));
      const portOk = ports.length === 0 || ports.some((q) => asNumber(at(q, 'port')) === HTTP01_SOLVER.port && (asString(at(q, 'protocol')) ?? 'TCP') === 'TCP');
      const fromOk = from.length === 0 || from.some((f) => asString(at(f, 'ipBlock', 'cidr')) === cidr || asString(at(f, 'ipBlock', 'cidr')) === '0.0.0.0/0');
      return portOk && fromOk;
    });
  });
  const missing = GOOGLE_FRONT_END_RANGES.filter((cidr) => !admitted(cidr));
  return missing.length === 0 ? [] : [finding(ingress, RULE,
    `host "${host}" solves HTTP-01, but no NetworkPolicy in namespace "${ns}" admits ${missing.join(', ')} to cert-manager's solver pods on ${HTTP01_SOLVER.port}`,
    `emit the namespace's ${HTTP01_SOLVER.policyName} NetworkPolicy (environment chart): from Google's load balancer ranges to pods labelled acme.cert-manager.io/http01-solver=true on TCP ${HTTP01_SOLVER.port}`)];
}

/**
 * A Service behind a GKE Ingress needs container-native load balancing (`cloud.google.com/neg`
 * `{"ingress": true}`), which gce-internal requires and GKE does not turn on by itself here, and a
 * BackendConfig whose explicit health check requests the pods' readiness path: with Istio's probe
 * rewrite GKE cannot infer it and checks `GET /`.
 * @see https://cloud.google.com/kubernetes-engine/docs/concepts/ingress#health_checks
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/container-native-load-balancing
 */
export function gkeBackend(ctx: RuleContext, ingress: K8sObject, service: K8sObject, port: number | undefined): Finding[] {
  const annotations = strMap(at(service.body, 'metadata', 'annotations'));
  const out: Finding[] = [];
  const neg = parseJson(annotations[GKE_SERVICE_ANNOTATIONS.neg]);
  if (!isRecord(neg) || neg.ingress !== true) {
    out.push(finding(ingress, RULE, `routes to Service "${service.name}", which does not use container-native load balancing`,
      `annotate Service "${service.name}" with ${GKE_SERVICE_ANNOTATIONS.neg}: '{"ingress": true}'`));
  }
  const ref = parseJson(annotations[GKE_SERVICE_ANNOTATIONS.backendConfig]);
  const name = asString(at(ref, 'ports', String(port ?? ''))) ?? asString(at(ref, 'default'));
  const config = name === undefined ? undefined : inNamespace(ctx, ingress, 'BackendConfig', namespaceOf(ctx, service)).find((b) => b.name === name);
  const path = asString(at(config?.body, 'spec', 'healthCheck', 'requestPath'));
  const selector = strMap(at(service.body, 'spec', 'selector'));
  const readiness = [...new Set(workloadsInNamespace(ctx, service)
    .filter((w) => Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => podLabels(w)[k] === v))
    .flatMap((w) => containers(w).filter((c) => !c.init).map((c) => asString(at(c.body, 'readinessProbe', 'httpGet', 'path'))))
    .filter((p): p is string => p !== undefined))];
  const fix = `give Service "${service.name}" ${GKE_SERVICE_ANNOTATIONS.backendConfig}: '{"default": "<name>"}' naming a BackendConfig whose spec.healthCheck is HTTP on the serving port at the pods' readiness path`;
  if (config === undefined) {
    out.push(finding(ingress, RULE, `routes to Service "${service.name}", which names no BackendConfig of its namespace: GKE would health-check GET / (Istio rewrites the readiness probe)`, fix));
  } else if (path === undefined || (readiness.length > 0 && !readiness.includes(path))) {
    out.push(finding(ingress, RULE, `routes to Service "${service.name}", whose BackendConfig "${config.name}" health-checks ${path ?? 'no explicit requestPath'}, not the pods' readiness path ${readiness.join(', ') || '(none)'}`, fix));
  }
  return out;
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
