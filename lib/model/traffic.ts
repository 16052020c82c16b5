import { type AppInstance } from './app-instance';
import { type Checks } from './checks';
import { type Environment } from './environment';
import { gcpNaming, type RegionalIpRef, type StaticIpRef } from './gcp-resources';
import { naming } from './naming';

/**
 * The ACME account the platform's ClusterIssuers register with.
 * @see https://cert-manager.io/docs/configuration/acme/
 */
export interface AcmeConfig {
  /** Where the CA sends expiry and account notices. */
  readonly email: string;
  /**
   * The ACME directory.
   * @default ACME_PRODUCTION - Let's Encrypt production
   */
  readonly server?: string;
}

/** Let's Encrypt's production directory. @see https://letsencrypt.org/docs/acme-protocol-updates/ */
export const ACME_PRODUCTION = 'https://acme-v02.api.letsencrypt.org/directory';

/**
 * The labels of the pods the istio/gateway Helm chart installs under release `istio-ingressgateway`:
 * `istio: <release name without "istio-">`.
 * @see https://github.com/istio/istio/blob/master/manifests/charts/gateway/templates/_helpers.tpl
 */
export const DEFAULT_GATEWAY_SELECTOR: Readonly<Record<string, string>> = { istio: 'ingressgateway' };

/** The names of the ClusterIssuers every cluster has. */
export const CLUSTER_ISSUERS = {
  /** HTTP-01 through the app's own GKE Ingress, edited in place: public hosts on a GKE Ingress. */
  http01: 'letsencrypt-http01',
  /** DNS-01 through Cloud DNS: internal hosts and the hosts on the Istio gateway. */
  dns01: 'letsencrypt-dns01',
} as const;

export type ChallengeType = keyof typeof CLUSTER_ISSUERS;

/** A public Cloud DNS zone: one per environment base domain and project (canary shares production's). */
export interface DnsZoneRef {
  /** The zone's resource name, unique in its project. */
  readonly name: string;
  /** The domain, without the trailing dot. */
  readonly domain: string;
  readonly project: string;
  /** The cluster whose Terraform stack owns the zone. */
  readonly cluster: string;
  /** Public zones are what Let's Encrypt resolves; private ones only the cluster's VPC sees. */
  readonly visibility: 'public' | 'private';
}

/** One host name and the address its A record points at. */
export interface HostRecord {
  readonly host: string;
  /** The public zone for public hosts, the private `internal.` zone for internal ones. */
  readonly zone: DnsZoneRef;
  readonly address: StaticIpRef;
}

/**
 * The Istio ingress gateway of an environment with progressive delivery: the Gateway object this
 * platform emits, and what the gateway's Deployment and Service (a cluster add-on) are installed with.
 */
export interface MeshGateway {
  readonly env: string;
  readonly cluster: string;
  /** The namespace of the Gateway object, its Certificate and the gateway's pods. */
  readonly namespace: string;
  readonly name: string;
  /** The labels of the gateway's pods, which the Gateway selects. */
  readonly selector: Readonly<Record<string, string>>;
  /** The regional external address the gateway's LoadBalancer Service binds. */
  readonly staticIp: RegionalIpRef;
  /** Every host that enters through the gateway, sorted. */
  readonly hosts: readonly string[];
  /** The Certificate (and its Secret, the servers' credentialName) in the gateway's namespace. */
  readonly tlsSecretName: string;
  /** The ClusterIssuer of that Certificate. */
  readonly issuer: string;
}

/** Everything that makes a host reachable: zones, records, issuers and gateways. */
export interface Traffic {
  readonly acme: Required<AcmeConfig>;
  readonly zones: readonly DnsZoneRef[];
  readonly records: readonly HostRecord[];
  readonly gateways: readonly MeshGateway[];
}

/**
 * What cert-manager runs to answer HTTP-01: a solver pod in the Certificate's namespace with this
 * label, listening on this port, reached through the path it adds to the Ingress.
 * @see https://github.com/cert-manager/cert-manager/blob/master/pkg/issuer/acme/http/http.go (acmeSolverListenPort)
 * @see https://github.com/cert-manager/cert-manager/blob/master/pkg/apis/acme/v1/types.go (SolverIdentificationLabelKey)
 */
