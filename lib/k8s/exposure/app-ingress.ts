import type { IFrontendConfig } from '@kubernetes-models/gke/networking.gke.io/v1beta1/FrontendConfig';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ModelObject } from '../model-object';

/** Props shared by {@link PublicIngress} and {@link InternalIngress}. */
export interface AppIngressProps {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly host: string;
  readonly service: kplus.Service;
  /** The Service port the ingress sends traffic to. */
  readonly port: number;
  /** The Secret holding the host's TLS certificate. */
  readonly tlsSecretName: string;
}

/** Props of {@link PublicIngress}. */
export interface PublicIngressProps extends AppIngressProps {
  /** The name of the reserved global static IP address (from the GCP plane). */
  readonly staticIpName: string;
  /**
   * The ingress class of the external Application Load Balancer.
   * @default 'gce'
   */
  readonly className?: string;
}

/** Props of {@link InternalIngress}. */
export interface InternalIngressProps extends AppIngressProps {
  /** The name of the reserved regional internal address (from the GCP plane), which private DNS names. */
  readonly staticIpName: string;
  /**
   * The ingress class of the internal Application Load Balancer, reachable only inside the VPC and
   * over the VPN.
   * @default 'gce-internal'
   */
  readonly className?: string;
}

/** The annotation GKE reads the class from; it ignores an Ingress that only sets `spec.ingressClassName`. */
export const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

/**
 * GKE's Ingress controller acts on the `kubernetes.io/ingress.class` annotation (gce, gce-internal)
 * and takes no action on an Ingress with only `spec.ingressClassName`; the API server refuses an
 * Ingress that sets both.
 * @see https://cloud.google.com/kubernetes-engine/docs/concepts/ingress#controller_summary
 */
function ingress(scope: Construct, props: AppIngressProps, className: string, annotations: Record<string, string>): kplus.Ingress {
  const ing = new kplus.Ingress(scope, 'Resource', {
    metadata: { name: props.name, labels: { ...props.labels }, annotations: { [INGRESS_CLASS_ANNOTATION]: className, ...annotations } },
    tls: [{ hosts: [props.host], secret: kplus.Secret.fromSecretName(scope, 'Tls', props.tlsSecretName) }],
  });
  ing.addHostRule(props.host, '/', kplus.IngressBackend.fromService(props.service, { port: props.port }), kplus.HttpIngressPathType.PREFIX);
  return ing;
}

/**
 * An app on the internet: the external load balancer on the reserved static IP, TLS from the
 * certificate Secret, and plain HTTP answered with a redirect to HTTPS (through a GKE FrontendConfig).
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/ingress-configuration#https_redirect
 */
export class PublicIngress extends Construct {
  public readonly ingress: kplus.Ingress;

  constructor(scope: Construct, id: string, props: PublicIngressProps) {
    super(scope, id);
    new ModelObject<IFrontendConfig>(this, 'Frontend', {
      apiVersion: 'networking.gke.io/v1beta1',
      kind: 'FrontendConfig',
      metadata: { name: props.name, labels: props.labels },
      spec: { redirectToHttps: { enabled: true, responseCodeName: 'MOVED_PERMANENTLY_DEFAULT' } },
    });
    this.ingress = ingress(this, props, props.className ?? 'gce', {
      'kubernetes.io/ingress.global-static-ip-name': props.staticIpName,
      'networking.gke.io/v1beta1.FrontendConfig': props.name,
    });
  }
}

/**
 * An app reachable only from inside the VPC and over the VPN: the internal load balancer, HTTPS only.
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/internal-load-balance-ingress
 */
export class InternalIngress extends Construct {
  public readonly ingress: kplus.Ingress;

  constructor(scope: Construct, id: string, props: InternalIngressProps) {
    super(scope, id);
    this.ingress = ingress(this, props, props.className ?? 'gce-internal', {
      'kubernetes.io/ingress.regional-static-ip-name': props.staticIpName,
      'kubernetes.io/ingress.allow-http': 'false',
    });
  }
}
