import type { IBackendConfig } from '@kubernetes-models/gke/cloud.google.com/v1/BackendConfig';
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
  /** The HTTP path the load balancer's health check requests: the pods' readiness path. */
  readonly healthCheckPath: string;
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
 * The classes GKE's Ingress controller acts on: the external and the internal Application Load Balancer.
 * @see https://cloud.google.com/kubernetes-engine/docs/concepts/ingress#controller_summary
 */
export const GKE_INGRESS_CLASS = { external: 'gce', internal: 'gce-internal' } as const;

/**
 * The annotations that bind an Ingress to its reserved address: global for `gce`, regional for `gce-internal`.
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/ingress-configuration
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/internal-load-balance-ingress
 */
export const GKE_STATIC_IP_ANNOTATIONS = {
  global: 'kubernetes.io/ingress.global-static-ip-name',
  regional: 'kubernetes.io/ingress.regional-static-ip-name',
} as const;

/** The Service annotations GKE's Ingress controller reads. */
export const GKE_SERVICE_ANNOTATIONS = {
  neg: 'cloud.google.com/neg',
  backendConfig: 'cloud.google.com/backend-config',
} as const;

/**
 * The Service behind a GKE Ingress: container-native load balancing (NEGs), which gce-internal
 * requires and GKE turns on by itself only on clusters without GKE network policy or Shared VPC; and a
 * BackendConfig whose explicit health check asks the serving port for the readiness path. GKE cannot
 * infer it from the readiness probe when Istio rewrites the probe to its agent, and would fall back to
 * `GET /`.
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/container-native-load-balancing#requirements
 * @see https://cloud.google.com/kubernetes-engine/docs/concepts/ingress#health_checks
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/ingress-configuration#direct_health
 */
function backend(scope: Construct, props: AppIngressProps): void {
  new ModelObject<IBackendConfig>(scope, 'Backend', {
    apiVersion: 'cloud.google.com/v1',
    kind: 'BackendConfig',
    metadata: { name: props.name, labels: props.labels },
    spec: { healthCheck: { type: 'HTTP', port: props.port, requestPath: props.healthCheckPath } },
  });
  props.service.metadata.addAnnotation(GKE_SERVICE_ANNOTATIONS.neg, JSON.stringify({ ingress: true }));
  props.service.metadata.addAnnotation(GKE_SERVICE_ANNOTATIONS.backendConfig, JSON.stringify({ default: props.name }));
}

/**
 * GKE's Ingress controller acts on the `kubernetes.io/ingress.class` annotation (gce, gce-internal)
 * and takes no action on an Ingress with only `spec.ingressClassName`; the API server refuses an
 * Ingress that sets both.
 * @see https://cloud.google.com/kubernetes-engine/docs/concepts/ingress#controller_summary
 */
function ingress(scope: Construct, props: AppIngressProps, className: string, annotations: Record<string, string>): kplus.Ingress {
  backend(scope, props);
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
    this.ingress = ingress(this, props, props.className ?? GKE_INGRESS_CLASS.external, {
      [GKE_STATIC_IP_ANNOTATIONS.global]: props.staticIpName,
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
    this.ingress = ingress(this, props, props.className ?? GKE_INGRESS_CLASS.internal, {
      [GKE_STATIC_IP_ANNOTATIONS.regional]: props.staticIpName,
      'kubernetes.io/ingress.allow-http': 'false',
    });
  }
}
