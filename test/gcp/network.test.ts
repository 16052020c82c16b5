import { ComputeFirewall } from '@cdktf/provider-google/lib/compute-firewall';
import { ComputeGlobalAddress } from '@cdktf/provider-google/lib/compute-global-address';
import { ComputeNetwork } from '@cdktf/provider-google/lib/compute-network';
import { ComputeRouter } from '@cdktf/provider-google/lib/compute-router';
import { ComputeRouterNat } from '@cdktf/provider-google/lib/compute-router-nat';
import { ComputeSubnetwork } from '@cdktf/provider-google/lib/compute-subnetwork';
import { ServiceNetworkingConnection } from '@cdktf/provider-google/lib/service-networking-connection';
import { Testing } from 'cdktf';
import { type Network, type NetworkProps } from '../../lib/gcp/network';
import { resourcesOf, testNetwork } from './fixtures';

const synth = (props: Partial<NetworkProps> = {}, rules?: (network: Network) => void): string =>
  Testing.synthScope((scope) => {
    const network = testNetwork(scope, props);
    rules?.(network);
  });

describe('Network', () => {
  const json = synth();

  test('is a custom-mode VPC', () => {
    expect(json).toHaveResourceWithProperties(ComputeNetwork, { name: 'nonprod', auto_create_subnetworks: false });
  });

  test('has one subnet for the nodes, with secondary ranges for pods and Services and private Google access', () => {
    expect(json).toHaveResourceWithProperties(ComputeSubnetwork, {
      name: 'nonprod-nodes',
      region: 'europe-west1',
      ip_cidr_range: '10.10.0.0/20',
      private_ip_google_access: true,
      secondary_ip_range: [
        { range_name: 'pods', ip_cidr_range: '10.12.0.0/16' },
        { range_name: 'services', ip_cidr_range: '10.13.0.0/20' },
      ],
    });
    expect(Object.keys(resourcesOf(json, 'google_compute_subnetwork'))).toHaveLength(1);
  });

  test('gives the nodes egress through a Cloud Router with Cloud NAT', () => {
    expect(json).toHaveResourceWithProperties(ComputeRouter, { name: 'nonprod-router', region: 'europe-west1' });
    expect(json).toHaveResourceWithProperties(ComputeRouterNat, {
      name: 'nonprod-nat',
      nat_ip_allocate_option: 'AUTO_ONLY',
      source_subnetwork_ip_ranges_to_nat: 'LIST_OF_SUBNETWORKS',
      subnetwork: [expect.objectContaining({ source_ip_ranges_to_nat: ['ALL_IP_RANGES'] })],
    });
  });

  test('reserves the private services range and peers it with Google for Cloud SQL and Memorystore', () => {
    expect(json).toHaveResourceWithProperties(ComputeGlobalAddress, {
      name: 'nonprod-private-services',
      purpose: 'VPC_PEERING',
      address_type: 'INTERNAL',
      address: '10.14.0.0',
      prefix_length: 20,
    });
    expect(json).toHaveResourceWithProperties(ServiceNetworkingConnection, {
      service: 'servicenetworking.googleapis.com',
      reserved_peering_ranges: [expect.stringMatching(/^\$\{google_compute_global_address\..+\.name\}$/)],
    });
  });

  test('has no private service access without a range', () => {
    const plain = synth({ privateServicesCidr: undefined });
    expect(plain).not.toHaveResource(ServiceNetworkingConnection);
    expect(plain).not.toHaveResource(ComputeGlobalAddress);
  });

  test('opens no port on its own', () => {
    expect(json).not.toHaveResource(ComputeFirewall);
  });

  test('lets only Google health checks and load balancers reach the serving ports of the nodes', () => {
    const open = synth({}, (n) => n.allowHealthChecks({ ports: [8443, 8080], serviceAccount: 'nodes@shop.iam.gserviceaccount.com' }));
    expect(open).toHaveResourceWithProperties(ComputeFirewall, {
      name: 'nonprod-allow-health-checks',
      direction: 'INGRESS',
      source_ranges: ['35.191.0.0/16', '130.211.0.0/22'],
      target_service_accounts: ['nodes@shop.iam.gserviceaccount.com'],
      allow: [{ protocol: 'tcp', ports: ['8080', '8443'] }],
    });
  });

  test('lets only the VPN reach the ports of internal apps', () => {
    const open = synth({}, (n) => n.allowVpn({ ports: [8080], serviceAccount: 'nodes@shop.iam.gserviceaccount.com' }));
    expect(open).toHaveResourceWithProperties(ComputeFirewall, {
      name: 'nonprod-allow-vpn',
      direction: 'INGRESS',
      source_ranges: ['10.100.0.0/16'],
      target_service_accounts: ['nodes@shop.iam.gserviceaccount.com'],
      allow: [{ protocol: 'tcp', ports: ['8080'] }],
    });
  });

  test('fails on a rule with no port', () => {
    expect(() => synth({}, (n) => n.allowVpn({ ports: [], serviceAccount: 'nodes@shop.iam.gserviceaccount.com' }))).toThrow(
      /field "AllowVpn\.ports": value \[\] is empty; fix: open at least one port/,
    );
  });

  test('fails when a managed service needs private service access the network lacks', () => {
    expect(() => synth({ privateServicesCidr: undefined }, (n) => n.requirePrivateServices())).toThrow(
      /field "privateServicesCidr": value \(unset\) leaves network "nonprod" without the private service access .*; fix: give the network a privateServicesCidr/,
    );
  });
});
