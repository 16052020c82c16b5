import { Chart } from 'cdk8s';
import { type Construct } from 'constructs';
import { type MeshGateway } from '../model/traffic';
import { LABEL_KEYS } from './labels';
import { applySyncWaves } from './sync-wave';
import { IngressGateway } from './traffic/ingress-gateway';

/** Props of {@link GatewayChart}. */
export interface GatewayChartProps {
  readonly platform: string;
  /** The environment's gateway, from the model (`Platform.traffic.gateways`). */
  readonly gateway: MeshGateway;
}

/**
 * The Istio Gateway of an environment with progressive delivery and its certificate, in the
 * gateway's namespace. The gateway's Deployment and LoadBalancer Service are a cluster add-on,
 * installed with the values docs/traffic.md lists from the same model object.
 */
export class GatewayChart extends Chart {
  constructor(scope: Construct, id: string, props: GatewayChartProps) {
    const { gateway } = props;
    super(scope, id, { namespace: gateway.namespace, disableResourceNameHashes: true });
    new IngressGateway(this, 'Gateway', {
      name: gateway.name,
      namespace: gateway.namespace,
      labels: { [LABEL_KEYS.partOf]: props.platform, [LABEL_KEYS.component]: 'ingress-gateway' },
      selector: gateway.selector,
      hosts: gateway.hosts,
      tlsSecretName: gateway.tlsSecretName,
      clusterIssuer: gateway.issuer,
    });
    applySyncWaves(this);
  }
}
