import type { IClusterIssuer } from '@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer';
import { Construct } from 'constructs';
import { type DnsZoneRef } from '../../model/traffic';
import { ModelObject } from '../model-object';
import { GKE_INGRESS_CLASS } from './app-ingress';

/** Props of {@link AcmeClusterIssuers}. */
export interface AcmeClusterIssuersProps {
  readonly labels: Readonly<Record<string, string>>;
  /** The ACME directory and the account's email. */
  readonly server: string;
  readonly email: string;
  /** The issuers' names. */
  readonly http01Name: string;
  readonly dns01Name: string;
  /** The public zones of the cluster's environments: one DNS-01 solver each. */
  readonly zones: readonly DnsZoneRef[];
}

/**
 * A cluster's two ACME ClusterIssuers:
 * - HTTP-01 on GKE Ingresses (class `gce`). Each Certificate names its Ingress in
 *   `acme.cert-manager.io/http01-override-ingress-name`, which replaces the solver's class, so the
 *   challenge path is added to the Ingress that owns the host's IP.
 * - DNS-01 through Cloud DNS, one solver per public zone (`selector.dnsZones` covers the zone and
 *   its subdomains, `internal.` included). The TXT record goes into the PUBLIC zone, which Let's
 *   Encrypt resolves; cert-manager authenticates through Workload Identity (no key in the issuer).
 * @see https://cert-manager.io/docs/configuration/acme/http01/
 * @see https://cert-manager.io/docs/configuration/acme/dns01/google/
 * @see https://cert-manager.io/docs/configuration/acme/#adding-multiple-solver-types
 */
export class AcmeClusterIssuers extends Construct {
  constructor(scope: Construct, id: string, props: AcmeClusterIssuersProps) {
    super(scope, id);
    const acme = (name: string): { server: string; email: string; privateKeySecretRef: { name: string } } => ({
      server: props.server,
      email: props.email,
      // The ACME account key, kept in cert-manager's cluster resource namespace.
      privateKeySecretRef: { name: `${name}-account` },
    });
    new ModelObject<IClusterIssuer>(this, 'Http01', {
      apiVersion: 'cert-manager.io/v1',
      kind: 'ClusterIssuer',
      metadata: { name: props.http01Name, labels: props.labels },
      spec: { acme: { ...acme(props.http01Name), solvers: [{ http01: { ingress: { class: GKE_INGRESS_CLASS.external } } }] } },
    });
    new ModelObject<IClusterIssuer>(this, 'Dns01', {
      apiVersion: 'cert-manager.io/v1',
      kind: 'ClusterIssuer',
      metadata: { name: props.dns01Name, labels: props.labels },
      spec: {
        acme: {
          ...acme(props.dns01Name),
          solvers: props.zones.map((z) => ({
            selector: { dnsZones: [z.domain] },
            dns01: { cloudDNS: { project: z.project, hostedZoneName: z.name } },
          })),
        },
      },
    });
  }
}