export const HTTP01_SOLVER = {
  podLabels: { 'acme.cert-manager.io/http01-solver': 'true' } as Readonly<Record<string, string>>,
  port: 8089,
  pathPrefix: '/.well-known/acme-challenge/',
  /** The NetworkPolicy that lets Google's load balancer reach the solver pods. */
  policyName: 'acme-http01-solver',
} as const;

const ZONE_NAME_MAX = 63;

export function resolveTraffic(acme: AcmeConfig, environments: readonly Environment[],
  instances: (env: Environment) => readonly AppInstance[], checks: Checks): Traffic {
  checks.require(/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(acme.email), 'addons.acme.email', acme.email, 'is not an email address',
    'give the address the CA sends expiry notices to, such as platform@example.com');
  const server = acme.server ?? ACME_PRODUCTION;
  checks.require(/^https:\/\/[^\s]+$/.test(server), 'addons.acme.server', server, 'is not an https URL',
    `give an ACME directory URL such as ${ACME_PRODUCTION}`);
  const zones = new Map<string, DnsZoneRef>();
  const zoneOf = (env: Environment, domain: string, visibility: DnsZoneRef['visibility']): DnsZoneRef => {
    // A private zone is attached to one cluster's VPC; a public zone is one per project.
    const key = visibility === 'public' ? `${env.project} ${domain}` : `${env.cluster} ${domain}`;
    let zone = zones.get(key);
    if (zone === undefined) {
      const name = gcpNaming.dnsZone(domain);
      const envChecks: Checks = checks.within({ env: env.name });
      envChecks.require(name.length <= ZONE_NAME_MAX, 'baseDomain', env.baseDomain,
        `makes the Cloud DNS zone name "${name}" longer than ${ZONE_NAME_MAX} characters`, 'use a shorter base domain');
      zone = { name, domain, project: env.project, cluster: env.cluster, visibility };
      zones.set(key, zone);
    }
    return zone;
  };
  const records = new Map<string, HostRecord>();
  const gateways: MeshGateway[] = [];
  for (const env of environments) {
    const publicZone = zoneOf(env, env.baseDomain, 'public');
    const envInstances = instances(env);
    const gatewayHosts = [...new Set(envInstances.filter((i) => i.meshIngress && i.host !== undefined).map((i) => i.host as string))].sort();
    const envChecks: Checks = checks.within({ env: env.name });
    for (const i of envInstances) {
      envChecks.require(!(i.meshIngress && i.app.exposure.type === 'internal'), 'delivery', i.delivery.type,
        `makes internal app "${i.app.name}" enter through the Istio gateway, which is on the internet`,
        'give the internal app a delivery that keeps its GKE Ingress (rolling, blueGreen, or canary without a canary environment)');
      const ingress = i.ingress;
      if (ingress === undefined) continue;
      const zone = ingress.kind === 'internal' ? zoneOf(env, naming.internalHostDomain(env.baseDomain), 'private') : publicZone;
      records.set(`${env.cluster} ${ingress.host}`, { host: ingress.host, zone, address: ingress.staticIp });
    }
    if (env.progressive === undefined) continue;
    const { namespace, name } = env.progressive.gateway;
    const staticIp: RegionalIpRef = { kind: 'regional-external', name: gcpNaming.gatewayAddress(env.name), region: env.region };
    const gateway: MeshGateway = {
      env: env.name,
      cluster: env.cluster,
      namespace,
      name,
      selector: env.progressive.gatewaySelector,
      staticIp,
      hosts: gatewayHosts,
      tlsSecretName: naming.tls(name),
      issuer: CLUSTER_ISSUERS.dns01,
    };
    const clash = gateways.find((g) => g.cluster === gateway.cluster && g.namespace === namespace && g.name === name);
    envChecks.require(clash === undefined, 'progressiveDelivery.istioGateway', env.progressive.istioGateway,
      `is also the gateway of env "${clash?.env}" on cluster "${env.cluster}": both would emit it`,
      'give each environment with progressive delivery its own gateway name');
    gateways.push(gateway);
    for (const host of gatewayHosts) records.set(`${env.cluster} ${host}`, { host, zone: publicZone, address: staticIp });
  }
  return { acme: { email: acme.email, server }, zones: [...zones.values()], records: [...records.values()], gateways };
}
