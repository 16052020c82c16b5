import { ComputeNetwork } from '@cdktf/provider-google/lib/compute-network';
import { ComputeSubnetwork } from '@cdktf/provider-google/lib/compute-subnetwork';
import { ContainerCluster } from '@cdktf/provider-google/lib/container-cluster';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { GcsBackend } from 'cdktf';
import { Construct } from 'constructs';
import { StateConfig } from '../lib/model/config';
import { Cluster } from '../lib/model/platform';
import { PlatformStack } from './platform-stack';
import { pinTofu } from './versions';

/** Props of {@link ClusterStack}. */
export interface ClusterStackProps {
  readonly cluster: Cluster;
  readonly state: StateConfig;
  /** The state prefix in the bucket, unique per stack. */
  readonly statePrefix: string;
}

/** One GKE cluster, its network and everything its environments need in GCP. */
export class ClusterStack extends PlatformStack {
  constructor(scope: Construct, id: string, props: ClusterStackProps) {
    super(scope, id);
    const { cluster } = props;
    pinTofu(this);
    new GcsBackend(this, { bucket: props.state.bucket, prefix: props.statePrefix });
    new GoogleProvider(this, 'google', { project: cluster.project, region: cluster.region });

    const network = new ComputeNetwork(this, 'Network', { name: cluster.name, autoCreateSubnetworks: false });
    const subnet = new ComputeSubnetwork(this, 'Subnet', {
      name: `${cluster.name}-nodes`,
      network: network.id,
      region: cluster.region,
      ipCidrRange: cluster.network.nodesCidr,
      privateIpGoogleAccess: true,
      secondaryIpRange: [
        { rangeName: 'pods', ipCidrRange: cluster.network.podsCidr },
        { rangeName: 'services', ipCidrRange: cluster.network.servicesCidr },
      ],
    });
    new ContainerCluster(this, 'Cluster', {
      name: cluster.name,
      location: cluster.region,
      network: network.id,
      subnetwork: subnet.id,
      removeDefaultNodePool: true,
      initialNodeCount: 1,
      deletionProtection: cluster.deletionProtection,
      releaseChannel: { channel: cluster.releaseChannel },
      ipAllocationPolicy: { clusterSecondaryRangeName: 'pods', servicesSecondaryRangeName: 'services' },
    });
  }
}
