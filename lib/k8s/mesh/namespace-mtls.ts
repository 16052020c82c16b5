import type { IPeerAuthentication } from '@kubernetes-models/istio/security.istio.io/v1/PeerAuthentication';
import { Construct } from 'constructs';
import { ModelObject } from '../model-object';

/**
 * The namespace-wide PeerAuthentication that makes every sidecar of a meshed namespace refuse
 * plaintext: only workloads with a mesh certificate can connect. A policy without a selector applies
 * to the whole namespace and must be called `default`; it cannot carry port-level settings, so an
 * app whose ports take plaintext gets its own policy ({@link AppPeerAuthentication}).
 * @see https://istio.io/latest/docs/reference/config/security/peer_authentication/
 * @see https://github.com/istio/istio/pull/20926
 */
export class NamespaceMtls extends Construct {
  public static readonly NAME = 'default';

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new ModelObject<IPeerAuthentication>(this, 'Resource', {
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: { name: NamespaceMtls.NAME },
      spec: { mtls: { mode: 'STRICT' } },
    });
  }
}
