import { ComputeAddress } from '@cdktf/provider-google/lib/compute-address';
import { Construct } from 'constructs';
import { type Network } from './network';

/** Props of {@link RegionalAddress}. */
export interface RegionalAddressProps {
  /** The address's name, which the manifests name (the Ingress annotation, the gateway Service's). */
  readonly name: string;
  readonly region: string;
  /**
   * Internal: an address in the nodes' subnet for an internal Application Load Balancer
   * (`kubernetes.io/ingress.regional-static-ip-name`). Unset: a regional external address, which a
   * LoadBalancer Service binds (`networking.gke.io/load-balancer-ip-addresses`).
   */
  readonly internal?: { readonly network: Network };
}

/**
 * A reserved regional IPv4 address, so a DNS record survives its load balancer being recreated.
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/internal-load-balance-ingress#static_ip_addressing
 * @see https://cloud.google.com/kubernetes-engine/docs/concepts/service-load-balancer-parameters#static-ip
 */
export class RegionalAddress extends Construct {
  public readonly address: ComputeAddress;

  constructor(scope: Construct, id: string, props: RegionalAddressProps) {
    super(scope, id);
    this.address = new ComputeAddress(this, 'Resource', {
      name: props.name,
      region: props.region,
      addressType: props.internal ? 'INTERNAL' : 'EXTERNAL',
      subnetwork: props.internal?.network.subnet.id,
      // Internal Application Load Balancers share their forwarding rules' address for HTTP and HTTPS.
      purpose: props.internal ? 'SHARED_LOADBALANCER_VIP' : undefined,
    });
  }
}
