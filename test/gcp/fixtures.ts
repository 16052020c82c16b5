// Brings cdktf's jest matchers (toHaveResourceWithProperties, ...) into the type checker's view;
// test/setup.ts installs them at run time.
import type {} from 'cdktf/lib/testing/adapters/jest';
import { type Construct } from 'constructs';
import { GkeCluster, type GkeClusterProps } from '../../lib/gcp/gke-cluster';
import { Network, type NetworkProps } from '../../lib/gcp/network';

/** A network with private service access, as the sample's clusters have. */
export function testNetwork(scope: Construct, props: Partial<NetworkProps> = {}): Network {
  return new Network(scope, 'Network', {
    name: 'nonprod',
    region: 'europe-west1',
    nodesCidr: '10.10.0.0/20',
    podsCidr: '10.12.0.0/16',
    servicesCidr: '10.13.0.0/20',
    vpnCidrs: ['10.100.0.0/16'],
    privateServicesCidr: '10.14.0.0/20',
    ...props,
  });
}

/** A cluster in {@link testNetwork}. */
export function testCluster(scope: Construct, network: Network, props: Partial<GkeClusterProps> = {}): GkeCluster {
  return new GkeCluster(scope, 'Cluster', {
    name: 'nonprod',
    project: 'shop-nonprod',
    region: 'europe-west1',
    network,
    controlPlaneCidr: '172.16.0.0/28',
    nodePool: { minNodes: 1, maxNodes: 3 },
    ...props,
  });
}

/** The resources of one type in a synthesized stack, by address. */
export function resourcesOf(json: string, type: string): Record<string, Record<string, unknown>> {
  const doc = JSON.parse(json) as { resource?: Record<string, Record<string, Record<string, unknown>>> };
  return doc.resource?.[type] ?? {};
}

/** The one resource of a type in a synthesized stack; fails when there is not exactly one. */
export function onlyResource(json: string, type: string): Record<string, unknown> {
  const all = Object.values(resourcesOf(json, type));
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
}
