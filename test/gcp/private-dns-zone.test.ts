import { DnsManagedZone } from '@cdktf/provider-google/lib/dns-managed-zone';
import { DnsRecordSet } from '@cdktf/provider-google/lib/dns-record-set';
import { Testing } from 'cdktf';
import { PrivateDnsZone } from '../../lib/gcp/private-dns-zone';
import { testNetwork } from './fixtures';

describe('PrivateDnsZone', () => {
  const json = Testing.synthScope((scope) => {
    const zone = new PrivateDnsZone(scope, 'Zone', { name: 'shop-internal', domain: 'shop.internal', network: testNetwork(scope) });
    zone.addARecord(scope, 'Record', { host: 'db.shop.internal', address: '10.14.0.3', ttlSeconds: 60 });
  });

  test('is visible only to the network it is given', () => {
    expect(json).toHaveResourceWithProperties(DnsManagedZone, {
      name: 'shop-internal',
      dns_name: 'shop.internal.',
      visibility: 'private',
      private_visibility_config: { networks: [{ network_url: expect.stringMatching(/^\$\{google_compute_network\.[a-z0-9_]+\.id\}$/i) }] },
    });
  });

  test('holds A records for names inside its domain', () => {
    expect(json).toHaveResourceWithProperties(DnsRecordSet, {
      name: 'db.shop.internal.',
      type: 'A',
      ttl: 60,
      rrdatas: ['10.14.0.3'],
      managed_zone: expect.stringMatching(/^\$\{google_dns_managed_zone\.[a-z0-9_]+\.name\}$/i),
    });
  });
});
