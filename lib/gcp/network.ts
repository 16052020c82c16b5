import { ComputeFirewall } from '@cdktf/provider-google/lib/compute-firewall';
import { ComputeGlobalAddress } from '@cdktf/provider-google/lib/compute-global-address';
import { ComputeNetwork } from '@cdktf/provider-google/lib/compute-network';
import { ComputeRouter } from '@cdktf/provider-google/lib/compute-router';
import { ComputeRouterNat } from '@cdktf/provider-google/lib/compute-router-nat';
import { ComputeSubnetwork } from '@cdktf/provider-google/lib/compute-subnetwork';
import { ServiceNetworkingConnection } from '@cdktf/provider-google/lib/service-networking-connection';
import { Construct } from 'constructs';
import { Checks } from '../model/checks';
import { GOOGLE_FRONT_END_RANGES } from '../model/google-ranges';
import { parseCidr } from '../model/cidr';
import { type GcpRegion } from '../model/gcp-region';

/** Props of {@link Network}. */
export interface NetworkProps {
  /** The VPC's name; its other resources are named after it. */
  readonly name: string;
  readonly region: GcpRegion;
  /** Primary range of the nodes' subnet. */
  readonly nodesCidr: string;
  /** Secondary range for pods. */
  readonly podsCidr: string;
  /** Secondary range for Services. */
  readonly servicesCidr: string;
  /** Ranges that reach the network over the VPN. */
  readonly vpnCidrs: readonly string[];
  /**
   * The range peered to Google's service producers (Cloud SQL, Memorystore).
   * @default - no private service access
   * @see https://cloud.google.com/vpc/docs/private-services-access
   */
  readonly privateServicesCidr?: string;
  /**
   * The proxy-only subnet for the region's internal Application Load Balancers (`gce-internal` Ingresses).
   * @default - none
   * @see https://cloud.google.com/load-balancing/docs/proxy-only-subnets
   */
  readonly proxyOnlyCidr?: string;
}

/** Where a firewall rule lets traffic in. */
export interface IngressTarget {
  /** TCP ports. */
  readonly ports: readonly number[];
  /** The email of the service account whose VMs (and their pods) receive the traffic. */
  readonly serviceAccount: string;
}

/**
 * A custom-mode VPC for one GKE cluster: a subnet with secondary ranges for pods and Services,
 * Cloud NAT for egress (nodes have no public IPs), and optionally private service access. It
 * opens no port on its own: {@link allowHealthChecks} and {@link allowVpn} add the only rules.
 */
export class Network extends Construct {
  /** Where Google's load balancers and health checks come from. */
  public static readonly HEALTH_CHECK_RANGES: readonly string[] = GOOGLE_FRONT_END_RANGES;
  public static readonly PODS_RANGE = 'pods';
  public static readonly SERVICES_RANGE = 'services';

  public readonly vpc: ComputeNetwork;
  public readonly subnet: ComputeSubnetwork;
  /** The proxy-only subnet of internal load balancers, when the network has one. */
  public readonly proxySubnet?: ComputeSubnetwork;
  public readonly router: ComputeRouter;
  public readonly nat: ComputeRouterNat;
  /** The peering to Google's service producers, when the network has private service access. */
  public readonly privateServices?: ServiceNetworkingConnection;
  /** The VPC's id, read once: every read of a resource attribute makes a new token. */
  public readonly id: string;
  public readonly vpnCidrs: readonly string[];
  private readonly proxyOnlyCidr?: string;
  private readonly name: string;
  private peeredNetworkId?: string;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    this.name = props.name;
    this.vpnCidrs = props.vpnCidrs;
    this.vpc = new ComputeNetwork(this, 'Resource', {
      name: props.name,
      autoCreateSubnetworks: false,
      routingMode: 'REGIONAL',
    });
    this.id = this.vpc.id;
    this.proxyOnlyCidr = props.proxyOnlyCidr;
    if (props.proxyOnlyCidr !== undefined) {
      this.proxySubnet = new ComputeSubnetwork(this, 'Proxies', {
        name: `${props.name}-proxies`,
        network: this.id,
        region: props.region,
        ipCidrRange: props.proxyOnlyCidr,
        purpose: 'REGIONAL_MANAGED_PROXY',
        role: 'ACTIVE',
      });
    }
    this.subnet = new ComputeSubnetwork(this, 'Nodes', {
      name: `${props.name}-nodes`,
      network: this.id,
      region: props.region,
      ipCidrRange: props.nodesCidr,
      // Nodes have no public IPs; this lets them reach Google APIs all the same.
      privateIpGoogleAccess: true,
      secondaryIpRange: [
        { rangeName: Network.PODS_RANGE, ipCidrRange: props.podsCidr },
        { rangeName: Network.SERVICES_RANGE, ipCidrRange: props.servicesCidr },
      ],
    });
    this.router = new ComputeRouter(this, 'Router', { name: `${props.name}-router`, network: this.id, region: props.region });
    this.nat = new ComputeRouterNat(this, 'Nat', {
      name: `${props.name}-nat`,
      router: this.router.name,
      region: props.region,
      natIpAllocateOption: 'AUTO_ONLY',
      sourceSubnetworkIpRangesToNat: 'LIST_OF_SUBNETWORKS',
      subnetwork: [{ name: this.subnet.id, sourceIpRangesToNat: ['ALL_IP_RANGES'] }],
      logConfig: { enable: true, filter: 'ERRORS_ONLY' },
    });

