import { type AlertRoutingPolicy, resolveAlertRouting } from './alert-routing';
import { type Checks } from './checks';
import type { Environment } from './environment';
import { cidrsOverlap, parseCidr, type Cidr } from './cidr';
import { type ClusterConfig, type NodePoolConfig } from './config';
import { GCP_REGIONS } from './gcp-region';
import { gcpNaming, SERVICE_ACCOUNT_ID } from './gcp-resources';
import { WorkloadIdentity } from './workload-identity';

/** The API server's address from inside its own cluster, where Argo CD runs by default. */
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

/** A GKE cluster's defaults: the model applies them to the config, and GkeCluster to its props. */
export const GKE_DEFAULTS = {
  releaseChannel: 'REGULAR',
  deletionProtection: true,
  machineType: 'e2-standard-4',
  diskSizeGb: 100,
} as const;

/** A cluster with its defaults applied and the environments that run on it. */
export interface Cluster extends ClusterConfig {
  readonly releaseChannel: 'RAPID' | 'REGULAR' | 'STABLE';
  readonly deletionProtection: boolean;
  /** The API server address its managing Argo CD uses: in-cluster unless another cluster's Argo CD manages it. */
  readonly argoServer: string;
  /** The cluster whose Argo CD manages this one: its own name by default. */
  readonly argocdManagedBy: string;
  readonly nodePool: Required<NodePoolConfig>;
  readonly environments: readonly Environment[];
  /** Where the alerts of the cluster's monitoring namespace go (nodes, disks, add-ons). */
  readonly alertRouting: AlertRoutingPolicy;
  /**
   * The identity cert-manager's controller solves DNS-01 challenges as: its KSA, bound to a Google
   * service account with the DNS role in the cluster's project.
   */
  readonly certManagerIdentity: WorkloadIdentity;
  /**
   * The security group of Google Groups for RBAC (`gke-security-groups@<domain>`), set on every
   * cluster whose RoleBindings name teams' groups.
   * @default - none: no RoleBinding on the cluster names a group
   */
  readonly rbacSecurityGroup?: string;
}

