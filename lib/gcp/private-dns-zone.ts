import { DnsManagedZone } from '@cdktf/provider-google/lib/dns-managed-zone';
import { DnsRecordSet } from '@cdktf/provider-google/lib/dns-record-set';
import { Construct } from 'constructs';
import { Checks } from '../model/checks';
import { type Network } from './network';

/** Props of {@link PrivateDnsZone}. */
export interface PrivateDnsZoneProps {
  /** The zone's resource name. */
  readonly name: string;
  /** The domain, without the trailing dot: `shop.internal`. */
  readonly domain: string;
  /** The network whose VMs and pods resolve the zone. */
  readonly network: Network;
}

/** Options of {@link PrivateDnsZone.addARecord}. */
export interface ARecordOptions {
  /** The full host name, inside the zone's domain. */
  readonly host: string;
  /** The address; usually an attribute only known after apply. */
  readonly address: string;
  /** @default 300 */
  readonly ttlSeconds?: number;
}

/**
 * A Cloud DNS zone only the given network sees. Pods resolve it through the node's metadata
 * server, so names of managed services (a Redis host) are known before their IPs are.
 * @see https://cloud.google.com/dns/docs/zones#create-private-zone
 */
export class PrivateDnsZone extends Construct {
  public readonly zone: DnsManagedZone;
  public readonly domain: string;
  /** The zone's name, read once: every read of a resource attribute makes a new token. */
  private readonly zoneName: string;

  constructor(scope: Construct, id: string, props: PrivateDnsZoneProps) {
    super(scope, id);
    this.domain = props.domain;
    this.zone = new DnsManagedZone(this, 'Resource', {
      name: props.name,
      dnsName: `${props.domain}.`,
      description: 'Names of the managed services the apps use',
      visibility: 'private',
      privateVisibilityConfig: { networks: [{ networkUrl: props.network.id }] },
    });
    this.zoneName = this.zone.name;
  }

  /** An A record for `host` in this zone, created in `scope` under `id`. */
  public addARecord(scope: Construct, id: string, options: ARecordOptions): DnsRecordSet {
    const checks: Checks = new Checks();
    checks.require(options.host.endsWith(`.${this.domain}`), 'host', options.host, `is outside the zone "${this.domain}"`,
      `use a name that ends in .${this.domain}`);
    return new DnsRecordSet(scope, id, {
      managedZone: this.zoneName,
      name: `${options.host}.`,
      type: 'A',
      ttl: options.ttlSeconds ?? 300,
      rrdatas: [options.address],
    });
  }
}
