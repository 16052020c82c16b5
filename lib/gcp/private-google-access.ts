import { ComputeRoute } from '@cdktf/provider-google/lib/compute-route';
import { DnsManagedZone } from '@cdktf/provider-google/lib/dns-managed-zone';
import { DnsRecordSet } from '@cdktf/provider-google/lib/dns-record-set';
import { Construct } from 'constructs';
import { parseCidr } from '../model/cidr';
import { PRIVATE_GOOGLE_APIS_CIDR } from '../model/google-ranges';
import { type Network } from './network';

/** Props of {@link PrivateGoogleAccess}. */
export interface PrivateGoogleAccessProps {
  /** The network whose VMs and pods reach Google APIs through `private.googleapis.com`. */
  readonly network: Network;
  /** The prefix of the zone's and the route's names, such as the network's name. */
  readonly name: string;
}

/**
 * Google APIs on one small, known range: a private `googleapis.com` zone sends every API host to
 * `private.googleapis.com` (199.36.153.8/30), with a route to it through the default internet
 * gateway, which Private Google Access (on the nodes' subnet) keeps inside Google's network. Pods
 * can then be allowed HTTPS to that range alone, such as the Cloud SQL Auth Proxy to the Cloud SQL
 * Admin API, instead of to the whole internet.
 * @see https://cloud.google.com/vpc/docs/configure-private-google-access#config-domain
 */
export class PrivateGoogleAccess extends Construct {
  public readonly zone: DnsManagedZone;

  constructor(scope: Construct, id: string, props: PrivateGoogleAccessProps) {
    super(scope, id);
    const range = parseCidr(PRIVATE_GOOGLE_APIS_CIDR);
    if (range === undefined) throw new Error(`${PRIVATE_GOOGLE_APIS_CIDR} is not a CIDR; fix: correct PRIVATE_GOOGLE_APIS_CIDR`);
    const addresses: string[] = [];
    for (let a = range.first; a <= range.last; a++) addresses.push([24, 16, 8, 0].map((shift) => Math.floor(a / 2 ** shift) % 256).join('.'));

    this.zone = new DnsManagedZone(this, 'Zone', {
      name: `${props.name}-googleapis`,
      dnsName: 'googleapis.com.',
      description: 'Google APIs through private.googleapis.com (Private Google Access)',
      visibility: 'private',
      privateVisibilityConfig: { networks: [{ networkUrl: props.network.id }] },
    });
    const zoneName = this.zone.name;
    new DnsRecordSet(this, 'Private', { managedZone: zoneName, name: 'private.googleapis.com.', type: 'A', ttl: 300, rrdatas: addresses });
    new DnsRecordSet(this, 'Apis', { managedZone: zoneName, name: '*.googleapis.com.', type: 'CNAME', ttl: 300, rrdatas: ['private.googleapis.com.'] });
    new ComputeRoute(this, 'Route', {
      name: `${props.name}-private-googleapis`,
      network: props.network.id,
      destRange: PRIVATE_GOOGLE_APIS_CIDR,
      nextHopGateway: 'default-internet-gateway',
      description: 'private.googleapis.com, reached through Private Google Access',
    });
  }
}
