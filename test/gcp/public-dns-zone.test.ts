import { DnsManagedZone } from '@cdktf/provider-google/lib/dns-managed-zone';
import { DnsRecordSet } from '@cdktf/provider-google/lib/dns-record-set';
import { Testing } from 'cdktf';
import { PublicDnsZone } from '../../lib/gcp/public-dns-zone';
import './fixtures';

describe('PublicDnsZone', () => {
  const json = Testing.synthScope((scope) => {
    const zone = new PublicDnsZone(scope, 'Zone', { name: 'shop-example-com', domain: 'shop.example.com' });
    zone.addARecord(scope, 'Www', 'www.shop.example.com', '${google_compute_address.gateway.address}');
  });

  test('is public and signed, so resolvers anywhere (Let\'s Encrypt included) can trust its answers', () => {
    expect(json).toHaveResourceWithProperties(DnsManagedZone, {
      name: 'shop-example-com', dns_name: 'shop.example.com.', visibility: 'public', dnssec_config: { state: 'on' },
    });
  });

  test('holds A records for hosts inside its domain', () => {
    expect(json).toHaveResourceWithProperties(DnsRecordSet, {
      name: 'www.shop.example.com.', type: 'A', rrdatas: ['${google_compute_address.gateway.address}'],
      managed_zone: expect.stringMatching(/^\$\{google_dns_managed_zone\.[a-z0-9_]+\.name\}$/i),
    });
  });

  test('refuses a host outside its domain, with the fix', () => {
    expect(() => Testing.synthScope((scope) => {
      new PublicDnsZone(scope, 'Zone', { name: 'shop-example-com', domain: 'shop.example.com' }).addARecord(scope, 'Other', 'www.example.org', '10.0.0.1');
    })).toThrow('www.example.org is outside the zone "shop.example.com"; fix: use a name that ends in .shop.example.com');
    // A suffix that is not a label boundary is outside too.
    expect(() => Testing.synthScope((scope) => {
      new PublicDnsZone(scope, 'Zone', { name: 'shop-example-com', domain: 'shop.example.com' }).addARecord(scope, 'Other', 'myshop.example.com', '10.0.0.1');
    })).toThrow('outside the zone');
  });
});
