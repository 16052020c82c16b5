import { ArtifactRegistryRepositoryIamMember } from '@cdktf/provider-google/lib/artifact-registry-repository-iam-member';
import { ContainerCluster } from '@cdktf/provider-google/lib/container-cluster';
import { ContainerNodePool } from '@cdktf/provider-google/lib/container-node-pool';
import { GkeBackupBackupPlan } from '@cdktf/provider-google/lib/gke-backup-backup-plan';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { Testing } from 'cdktf';
import { type GkeCluster, type GkeClusterProps } from '../../lib/gcp/gke-cluster';
import { onlyResource, resourcesOf, testCluster, testNetwork } from './fixtures';

const synth = (props: Partial<GkeClusterProps> = {}, extra?: (cluster: GkeCluster) => void): string =>
  Testing.synthScope((scope) => {
    const cluster = testCluster(scope, testNetwork(scope), props);
    extra?.(cluster);
  });
const ref = (type: string, attribute: string): unknown => expect.stringMatching(new RegExp(`^\\$\\{${type}\\.[a-z0-9_]+\\.${attribute}\\}$`, 'i'));

describe('GkeCluster', () => {
  const json = synth();

  test('is regional, in the network\'s subnet with its pod and Service ranges', () => {
    expect(json).toHaveResourceWithProperties(ContainerCluster, {
      name: 'nonprod',
      location: 'europe-west1',
      network: ref('google_compute_network', 'id'),
      subnetwork: ref('google_compute_subnetwork', 'id'),
      ip_allocation_policy: { cluster_secondary_range_name: 'pods', services_secondary_range_name: 'services' },
    });
  });

  test('has private nodes and a private control plane endpoint', () => {
    expect(json).toHaveResourceWithProperties(ContainerCluster, {
      private_cluster_config: { enable_private_nodes: true, enable_private_endpoint: true, master_ipv4_cidr_block: '172.16.0.0/28' },
    });
  });

  test('lets only the VPN ranges call the control plane', () => {
    expect(json).toHaveResourceWithProperties(ContainerCluster, {
      master_authorized_networks_config: {
        gcp_public_cidrs_access_enabled: false,
        cidr_blocks: [{ cidr_block: '10.100.0.0/16', display_name: 'vpn' }],
      },
      master_auth: { client_certificate_config: { issue_client_certificate: false } },
    });
  });

  test('follows the REGULAR release channel unless told otherwise', () => {
    expect(json).toHaveResourceWithProperties(ContainerCluster, { release_channel: { channel: 'REGULAR' } });
    expect(synth({ releaseChannel: 'STABLE' })).toHaveResourceWithProperties(ContainerCluster, { release_channel: { channel: 'STABLE' } });
  });

  test('enables Workload Identity with the project\'s pool', () => {
    expect(json).toHaveResourceWithProperties(ContainerCluster, { workload_identity_config: { workload_pool: 'shop-nonprod.svc.id.goog' } });
  });

  test('runs Dataplane V2, so NetworkPolicies are enforced', () => {
    expect(json).toHaveResourceWithProperties(ContainerCluster, { datapath_provider: 'ADVANCED_DATAPATH' });
  });

  test('has shielded nodes with secure boot and integrity monitoring', () => {
    expect(json).toHaveResourceWithProperties(ContainerCluster, { enable_shielded_nodes: true, enable_legacy_abac: false });
    expect(json).toHaveResourceWithProperties(ContainerNodePool, {
      node_config: expect.objectContaining({ shielded_instance_config: { enable_secure_boot: true, enable_integrity_monitoring: true } }),
    });
  });

  test('runs its nodes as a dedicated service account with only the default node role', () => {
    expect(json).toHaveResourceWithProperties(ServiceAccount, { account_id: 'nonprod-nodes' });
    expect(json).toHaveResourceWithProperties(ProjectIamMember, {
      project: 'shop-nonprod',
      role: 'roles/container.defaultNodeServiceAccount',
      member: ref('google_service_account', 'member'),
    });
    expect(Object.keys(resourcesOf(json, 'google_project_iam_member'))).toHaveLength(1);
    expect(json).toHaveResourceWithProperties(ContainerNodePool, {
      node_config: expect.objectContaining({
        service_account: ref('google_service_account', 'email'),
        workload_metadata_config: { mode: 'GKE_METADATA' },
      }),
    });
  });

  test('removes the default node pool and manages an autoscaled pool that repairs and upgrades itself', () => {
    expect(json).toHaveResourceWithProperties(ContainerCluster, { remove_default_node_pool: true, initial_node_count: 1 });
    expect(json).toHaveResourceWithProperties(ContainerNodePool, {
      cluster: ref('google_container_cluster', 'id'),
      location: 'europe-west1',
      autoscaling: { min_node_count: 1, max_node_count: 3 },
      management: { auto_repair: true, auto_upgrade: true },
      node_config: expect.objectContaining({ machine_type: 'e2-standard-4', disk_size_gb: 100 }),
    });
  });

  test('has a daily maintenance window, 03:00 UTC by default', () => {
    expect(json).toHaveResourceWithProperties(ContainerCluster, { maintenance_policy: { daily_maintenance_window: { start_time: '03:00' } } });
    expect(synth({ maintenanceStartTime: '01:30' })).toHaveResourceWithProperties(ContainerCluster, {
      maintenance_policy: { daily_maintenance_window: { start_time: '01:30' } },
    });
  });

  test('is protected from deletion unless told otherwise', () => {
    expect(json).toHaveResourceWithProperties(ContainerCluster, { deletion_protection: true });
    expect(synth({ deletionProtection: false })).toHaveResourceWithProperties(ContainerCluster, { deletion_protection: false });
  });

  test('backs up daily with volumes and Secrets and keeps each backup 7 days', () => {
    expect(json).toHaveResourceWithProperties(ContainerCluster, { addons_config: { gke_backup_agent_config: { enabled: true } } });
    expect(json).toHaveResourceWithProperties(GkeBackupBackupPlan, {
      name: 'nonprod-daily',
      location: 'europe-west1',
      cluster: ref('google_container_cluster', 'id'),
      backup_schedule: { cron_schedule: '0 1 * * *' },
      retention_policy: { backup_retain_days: 7 },
      backup_config: { include_volume_data: true, include_secrets: true, all_namespaces: true },
    });
  });

  test('backs up only the namespaces it is given', () => {
    expect(synth({ backupNamespaces: ['shop-dev', 'shop-stage'] })).toHaveResourceWithProperties(GkeBackupBackupPlan, {
      backup_config: { include_volume_data: true, include_secrets: true, selected_namespaces: { namespaces: ['shop-dev', 'shop-stage'] } },
    });
  });

  test('lets its nodes pull from a repository in another project', () => {
    const pulling = synth({}, (c) => c.allowPullFrom({ project: 'shop-platform', region: 'europe-west1', repository: 'shop' }));
    expect(pulling).toHaveResourceWithProperties(ArtifactRegistryRepositoryIamMember, {
      project: 'shop-platform',
      location: 'europe-west1',
      repository: 'shop',
      role: 'roles/artifactregistry.reader',
      member: ref('google_service_account', 'member'),
    });
  });

  test('fails on a node pool whose maximum is below its minimum', () => {
    expect(() => synth({ nodePool: { minNodes: 3, maxNodes: 2 } })).toThrow(/field "nodePool\.maxNodes": value 2 is not an integer from 3 to 1000/);
  });

  test('fails without VPN ranges, as nobody could reach the control plane', () => {
    expect(() =>
      Testing.synthScope((scope) => {
        testCluster(scope, testNetwork(scope, { vpnCidrs: [] }));
      }),
    ).toThrow(/field "network\.vpnCidrs": value \[\] is empty: nobody could reach the control plane/);
  });

  test('names its node service account after the cluster', () => {
    expect(onlyResource(json, 'google_service_account').display_name).toBe('Nodes of GKE cluster nonprod');
  });
});
