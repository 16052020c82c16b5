import { RedisInstance } from '@cdktf/provider-google/lib/redis-instance';
import { Construct } from 'constructs';
import { Checks } from '../model/checks';
import { type CacheSettings } from '../model/config';
import { type GcpRegion } from '../model/gcp-region';
import { type Network } from './network';
import { type PrivateDnsZone } from './private-dns-zone';

/** Props of {@link RedisCache}: the environment's {@link CacheSettings} and where it runs. */
export interface RedisCacheProps extends CacheSettings {
  readonly region: GcpRegion;
  /** The instance name, unique in the project. */
  readonly instanceName: string;
  /** The network the instance is reachable in; it needs private service access. */
  readonly network: Network;
  /** The private zone that gets the instance's host name. */
  readonly zone: PrivateDnsZone;
  /** The host name apps connect to, inside the zone. */
  readonly host: string;
  /** @default 1 */
  readonly memoryGb?: number;
  /** @default 'REDIS_7_2' */
  readonly redisVersion?: string;
}

/**
 * A Memorystore for Redis instance reachable only through the network's private service access.
 * Apps find it under a stable host name in the private zone, known before the instance's IP is.
 * @see https://cloud.google.com/memorystore/docs/redis/networking
 */
export class RedisCache extends Construct {
  public readonly instance: RedisInstance;
  /** The instance's IP address, known after apply. */
  public readonly address: string;

  constructor(scope: Construct, id: string, props: RedisCacheProps) {
    super(scope, id);
    const tier = props.tier ?? 'BASIC';
    const memoryGb = props.memoryGb ?? 1;
    const checks: Checks = new Checks();
    checks.intInRange('memoryGb', memoryGb, 1, 300);
    const network = props.network.requirePrivateServices();

    this.instance = new RedisInstance(this, 'Instance', {
      name: props.instanceName,
      region: props.region,
      tier,
      memorySizeGb: memoryGb,
      redisVersion: props.redisVersion ?? 'REDIS_7_2',
      authorizedNetwork: network,
      connectMode: 'PRIVATE_SERVICE_ACCESS',
    });
    this.address = this.instance.host;
    props.zone.addARecord(this, 'Host', { host: props.host, address: this.address });
  }
}
