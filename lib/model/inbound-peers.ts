import { type AppInstance } from './app-instance';
import { GOOGLE_FRONT_END_RANGES } from './google-ranges';
import { type Platform } from './platform';

/**
 * Istio's default trust domain: a workload's mesh identity is `<trust domain>/ns/<namespace>/sa/<KSA>`.
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/
 */
export const MESH_TRUST_DOMAIN = 'cluster.local';

/** The mesh identity (SPIFFE principal, without `spiffe://`) of the pods running as a Kubernetes service account. */
export function meshPrincipal(namespace: string, serviceAccount: string): string {
  return `${MESH_TRUST_DOMAIN}/ns/${namespace}/sa/${serviceAccount}`;
}

/** An app in the same namespace that calls this one. */
export interface InboundApp {
  /** The caller's app name: the pods' `app.kubernetes.io/name`. */
  readonly app: string;
  readonly ports: readonly number[];
  /**
   * The mesh identities of every workload of the caller in this namespace: one per environment that
   * shares it (`web`, `web-canary`), since each runs as its own KSA, named after the instance.
   */
  readonly principals: readonly string[];
}

/** A range that connects to the app, such as the load balancers'. Its traffic never carries a mesh identity. */
export interface InboundCidr {
  readonly cidr: string;
  readonly ports: readonly number[];
}

/** Pods of another namespace that connect to the app. */
export interface InboundNamespace {
  readonly namespace: string;
  readonly ports: readonly number[];
  /** True when the source has a sidecar and so a mesh identity (the Istio ingress gateway); false when it sends plaintext (Prometheus). */
  readonly mesh: boolean;
}

/**
 * Everyone who may open a connection to an app's pods, and on which ports. The NetworkPolicy and the
 * Istio AuthorizationPolicy are both built from this one value, so the two layers cannot disagree.
 */
export interface InboundPeers {
  readonly apps: readonly InboundApp[];
  readonly cidrs: readonly InboundCidr[];
  readonly namespaces: readonly InboundNamespace[];
  /**
   * The ports that a source outside the mesh reaches (a range, or a namespace without sidecars), sorted:
   * those must accept plaintext where the namespace requires mTLS.
   */
  readonly plaintextPorts: readonly number[];
}

/** The port a named port of an app stands for, if the app has it. */
function portNamed(instance: AppInstance, name: string | undefined): number | undefined {
  return name === undefined ? undefined : instance.app.ports.find((p) => p.name === name)?.port;
}

/**
 * Who may call `instance`: apps that declare it in `needs.dependsOn` (on its serving port), Google's
 * load balancers (or the Istio gateway, for an app whose hosts enter through the mesh) for an app
 * exposed outside the cluster, and Prometheus on the metrics port.
 */
export function inboundPeers(instance: AppInstance, platform: Platform): InboundPeers {
  const { app, env } = instance;
  const exposure = app.exposure;
  const servingPort = exposure.type === 'none' ? undefined : portNamed(instance, exposure.port);
  const cluster = env.clusterConfig;
  // Every environment that runs in this namespace: the canary's pods sit beside production's.
  const neighbours = platform.namespaceSharers(env);
  const principalsOf = (caller: string): string[] =>
    neighbours
      .flatMap((e) => platform.instances(e).filter((i) => i.app.name === caller))
      .map((i) => meshPrincipal(env.namespace, i.name))
      .sort();
  const apps: InboundApp[] =
    servingPort === undefined
      ? []
      : platform.apps
          .filter((a) => (a.needs.dependsOn ?? []).includes(app.name))
          .map((a) => ({ app: a.name, ports: [servingPort], principals: principalsOf(a.name) }));

  const cidrs: InboundCidr[] = [];
  const namespaces: InboundNamespace[] = [];
  const external = servingPort !== undefined && (exposure.type === 'public' || exposure.type === 'internal');
  const gateway = env.mesh?.gateway;
  if (external && instance.meshIngress && gateway !== undefined) {
    namespaces.push({ namespace: gateway.namespace, ports: [servingPort], mesh: true });
  }
  const ingress = instance.ingress;
  if (ingress !== undefined && servingPort !== undefined) {
    const sources = ingress.kind === 'internal' && cluster.network.proxyOnlyCidr ? [cluster.network.proxyOnlyCidr, ...GOOGLE_FRONT_END_RANGES] : GOOGLE_FRONT_END_RANGES;
    cidrs.push(...sources.map((cidr) => ({ cidr, ports: [servingPort] })));
  }
  const metricsPort = portNamed(instance, app.kubernetes.metricsPort);
  // Prometheus runs without a sidecar and scrapes in plaintext.
  if (metricsPort !== undefined) namespaces.push({ namespace: platform.addons.monitoringNamespace, ports: [metricsPort], mesh: false });

  const plaintext = [...cidrs, ...namespaces.filter((n) => !n.mesh)].flatMap((p) => p.ports);
  return { apps, cidrs, namespaces, plaintextPorts: [...new Set(plaintext)].sort((a, b) => a - b) };
}
