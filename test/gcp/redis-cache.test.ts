import { DnsRecordSet } from '@cdktf/provider-google/lib/dns-record-set';
import { RedisInstance } from '@cdktf/provider-google/lib/redis-instance';
import { Testing } from 'cdktf';
import { PrivateDnsZone } from '../../lib/gcp/private-dns-zone';
import { RedisCache, type RedisCacheProps } from '../../lib/gcp/redis-cache';
import { testNetwork } from './fixtures';

type Settings = Omit<RedisCacheProps, 'network' | 'zone'>;
const base: Settings = { region: 'europe-west1', instanceName: 'inventory-api-dev', host: 'inventory-api-dev.redis.shop.internal' };
const synth = (settings: Partial<Settings> = {}, privateServices = true): string =>
  Testing.synthScope((scope) => {
    const network = testNetwork(scope, privateServices ? {} : { privateServicesCidr: undefined });
    const zone = new PrivateDnsZone(scope, 'Zone', { name: 'shop-internal', domain: 'shop.internal', network });
    new RedisCache(scope, 'Cache', { ...base, ...settings, network, zone });
  });

describe('RedisCache', () => {
  const json = synth();

  test('is reachable only through private service access on the network', () => {
    expect(json).toHaveResourceWithProperties(RedisInstance, {
      name: 'inventory-api-dev',
      region: 'europe-west1',
      connect_mode: 'PRIVATE_SERVICE_ACCESS',
      authorized_network: expect.stringMatching(/^\$\{google_service_networking_connection\.[a-z0-9_]+\.network\}$/i),
    });
  });

  test('is a 1 GB basic instance by default', () => {
    expect(json).toHaveResourceWithProperties(RedisInstance, { tier: 'BASIC', memory_size_gb: 1, redis_version: 'REDIS_7_2' });
  });

  test('keeps a replica in another zone with the standard HA tier', () => {
    expect(synth({ tier: 'STANDARD_HA', memoryGb: 5 })).toHaveResourceWithProperties(RedisInstance, { tier: 'STANDARD_HA', memory_size_gb: 5 });
  });

  test('is found under its host name in the private zone', () => {
    expect(json).toHaveResourceWithProperties(DnsRecordSet, {
      name: 'inventory-api-dev.redis.shop.internal.',
      type: 'A',
      ttl: 300,
      rrdatas: [expect.stringMatching(/^\$\{google_redis_instance\.[a-z0-9_]+\.host\}$/i)],
    });
  });

  test('fails on a network without private service access', () => {
    expect(() => synth({}, false)).toThrow(/field "privateServicesCidr": value \(unset\) leaves network "nonprod" without/);
  });

  test('fails on a host outside the zone', () => {
    expect(() => synth({ host: 'cache.example.com' })).toThrow(
      'config error: field "host": value "cache.example.com" is outside the zone "shop.internal"; fix: use a name that ends in .shop.internal',
    );
  });
});
