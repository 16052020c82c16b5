import { ArtifactRegistryRepositoryIamMember } from '@cdktf/provider-google/lib/artifact-registry-repository-iam-member';
import { ContainerCluster } from '@cdktf/provider-google/lib/container-cluster';
import { ContainerNodePool } from '@cdktf/provider-google/lib/container-node-pool';
import { GkeBackupBackupPlan } from '@cdktf/provider-google/lib/gke-backup-backup-plan';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { Construct } from 'constructs';
import { Checks } from '../model/checks';
import { type GcpRegion } from '../model/gcp-region';
import { gcpNaming } from '../model/gcp-resources';
import { WorkloadIdentity } from '../model/workload-identity';
import { Network } from './network';
import { GKE_DEFAULTS } from '../model/cluster';

/** An autoscaled node pool. */
export interface GkeNodePoolProps {
  /** @default 'e2-standard-4' */
  readonly machineType?: string;
  /** Nodes per zone at least. */
  readonly minNodes: number;
  /** Nodes per zone at most. */
  readonly maxNodes: number;
  /** @default 100 */
  readonly diskSizeGb?: number;
}

/** Props of {@link GkeCluster}. */
export interface GkeClusterProps {
  readonly name: string;
  readonly project: string;
  readonly region: GcpRegion;
  /** The network the cluster runs in; its VPN ranges alone may call the control plane. */
  readonly network: Network;
  /** The /28 of the control plane's private endpoint. */
  readonly controlPlaneCidr: string;
  readonly nodePool: GkeNodePoolProps;
  /**
   * @default 'REGULAR'
   * @see https://cloud.google.com/kubernetes-engine/docs/concepts/release-channels
   */
  readonly releaseChannel?: 'RAPID' | 'REGULAR' | 'STABLE';
  /**
   * Refuse `tofu destroy` of the cluster.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Start of the daily four-hour maintenance window, `HH:MM` in UTC.
   * @default '03:00'
   */
  readonly maintenanceStartTime?: string;
  /**
   * The namespaces Backup for GKE backs up, with their volumes and Secrets.
   * @default - every namespace
   */
  readonly backupNamespaces?: readonly string[];
  /**
   * Days each daily backup is kept.
   * @default 7
   * @see https://cloud.google.com/kubernetes-engine/docs/add-on/backup-for-gke/concepts/backup-plan
   */
  readonly backupRetainDays?: number;
  /**
   * Google Groups for RBAC: the `gke-security-groups@<domain>` group whose member groups
   * RoleBindings may name. Without it GKE does not resolve group memberships, and a RoleBinding
   * to a Google Group grants nothing.
   * @default - Google Groups for RBAC off
   * @see https://cloud.google.com/kubernetes-engine/docs/how-to/google-groups-rbac
   */
  readonly rbacSecurityGroup?: string;
  /**
   * Open GKE's DNS-based control plane endpoint, which IAM guards and which serves a publicly
   * trusted certificate: how an Argo CD on another cluster, in another VPC, reaches this one.
   * @default false
   * @see https://cloud.google.com/kubernetes-engine/docs/concepts/network-isolation
   */
  readonly dnsEndpoint?: boolean;
}

/** A repository's coordinates, for {@link GkeCluster.allowPullFrom}. */
export interface RepositoryRef {
  readonly project: string;
  readonly region: string;
  readonly repository: string;
}

const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

/**
 * A regional GKE Standard cluster with the secure defaults of a private cluster: nodes without
 * public IPs, a control plane reachable only from the VPN, Workload Identity, Dataplane V2 (which
 * enforces NetworkPolicies), shielded nodes running as a service account of their own, managed
 * node pools only, a maintenance window and a daily Backup for GKE plan.
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster
 */
export class GkeCluster extends Construct {
  public readonly cluster: ContainerCluster;
  /** The nodes' own least-privilege service account. */
  public readonly nodeServiceAccount: ServiceAccount;
  public readonly nodePool: ContainerNodePool;
  public readonly backupPlan: GkeBackupBackupPlan;
  /** `PROJECT.svc.id.goog`: the pool Kubernetes service accounts are members of. */
  public readonly workloadPool: string;

