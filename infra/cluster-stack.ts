import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { GcsBackend, TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { GkeCluster } from '../lib/gcp/gke-cluster';
import { Network } from '../lib/gcp/network';
import { enableProjectApis } from '../lib/gcp/project-apis';
import { PostgresDatabase } from '../lib/gcp/postgres-database';
import { DatabaseBackupJobs } from '../lib/gcp/database-backup-jobs';
import { PrivateDnsZone } from '../lib/gcp/private-dns-zone';
import { PrivateGoogleAccess } from '../lib/gcp/private-google-access';
import { RedisCache } from '../lib/gcp/redis-cache';
import { RegionalAddress } from '../lib/gcp/regional-address';
import { PlatformSecret } from '../lib/gcp/secret-manager-secret';
import { StaticIp } from '../lib/gcp/static-ip';
import { type Traffic } from '../lib/model/traffic';
import { ISTIO_WEBHOOK_PORT } from '../lib/model/mesh-sidecar';
import { TrafficResources } from './traffic-resources';
import { WorkloadServiceAccount } from '../lib/gcp/workload-service-account';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { ServiceAccountIamMember } from '@cdktf/provider-google/lib/service-account-iam-member';
import { WorkloadIdentity } from '../lib/model/workload-identity';
import { ARGOCD_CLUSTER_CLIENTS } from '../lib/model/argocd';
import { type RegistryConfig, type StateConfig } from '../lib/model/config';
import { gcpNaming } from '../lib/model/gcp-resources';
import { databaseOwnerSql, databaseOwnerships } from '../lib/model/database-owner';
import { type AppInstance } from '../lib/model/app-instance';
import { type Cluster } from '../lib/model/cluster';
import { type NamespaceSecretStore } from '../lib/model/secret-store';
import { PlatformStack } from './platform-stack';
import { pinTofu } from './versions';

/** Props of {@link ClusterStack}. */
export interface ClusterStackProps {
  /** The platform's name, which names the private DNS domain. */
  readonly platform: string;
  readonly cluster: Cluster;
  readonly state: StateConfig;
  /** The state prefix in the bucket, unique per stack. */
  readonly statePrefix: string;
  /** The repository the nodes pull images from. */
  readonly registry: RegistryConfig;
  /** Every app in every environment that runs on this cluster. */
  readonly instances: readonly AppInstance[];
  /** The platform's zones, records and gateways; the stack makes those of its cluster. */
  readonly traffic: Traffic;
  /** The secret store of each namespace on this cluster, with the secrets it reads. */
  readonly secretStores: readonly NamespaceSecretStore[];
  /**
   * Argo CD across clusters (docs/argocd.md): the identity of the Argo CD running here when it
   * manages remote clusters, and the identities of the Argo CDs on other clusters that manage this one.
   * @default - neither: this cluster's own Argo CD manages it in-cluster
   */
  readonly argocd?: { readonly identity?: WorkloadIdentity; readonly managers: readonly WorkloadIdentity[] };
}

/** One GKE cluster, its network and everything its environments' apps need in GCP. */
export class ClusterStack extends PlatformStack {
  constructor(scope: Construct, id: string, props: ClusterStackProps) {
    super(scope, id);
    const { cluster, instances } = props;
    pinTofu(this);
    new GcsBackend(this, { bucket: props.state.bucket, prefix: props.statePrefix });
    new GoogleProvider(this, 'google', { project: cluster.project, region: cluster.region });

    const network = new Network(this, 'Network', {
      name: cluster.name,
      region: cluster.region,
      nodesCidr: cluster.network.nodesCidr,
      podsCidr: cluster.network.podsCidr,
      servicesCidr: cluster.network.servicesCidr,
      vpnCidrs: cluster.network.vpnCidrs,
      privateServicesCidr: cluster.network.privateServicesCidr,
      proxyOnlyCidr: cluster.network.proxyOnlyCidr,
    });
    const gke = new GkeCluster(this, 'Cluster', {
      name: cluster.name,
      project: cluster.project,
      region: cluster.region,
      network,
      controlPlaneCidr: cluster.network.controlPlaneCidr,
      nodePool: cluster.nodePool,
      releaseChannel: cluster.releaseChannel,
      deletionProtection: cluster.deletionProtection,
      maintenanceStartTime: cluster.maintenanceStartTime,
      backupNamespaces: unique(cluster.environments.map((e) => e.namespace)),
      rbacSecurityGroup: cluster.rbacSecurityGroup,
      dnsEndpoint: (props.argocd?.managers.length ?? 0) > 0,
    });
    this.argocdAccess(props, gke);
    gke.allowPullFrom(props.registry);

    const nodes = gke.nodeServiceAccount.email;
    const servingPorts = unique(instances.flatMap((i) => servingPort(i, ['public', 'internal'])));
    const vpnPorts = unique(instances.flatMap((i) => servingPort(i, ['internal'])));
    if (servingPorts.length > 0) network.allowHealthChecks({ ports: servingPorts, serviceAccount: nodes });
    if (vpnPorts.length > 0) network.allowVpn({ ports: vpnPorts, serviceAccount: nodes });
    // Istio's injection webhook on a meshed cluster: without it no pod of a meshed namespace is admitted.
    if (cluster.environments.some((e) => e.mesh !== undefined)) {
      network.allowControlPlaneWebhooks(cluster.network.controlPlaneCidr, { ports: [ISTIO_WEBHOOK_PORT], serviceAccount: nodes });
    }

    const outputs = this.appResources(props, network, gke);
    const traffic = new TrafficResources(this, 'Traffic', { cluster, traffic: props.traffic, network, gke, appAddresses: outputs.staticIps });
    // The Cloud SQL Auth Proxy reaches the Cloud SQL Admin API on this range alone (docs/data.md).
    if (instances.some((i) => i.gcp.database !== undefined)) new PrivateGoogleAccess(this, 'PrivateGoogleAccess', { network, name: cluster.name });

    const storeAccounts = this.secretStores(props.secretStores, gke);

    new TerraformOutput(this, 'cluster_name', { value: gke.cluster.name, description: 'The GKE cluster' });
    new TerraformOutput(this, 'cluster_location', { value: gke.cluster.location, description: 'The region of the GKE cluster' });
    new TerraformOutput(this, 'network', { value: network.vpc.selfLink, description: 'The cluster\'s VPC' });
    new TerraformOutput(this, 'workload_pool', { value: gke.workloadPool, description: 'The Workload Identity pool' });
    new TerraformOutput(this, 'node_service_account', { value: nodes, description: 'The nodes\' service account' });
    new TerraformOutput(this, 'secret_store_service_accounts', { value: storeAccounts, description: 'The account each namespace\'s secret store reads Secret Manager as, by namespace' });
    new TerraformOutput(this, 'static_ip_addresses', { value: { ...outputs.staticIps, ...traffic.gatewayAddresses }, description: 'Address of each reserved IP (apps\' Ingresses, Istio gateways), by name' });
    new TerraformOutput(this, 'dns_name_servers', { value: traffic.nameServers, description: 'Name servers of each public zone, by domain: delegate to them at the parent zone' });
    new TerraformOutput(this, 'cert_manager_service_account', { value: traffic.certManager.account.email, description: 'The account cert-manager solves DNS-01 as' });
    new TerraformOutput(this, 'database_connection_names', { value: outputs.databases, description: 'Cloud SQL connection name of each instance' });
    // Terraform cannot run SQL: the owner role of each database is set up once by hand (docs/data.md).
    const owners = databaseOwnerships(instances.map((i) => i.gcp));
    if (owners.length > 0) {
      new TerraformOutput(this, 'database_owner_sql', {
        value: owners.map(databaseOwnerSql).join('\n\n'),
        description: 'SQL to run once per database as postgres: the owner role, granted to every IAM user of the database',
      });
    }
    if (Object.keys(outputs.dumpBuckets).length > 0) {
      new TerraformOutput(this, 'database_dump_buckets', { value: outputs.dumpBuckets, description: 'The bucket of each production database\'s monthly dumps (docs/backups.md)' });
    }
    new TerraformOutput(this, 'redis_hosts', { value: outputs.caches, description: 'IP behind each Redis host name' });
    // Last, so that it sees every resource of the stack.
    enableProjectApis(this, cluster.project);
  }

  /**
   * Each namespace's secret store account, and each secret the namespace reads, readable by that
   * account alone: dev's store cannot read stage's secrets on their shared cluster. No role is
   * granted on the project. The environment charts annotate the stores' KSAs with these accounts.
   */
  private secretStores(stores: readonly NamespaceSecretStore[], cluster: GkeCluster): Record<string, string> {
    const accounts = new Construct(this, 'SecretStores');
    const secrets = new Construct(this, 'Secrets');
    const emails: Record<string, string> = {};
    for (const store of stores) {
      const account = new WorkloadServiceAccount(accounts, store.identity.accountId, { identity: store.identity, cluster });
      emails[store.namespace] = store.identity.email;
      for (const secretId of store.secretIds) {
        const secret = new PlatformSecret(secrets, secretId, { project: store.project, secretId, labels: { namespace: store.namespace } });
        secret.grantAccess(account);
      }
    }
    return emails;
  }

  /** Identity, database, cache and static IP of every app in every environment of the cluster. */
  private appResources(props: ClusterStackProps, network: Network, cluster: GkeCluster): AppOutputs {
    const identities = new Construct(this, 'Identities');
    const databases = new Construct(this, 'Databases');
    const caches = new Construct(this, 'Caches');
    const staticIps = new Construct(this, 'StaticIps');
    const outputs: AppOutputs = { staticIps: {}, databases: {}, caches: {}, dumpBuckets: {} };
    let backupJobs: Construct | undefined;
    let zone: PrivateDnsZone | undefined;

    // Owners first: an environment that uses another's data (the canary) is granted on its instance.
    const owned = new Map<string, PostgresDatabase>();
    const ordered = [...props.instances.filter((i) => i.gcp.ownsData), ...props.instances.filter((i) => !i.gcp.ownsData)];
    for (const { app, env, gcp, backups } of ordered) {
      const account = gcp.identity && new WorkloadServiceAccount(identities, gcp.identity.accountId, { identity: gcp.identity, cluster });
      if (gcp.database && gcp.ownsData) {
        const ref = gcp.database;
        const database = new PostgresDatabase(databases, ref.instanceName, {
          ...env.database,
          project: env.project,
          region: env.region,
          instanceName: ref.instanceName,
          databaseName: ref.databaseName,
          version: app.needs.database?.version,
          network,
        });
        if (account) database.grantConnect(account);
        // Production's databases only: the model sets `backups` there alone (docs/backups.md).
        if (backups) {
          backupJobs ??= new Construct(this, 'Backups');
          const jobs = new DatabaseBackupJobs(backupJobs, ref.instanceName, { backups, database, cluster });
          outputs.dumpBuckets[ref.instanceName] = jobs.bucket.url;
        }
        owned.set(ref.instanceName, database);
        outputs.databases[ref.instanceName] = database.instance.connectionName;
      } else if (gcp.database && account) {
        const database = owned.get(gcp.database.instanceName);
        if (database === undefined) {
          throw new Error(`${app.name} in env "${env.name}": its database instance "${gcp.database.instanceName}" is not on cluster "${props.cluster.name}"; fix: run env "${env.name}" on the cluster of the environment that owns its data`);
        }
        database.grantConnect(account, new Construct(databases, account.identity.accountId));
      }
      if (gcp.cache && gcp.ownsData) {
        const ref = gcp.cache;
        zone ??= new PrivateDnsZone(this, 'InternalDns', {
          name: gcpNaming.serviceZone(props.platform),
          domain: gcpNaming.serviceDomain(props.platform),
          network,
        });
        const cache = new RedisCache(caches, ref.instanceName, {
          ...env.cache,
          region: env.region,
          instanceName: ref.instanceName,
          network,
          zone,
          host: ref.host,
          memoryGb: app.needs.cache?.memoryGb,
        });
        outputs.caches[ref.host] = cache.address;
      }
      const ipRef = gcp.staticIp;
      if (ipRef && outputs.staticIps[ipRef.name] === undefined) {
        const address = ipRef.kind === 'global'
          ? new StaticIp(staticIps, ipRef.name, { name: ipRef.name }).address.address
          : new RegionalAddress(staticIps, ipRef.name, { name: ipRef.name, region: ipRef.region, internal: { network } }).address.address;
        outputs.staticIps[ipRef.name] = address;
      }
    }
    return outputs;
  }

  /**
   * The Argo CD here acts as its Google service account through Workload Identity (both its
   * application controller and its server talk to clusters), and an Argo CD that manages this
   * cluster from elsewhere gets the GKE role on this project: `argocd-k8s-auth gcp` then
   * authenticates with no stored credential.
   * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/declarative-setup/#gke
   */
  private argocdAccess(props: ClusterStackProps, gke: GkeCluster): void {
    const identity = props.argocd?.identity;
    if (identity !== undefined) {
      const account = new WorkloadServiceAccount(this, 'ArgoCd', { identity, cluster: gke });
      for (const ksa of ARGOCD_CLUSTER_CLIENTS.filter((k) => k !== identity.kubernetesServiceAccount.name)) {
        const other = new WorkloadIdentity(identity.project, identity.accountId, { namespace: identity.kubernetesServiceAccount.namespace, name: ksa });
        new ServiceAccountIamMember(account, `WorkloadIdentityUser-${ksa}`, {
          serviceAccountId: account.account.name, role: 'roles/iam.workloadIdentityUser', member: other.kubernetesMember, dependsOn: [gke.cluster],
        });
      }
      new TerraformOutput(this, 'argocd_service_account', { value: account.account.email, description: 'The account Argo CD reaches remote clusters as: annotate its controller\'s and server\'s KSAs with it' });
    }
    for (const manager of props.argocd?.managers ?? []) {
      // Kubernetes API objects in this project's clusters; the apps project needs no more.
      new ProjectIamMember(this, `ArgoCdManager-${manager.accountId}`, { project: props.cluster.project, role: 'roles/container.developer', member: manager.member });
    }
  }
}

/** Values of the stack's map outputs, keyed by the names both planes know. */
interface AppOutputs {
  readonly staticIps: Record<string, string>;
  readonly databases: Record<string, string>;
  readonly caches: Record<string, string>;
  readonly dumpBuckets: Record<string, string>;
}

/** The port number an app serves on, when its exposure is one of `types`. */
function servingPort(instance: AppInstance, types: readonly string[]): number[] {
  const exposure = instance.app.exposure;
  if (!types.includes(exposure.type) || exposure.type === 'none') return [];
  return instance.app.ports.filter((p) => p.name === exposure.port).map((p) => p.port);

}

function unique<T extends string | number>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
