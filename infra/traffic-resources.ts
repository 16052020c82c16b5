import { DnsManagedZone } from '@cdktf/provider-google/lib/dns-managed-zone';
import { DnsRecordSet } from '@cdktf/provider-google/lib/dns-record-set';
import { Construct } from 'constructs';
import { type GkeCluster } from '../lib/gcp/gke-cluster';
import { type Network } from '../lib/gcp/network';
import { PublicDnsZone } from '../lib/gcp/public-dns-zone';
import { RegionalAddress } from '../lib/gcp/regional-address';
import { WorkloadServiceAccount } from '../lib/gcp/workload-service-account';
import { type Cluster } from '../lib/model/cluster';
import { type Traffic } from '../lib/model/traffic';

/** Props of {@link TrafficResources}. */
export interface TrafficResourcesProps {
  readonly cluster: Cluster;
  readonly traffic: Traffic;
  readonly network: Network;
  readonly gke: GkeCluster;
  /** The apps' reserved addresses, by name, as the stack made them. */
  readonly appAddresses: Readonly<Record<string, string>>;
}

/**
 * What makes a cluster's hosts resolve and get certificates: the public zone of each environment base
 * domain, the private `internal.` zone on the cluster's VPC, one A record per host, the regional
 * address of each Istio gateway, and cert-manager's Google service account with the DNS role.
 */
export class TrafficResources extends Construct {
  public readonly certManager: WorkloadServiceAccount;
  /** The gateways' addresses, by name. */
  public readonly gatewayAddresses: Record<string, string> = {};
  /** The public zones' name servers, by domain. */
  public readonly nameServers: Record<string, string[]> = {};

  constructor(scope: Construct, id: string, props: TrafficResourcesProps) {
    super(scope, id);
    const { cluster, traffic, network } = props;
    const zones = new Map<string, { addARecord: (scope: Construct, id: string, host: string, address: string) => DnsRecordSet }>();
    for (const ref of traffic.zones.filter((z) => z.cluster === cluster.name)) {
      if (ref.visibility === 'public') {
        const zone = new PublicDnsZone(this, ref.name, { name: ref.name, domain: ref.domain });
        this.nameServers[ref.domain] = zone.zone.nameServers;
        zones.set(ref.name, zone);
      } else {
        // Resolvable only inside the VPC; VPN clients need DNS forwarding (docs/traffic.md).
        const zone = new DnsManagedZone(this, ref.name, {
          name: ref.name,
          dnsName: `${ref.domain}.`,
          description: 'Internal hosts of the platform\'s apps',
          visibility: 'private',
          privateVisibilityConfig: { networks: [{ networkUrl: network.id }] },
        });
        const zoneName = zone.name;
        zones.set(ref.name, {
          addARecord: (s, i, host, address) => new DnsRecordSet(s, i, { managedZone: zoneName, name: `${host}.`, type: 'A', ttl: 300, rrdatas: [address] }),
        });
      }
    }
    for (const gateway of traffic.gateways.filter((g) => g.cluster === cluster.name)) {
      const ip = gateway.staticIp;
      const address = new RegionalAddress(this, ip.name, { name: ip.name, region: ip.region });
      this.gatewayAddresses[ip.name] = address.address.address;
    }
    const records = new Construct(this, 'Records');
    for (const record of traffic.records.filter((r) => r.zone.cluster === cluster.name)) {
      const zone = zones.get(record.zone.name);
      const address = props.appAddresses[record.address.name] ?? this.gatewayAddresses[record.address.name];
      if (zone === undefined || address === undefined) {
        throw new Error(`${record.host}: no zone or address in the stack of cluster "${cluster.name}"; fix: report this bug`);
      }
      zone.addARecord(records, record.host, record.host, address);
    }
    // cert-manager writes DNS-01 TXT records as this account; the role is cert-manager's documented one.
    // @see https://cert-manager.io/docs/configuration/acme/dns01/google/
    this.certManager = new WorkloadServiceAccount(this, 'CertManager', { identity: cluster.certManagerIdentity, cluster: props.gke });
    this.certManager.grantProjectRole(this.certManager, 'DnsAdmin', 'roles/dns.admin');
  }
}