/** Resolves the clusters; `certManagerNamespace` is `Addons.certManagerNamespace`, defaulted there. */
export function resolveClusters(configs: readonly ClusterConfig[], checks: Checks, certManagerNamespace: string): Cluster[] {
  checks.require(configs.length > 0, 'clusters', [], 'is empty', 'declare at least one cluster');
  checks.unique('clusters[].name', configs.map((c) => c.name));
  const ranges: { owner: string; cidr: Cidr }[] = [];
  const resolved = configs.map((c): Cluster => {
    const at = `clusters.${c.name}`;
    checks.dnsLabel(`${at}.name`, c.name, 20);
    checks.oneOf(`${at}.region`, c.region, GCP_REGIONS);
    const pool = c.nodePool;
    checks.intInRange(`${at}.nodePool.minNodes`, pool.minNodes, 0, 1000);
    // GKE's boot disks: at least 10 GB, at most 64 TB (https://cloud.google.com/kubernetes-engine/docs/how-to/custom-boot-disks).
    if (pool.diskSizeGb !== undefined) checks.intInRange(`${at}.nodePool.diskSizeGb`, pool.diskSizeGb, 10, 65536, 'give a whole number of GB from 10, such as 100');
    checks.intInRange(`${at}.nodePool.maxNodes`, pool.maxNodes, Math.max(1, pool.minNodes), 1000,
      `set maxNodes to at least minNodes (${pool.minNodes}) and at least 1`);
    const network = c.network;
    const entries: [string, string | undefined][] = [
      ['nodesCidr', network.nodesCidr],
      ['podsCidr', network.podsCidr],
      ['servicesCidr', network.servicesCidr],
      ['controlPlaneCidr', network.controlPlaneCidr],
      ['privateServicesCidr', network.privateServicesCidr],
      ['proxyOnlyCidr', network.proxyOnlyCidr],
    ];
    for (const [key, text] of entries) {
      if (text === undefined) continue;
      const field = `${at}.network.${key}`;
      const cidr = parseCidr(text);
      if (cidr === undefined) {
        return checks.fail(field, text, 'is not an IPv4 CIDR with a zero host part', 'write it as a.b.c.d/n, such as 10.10.0.0/20');
      }
      const clash = ranges.find((r) => cidrsOverlap(r.cidr, cidr));
      if (clash) {
        checks.fail(field, text, `overlaps ${clash.owner} (${clash.cidr.text})`, 'give every subnet and cluster a range of its own');
      }
      ranges.push({ owner: field, cidr });
    }
    const controlPlane = parseCidr(network.controlPlaneCidr);
    checks.require(controlPlane?.prefix === 28, `${at}.network.controlPlaneCidr`, network.controlPlaneCidr,
      'is not a /28', 'GKE needs a /28 for the control plane, such as 172.16.0.0/28');
    if (c.maintenanceStartTime !== undefined) {
      checks.require(/^([01]\d|2[0-3]):[0-5]\d$/.test(c.maintenanceStartTime), `${at}.maintenanceStartTime`, c.maintenanceStartTime,
        'is not a time of day as HH:MM', 'write it as HH:MM in UTC, such as "03:00"');
    }
    // One account per cluster: two clusters in one project would otherwise create the same account in two stacks.
    const certManagerAccount = gcpNaming.certManagerAccount(c.name);
    checks.require(certManagerAccount.length <= SERVICE_ACCOUNT_ID.max, `${at}.name`, c.name,
      `makes cert-manager's Google service account id "${certManagerAccount}" longer than ${SERVICE_ACCOUNT_ID.max} characters`,
      `shorten the cluster name to at most ${SERVICE_ACCOUNT_ID.max - (certManagerAccount.length - c.name.length)} characters`);
    return {
      ...c,
      releaseChannel: c.releaseChannel ?? GKE_DEFAULTS.releaseChannel,
      deletionProtection: c.deletionProtection ?? GKE_DEFAULTS.deletionProtection,
      argoServer: c.argoServer ?? IN_CLUSTER_SERVER,
      argocdManagedBy: c.argocdManagedBy ?? c.name,
      nodePool: { machineType: GKE_DEFAULTS.machineType, diskSizeGb: GKE_DEFAULTS.diskSizeGb, ...pool },
      environments: [],
      alertRouting: resolveAlertRouting(c.alerts, `${at}.alerts`, checks),
      // The KSA the cert-manager Helm chart creates for its controller.
      certManagerIdentity: new WorkloadIdentity(c.project, certManagerAccount, { namespace: certManagerNamespace, name: 'cert-manager' }),
    };
  });
  checkArgoCdPlacement(configs, checks);
  // VPN ranges may be shared by clusters, but must not collide with any cluster's own ranges.
  for (const c of configs) {
    const field = `clusters.${c.name}.network.vpnCidrs`;
    checks.require(c.network.vpnCidrs.length > 0, field, [], 'is empty: nobody could reach the control plane',
      'list the ranges the VPN assigns, such as ["10.100.0.0/16"]');
    c.network.vpnCidrs.forEach((text, i) => {
      const cidr = parseCidr(text);
      if (cidr === undefined) {
        return checks.fail(`${field}[${i}]`, text, 'is not an IPv4 CIDR with a zero host part', 'write it as a.b.c.d/n, such as 10.100.0.0/16');
      }
      const clash = ranges.find((r) => cidrsOverlap(r.cidr, cidr));
      if (clash) {
        checks.fail(`${field}[${i}]`, text, `overlaps ${clash.owner} (${clash.cidr.text})`, 'give the VPN a range no cluster uses');
      }
    });
  }
  return resolved;
}

/** Each cluster is managed by its own Argo CD or by one that runs on a cluster managing itself. */
function checkArgoCdPlacement(configs: readonly ClusterConfig[], checks: Checks): void {
  const names = configs.map((c) => c.name);
  for (const c of configs) {
    const at = `clusters.${c.name}`;
    const by = c.argocdManagedBy ?? c.name;
    if (by === c.name) {
      checks.require(c.argoServer === undefined, `${at}.argoServer`, c.argoServer,
        'is set on a cluster its own Argo CD manages (in-cluster)', 'remove argoServer, or set argocdManagedBy to the cluster whose Argo CD manages this one');
      continue;
    }
    checks.oneOf(`${at}.argocdManagedBy`, by, names);
    const manager = configs.find((m) => m.name === by);
    checks.require(manager === undefined || (manager.argocdManagedBy ?? manager.name) === manager.name, `${at}.argocdManagedBy`, by,
      `names cluster "${by}", which another cluster's Argo CD manages`, `name a cluster that runs its own Argo CD`);
    checks.require(c.argoServer !== undefined && /^https:\/\/[^/\s]+$/.test(c.argoServer), `${at}.argoServer`, c.argoServer,
      `must be the https address of the API server, since Argo CD on "${by}" manages this cluster remotely`, "set it to the cluster's DNS-based control plane endpoint, such as https://gke-<id>.<region>.gke.goog");
  }
}
