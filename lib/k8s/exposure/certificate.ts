import type { ICertificate } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate';
import type { ICertificatePrivateKey } from '@kubernetes-models/cert-manager/cert-manager.io/v1/CertificatePrivateKey';
import { type Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { ModelObject } from '../model-object';

/** The private key of a certificate. A new key is made at every renewal. */
export enum CertificateKey {
  ECDSA_P256 = 'ecdsa-p256',
  RSA_2048 = 'rsa-2048',
}

const PRIVATE_KEYS: Readonly<Record<CertificateKey, ICertificatePrivateKey>> = {
  [CertificateKey.ECDSA_P256]: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
  [CertificateKey.RSA_2048]: { algorithm: 'RSA', size: 2048, rotationPolicy: 'Always' },
};

/** Props of {@link Certificate}. */
export interface CertificateProps {
  /** The name of the Certificate. */
  readonly name: string;
  /** @default - the chart's namespace */
  readonly namespace?: string;
  /** @default - no labels */
  readonly labels?: Readonly<Record<string, string>>;
  /** @default - no annotations */
  readonly annotations?: Readonly<Record<string, string>>;
  /** The name of the ClusterIssuer that signs the certificate. */
  readonly clusterIssuer: string;
  /** The host names the certificate is for; a `*.` prefix makes a wildcard. */
  readonly dnsNames: readonly string[];
  /** The Secret cert-manager writes the key and certificate into, which the Ingress reads. */
  readonly secretName: string;
  /**
   * How long the certificate is valid, in whole hours.
   * @default - the issuer's default: 90 days
   */
  readonly duration?: Duration;
  /**
   * How long before expiry cert-manager renews, in whole hours.
   * @default - a third of the duration
   */
  readonly renewBefore?: Duration;
  /** @default CertificateKey.ECDSA_P256 */
  readonly key?: CertificateKey;
}

const DNS_NAME = /^(\*\.)?([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]([-a-z0-9]*[a-z0-9])?$/;
const OBJECT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * A cert-manager Certificate: a TLS certificate for the given hosts, signed by a ClusterIssuer and
 * kept renewed in a Secret.
 * @see https://cert-manager.io/docs/usage/certificate/
 */
export class Certificate extends Construct {
  public readonly resource: ModelObject<ICertificate>;
  /** The name of the Secret holding the certificate. */
  public readonly secretName: string;

  constructor(scope: Construct, id: string, props: CertificateProps) {
    super(scope, id);
    if (props.dnsNames.length === 0) {
      throw new Error(`${props.name}: dnsNames is empty; fix: list the hosts the certificate is for`);
    }
    const seen = new Set<string>();
    props.dnsNames.forEach((host, index) => {
      if (!DNS_NAME.test(host) || host.length > 253 || host.split('.').some((label) => label.length > 63)) {
        throw new Error(`${props.name}: dnsNames[${index}] "${host}" is not a lower-case host name; fix: use a name like "shop.example.com" or "*.example.com"`);
      }
      if (seen.has(host)) throw new Error(`${props.name}: dnsNames[${index}] "${host}" appears twice; fix: list each host once`);
      seen.add(host);
    });
    for (const [field, value] of [['secretName', props.secretName], ['clusterIssuer', props.clusterIssuer]] as const) {
      if (!OBJECT_NAME.test(value) || value.length > 253) {
        throw new Error(`${props.name}: ${field} "${value}" is not a Kubernetes object name; fix: use lower-case letters, digits and '-'`);
      }
    }
    const duration = props.duration && wholeHours(props.name, 'duration', props.duration);
    const renewBefore = props.renewBefore && wholeHours(props.name, 'renewBefore', props.renewBefore);
    if (duration !== undefined && duration < 1) {
      throw new Error(`${props.name}: duration (${duration}h) is shorter than cert-manager's minimum of 1h; fix: give a longer duration`);
    }
    if (renewBefore !== undefined && !(renewBefore > 0 && renewBefore < (duration ?? 90 * 24))) {
      throw new Error(`${props.name}: renewBefore (${renewBefore}h) must be longer than zero and shorter than duration (${duration ?? 90 * 24}h); fix: shorten renewBefore`);
    }
    this.secretName = props.secretName;
    this.resource = new ModelObject<ICertificate>(this, 'Resource', {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels, annotations: props.annotations && { ...props.annotations } },
      spec: {
        secretName: props.secretName,
        issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: props.clusterIssuer },
        dnsNames: [...props.dnsNames],
        duration: duration === undefined ? undefined : `${duration}h`,
        renewBefore: renewBefore === undefined ? undefined : `${renewBefore}h`,
        privateKey: { ...PRIVATE_KEYS[props.key ?? CertificateKey.ECDSA_P256] },
      },
    });
  }
}

/** The Certificate annotation naming the Ingress cert-manager's HTTP-01 solver edits in place. */
export const HTTP01_OVERRIDE_INGRESS_ANNOTATION = 'acme.cert-manager.io/http01-override-ingress-name';

/**
 * The annotations that make cert-manager's HTTP-01 solver answer on the app's own Ingress, edited in
 * place, instead of a new Ingress: GKE gives each Ingress its own load balancer and IP, so a solver
 * Ingress would not be where DNS points. The temporary certificate lets the Ingress's TLS Secret exist
 * before the first issuance, without which ingress-gce does not build the load balancer.
 * @see https://cert-manager.io/docs/usage/ingress/#supported-annotations (acme.cert-manager.io/http01-edit-in-place)
 * @see https://github.com/cert-manager/cert-manager/blob/master/pkg/controller/certificate-shim/sync.go (setIssuerSpecificConfig)
 */
export function http01InPlace(ingressName: string): Readonly<Record<string, string>> {
  return {
    [HTTP01_OVERRIDE_INGRESS_ANNOTATION]: ingressName,
    'cert-manager.io/issue-temporary-certificate': 'true',
  };
}

function wholeHours(owner: string, field: string, value: Duration): number {
  const ms = value.toMilliseconds();
  if (ms % 3_600_000 !== 0) {
    throw new Error(`${owner}: ${field} (${ms}ms) is not a whole number of hours; fix: give it in hours or days, like Duration.days(90)`);
  }
  return ms / 3_600_000;
}
