import { DnsManagedZone } from '@cdktf/provider-google/lib/dns-managed-zone';
import { DnsRecordSet } from '@cdktf/provider-google/lib/dns-record-set';
import { Construct } from 'constructs';

/** Props of {@link PublicDnsZone}. */
export interface PublicDnsZoneProps {
  /** The zone's resource name; cert-manager's DNS-01 solver names it as `hostedZoneName`. */
  readonly name: string;
  /** The domain, without the trailing dot. */
  readonly domain: string;
}

/**
 * A public Cloud DNS zone for an environment's base domain: the apps' A records, and the TXT records
 * cert-manager writes for DNS-01. It answers only once the parent zone delegates to its name servers
 * (output `dns_name_servers`; see docs/traffic.md).
 * @see https://cloud.google.com/dns/docs/zones#create-pub-zone
 */
export class PublicDnsZone extends Construct {
  public readonly zone: DnsManagedZone;
  public readonly domain: string;
  private readonly zoneName: string;

  constructor(scope: Construct, id: string, props: PublicDnsZoneProps) {
    super(scope, id);
    this.domain = props.domain;
    this.zone = new DnsManagedZone(this, 'Resource', {
      name: props.name,
      dnsName: `${props.domain}.`,
      description: 'Public hosts of the platform\'s apps',
      visibility: 'public',
      dnssecConfig: { state: 'on' },
    });
    this.zoneName = this.zone.name;
  }

  /** An A record for `host` in this zone. */
  public addARecord(scope: Construct, id: string, host: string, address: string): DnsRecordSet {
    if (!host.endsWith(`.${this.domain}`) && host !== this.domain) {
      throw new Error(`${host} is outside the zone "${this.domain}"; fix: use a name that ends in .${this.domain}`);
    }
    return new DnsRecordSet(scope, id, { managedZone: this.zoneName, name: `${host}.`, type: 'A', ttl: 300, rrdatas: [address] });
  }
}
