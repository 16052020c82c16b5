import type { IGateway } from '@kubernetes-models/istio/networking.istio.io/v1/Gateway';
import { Construct } from 'constructs';
import { Certificate } from '../exposure/certificate';
import { ModelObject } from '../model-object';

/** Props of {@link IngressGateway}. */
export interface IngressGatewayProps {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The labels of the gateway's pods. */
  readonly selector: Readonly<Record<string, string>>;
  /** The hosts served; none gives a Gateway with no servers. */
  readonly hosts: readonly string[];
  /** The Secret of the hosts' certificate, in the gateway's namespace. */
  readonly tlsSecretName: string;
  readonly clusterIssuer: string;
}

/**
 * The Istio Gateway production's routes bind to: HTTPS on 443 with the hosts' certificate, and
 * HTTP on 80 answered with a redirect to HTTPS. Istio reads `credentialName` from the namespace of
 * the gateway's pods, so the Certificate is made there, next to the Gateway.
 * @see https://istio.io/latest/docs/reference/config/networking/gateway/#ServerTLSSettings
 * @see https://istio.io/latest/docs/ops/integrations/certmanager/#istio-gateway
 */
export class IngressGateway extends Construct {
  constructor(scope: Construct, id: string, props: IngressGatewayProps) {
    super(scope, id);
    const hosts = [...props.hosts];
    if (hosts.length > 0) {
      new Certificate(this, 'Certificate', {
        name: props.tlsSecretName,
        namespace: props.namespace,
        labels: props.labels,
        clusterIssuer: props.clusterIssuer,
        dnsNames: hosts,
        secretName: props.tlsSecretName,
      });
    }
    new ModelObject<IGateway>(this, 'Resource', {
      apiVersion: 'networking.istio.io/v1',
      kind: 'Gateway',
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels },
      spec: {
        selector: { ...props.selector },
        servers: hosts.length === 0 ? [] : [
          { port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts, tls: { mode: 'SIMPLE', credentialName: props.tlsSecretName } },
          { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts, tls: { httpsRedirect: true } },
        ],
      },
    });
  }
}