    if (props.privateServicesCidr !== undefined) {
      const cidr = parseCidr(props.privateServicesCidr) ??
        new Checks().fail('privateServicesCidr', props.privateServicesCidr, 'is not an IPv4 CIDR', 'write it as a.b.c.d/n, such as 10.14.0.0/20');
      const group = new Construct(this, 'PrivateServices');
      const range = new ComputeGlobalAddress(group, 'Range', {
        name: `${props.name}-private-services`,
        purpose: 'VPC_PEERING',
        addressType: 'INTERNAL',
        address: props.privateServicesCidr.split('/')[0],
        prefixLength: cidr.prefix,
        network: this.id,
      });
      this.privateServices = new ServiceNetworkingConnection(group, 'Connection', {
        network: this.id,
        service: 'servicenetworking.googleapis.com',
        reservedPeeringRanges: [range.name],
        // Deleting the peering fails while an instance still uses it; on destroy, leave it to Google.
        deletionPolicy: 'ABANDON',
      });
    }
  }

  /**
   * The network id as the private service access connection reports it. A managed service that
   * takes its network from here is created after the peering, with no `depends_on`. A network
   * without private service access is an error.
   */
  public requirePrivateServices(): string {
    const connection = this.privateServices ??
      new Checks().fail('privateServicesCidr', undefined, `leaves network "${this.name}" without the private service access Cloud SQL and Memorystore need`,
        'give the network a privateServicesCidr, such as 10.14.0.0/20');
    this.peeredNetworkId ??= connection.network;
    return this.peeredNetworkId;
  }

  /**
   * Lets Google's load balancers and health checks reach `target` on its serving ports. Container-
   * native load balancing sends them to pod IPs, which are alias IPs of the target's nodes.
   */
  public allowHealthChecks(target: IngressTarget): ComputeFirewall {
    return this.allowIngress('AllowHealthChecks', 'allow-health-checks', Network.HEALTH_CHECK_RANGES, target,
      'Google load balancers and health checks to the serving ports');
  }

  /**
   * Lets the VPN, and the internal load balancers' proxies it reaches internal apps through, call
   * `target` on the ports of the apps it serves internally.
   */
  public allowVpn(target: IngressTarget): ComputeFirewall {
    const proxies = this.proxyOnlyCidr === undefined ? [] : [this.proxyOnlyCidr];
    return this.allowIngress('AllowVpn', 'allow-vpn', [...this.vpnCidrs, ...proxies], target,
      'The VPN and internal load balancer proxies to the ports of internal apps');
  }

  /**
   * Lets the GKE control plane (its private endpoint range) call admission webhooks served by pods on
   * `target`, such as Istio's sidecar injector. A private cluster's own rule opens only 443 and 10250.
   * @see https://cloud.google.com/kubernetes-engine/docs/how-to/private-clusters#add_firewall_rules
   */
  public allowControlPlaneWebhooks(controlPlaneCidr: string, target: IngressTarget): ComputeFirewall {
    return this.allowIngress('AllowControlPlaneWebhooks', 'allow-control-plane-webhooks', [controlPlaneCidr], target,
      'The GKE control plane to admission webhooks on the nodes (Istio sidecar injection)');
  }

  private allowIngress(id: string, suffix: string, sources: readonly string[], target: IngressTarget, description: string): ComputeFirewall {
    const checks: Checks = new Checks();
    checks.require(target.ports.length > 0, `${id}.ports`, [], 'is empty', 'open at least one port, or add no rule');
    return new ComputeFirewall(this, id, {
      name: `${this.name}-${suffix}`,
      network: this.id,
      description,
      direction: 'INGRESS',
      sourceRanges: [...sources],
      targetServiceAccounts: [target.serviceAccount],
      allow: [{ protocol: 'tcp', ports: [...target.ports].sort((a, b) => a - b).map(String) }],
    });
  }
}