  constructor(scope: Construct, id: string, props: GkeClusterProps) {
    super(scope, id);
    const releaseChannel = props.releaseChannel ?? GKE_DEFAULTS.releaseChannel;
    const deletionProtection = props.deletionProtection ?? GKE_DEFAULTS.deletionProtection;
    const maintenanceStartTime = props.maintenanceStartTime ?? '03:00';
    const backupRetainDays = props.backupRetainDays ?? 7;
    const machineType = props.nodePool.machineType ?? GKE_DEFAULTS.machineType;
    const diskSizeGb = props.nodePool.diskSizeGb ?? GKE_DEFAULTS.diskSizeGb;
    const checks: Checks = new Checks();
    checks.intInRange('nodePool.minNodes', props.nodePool.minNodes, 0, 1000);
    checks.intInRange('nodePool.maxNodes', props.nodePool.maxNodes, Math.max(1, props.nodePool.minNodes), 1000);
    checks.intInRange('backupRetainDays', backupRetainDays, 1, 90);
    checks.require(props.network.vpnCidrs.length > 0, 'network.vpnCidrs', [], 'is empty: nobody could reach the control plane',
      'give the network the VPN ranges');
    this.workloadPool = WorkloadIdentity.workloadPool(props.project);

    this.cluster = new ContainerCluster(this, 'Resource', {
      name: props.name,
      location: props.region,
      network: props.network.id,
      subnetwork: props.network.subnet.id,
      // Node pools are managed below; GKE insists on a first pool, which is removed at once.
      removeDefaultNodePool: true,
      initialNodeCount: 1,
      deletionProtection,
      releaseChannel: { channel: releaseChannel },
      ipAllocationPolicy: { clusterSecondaryRangeName: Network.PODS_RANGE, servicesSecondaryRangeName: Network.SERVICES_RANGE },
      privateClusterConfig: { enablePrivateNodes: true, enablePrivateEndpoint: true, masterIpv4CidrBlock: props.controlPlaneCidr },
      masterAuthorizedNetworksConfig: {
        gcpPublicCidrsAccessEnabled: false,
        cidrBlocks: props.network.vpnCidrs.map((cidr) => ({ cidrBlock: cidr, displayName: 'vpn' })),
      },
      masterAuth: { clientCertificateConfig: { issueClientCertificate: false } },
      workloadIdentityConfig: { workloadPool: this.workloadPool },
      datapathProvider: 'ADVANCED_DATAPATH',
      enableShieldedNodes: true,
      enableLegacyAbac: false,
      addonsConfig: { gkeBackupAgentConfig: { enabled: true } },
      maintenancePolicy: { dailyMaintenanceWindow: { startTime: maintenanceStartTime } },
      ...(props.rbacSecurityGroup === undefined ? {} : { authenticatorGroupsConfig: { securityGroup: props.rbacSecurityGroup } }),
      ...(props.dnsEndpoint === true ? { controlPlaneEndpointsConfig: { dnsEndpointConfig: { allowExternalTraffic: true } } } : {}),
    });

    this.nodeServiceAccount = new ServiceAccount(this, 'NodeServiceAccount', {
      accountId: gcpNaming.nodeServiceAccount(props.name),
      displayName: `Nodes of GKE cluster ${props.name}`,
    });
    // Logs and metrics are all nodes write; images they read through allowPullFrom. The default
    // compute account, an Editor, is never used.
    new ProjectIamMember(this, 'NodeRole', {
      project: props.project,
      role: 'roles/container.defaultNodeServiceAccount',
      member: this.nodeServiceAccount.member,
    });

    this.nodePool = new ContainerNodePool(this, 'NodePool', {
      name: 'primary',
      cluster: this.cluster.id,
      location: props.region,
      autoscaling: { minNodeCount: props.nodePool.minNodes, maxNodeCount: props.nodePool.maxNodes },
      management: { autoRepair: true, autoUpgrade: true },
      upgradeSettings: { maxSurge: 1, maxUnavailable: 0 },
      nodeConfig: {
        machineType,
        diskSizeGb,
        diskType: 'pd-balanced',
        imageType: 'COS_CONTAINERD',
        serviceAccount: this.nodeServiceAccount.email,
        // Access is decided by IAM roles; the scope only stops being a second, coarser gate.
        oauthScopes: [CLOUD_PLATFORM_SCOPE],
        shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
        // Pods see the GKE metadata server, never the node's credentials.
        workloadMetadataConfig: { mode: 'GKE_METADATA' },
      },
    });

    const namespaces = props.backupNamespaces;
    this.backupPlan = new GkeBackupBackupPlan(this, 'Backup', {
      name: `${props.name}-daily`,
      cluster: this.cluster.id,
      location: props.region,
      retentionPolicy: { backupRetainDays },
      backupSchedule: { cronSchedule: '0 1 * * *' },
      backupConfig: {
        includeVolumeData: true,
        includeSecrets: true,
        ...(namespaces === undefined ? { allNamespaces: true } : { selectedNamespaces: { namespaces: [...namespaces] } }),
      },
    });
  }

  /** Lets the nodes pull images from an Artifact Registry repository, in any project. */
  public allowPullFrom(repository: RepositoryRef): ArtifactRegistryRepositoryIamMember {
    return new ArtifactRegistryRepositoryIamMember(this, 'RegistryReader', {
      project: repository.project,
      location: repository.region,
      repository: repository.repository,
      role: 'roles/artifactregistry.reader',
      member: this.nodeServiceAccount.member,
    });
  }
}
