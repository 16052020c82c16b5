import { ComputeGlobalAddress } from '@cdktf/provider-google/lib/compute-global-address';
import { Construct } from 'constructs';

/** Props of {@link StaticIp}. */
export interface StaticIpProps {
  /** The address's name: what a GKE Ingress names in `kubernetes.io/ingress.global-static-ip-name`. */
  readonly name: string;
}

/**
 * A reserved global IPv4 address for a public app's external load balancer, so its DNS record
 * survives the Ingress being recreated.
 * @see https://cloud.google.com/kubernetes-engine/docs/tutorials/configuring-domain-name-static-ip
 */
export class StaticIp extends Construct {
  public readonly address: ComputeGlobalAddress;

  constructor(scope: Construct, id: string, props: StaticIpProps) {
    super(scope, id);
    this.address = new ComputeGlobalAddress(this, 'Resource', {
      name: props.name,
      addressType: 'EXTERNAL',
      ipVersion: 'IPV4',
    });
  }
}
