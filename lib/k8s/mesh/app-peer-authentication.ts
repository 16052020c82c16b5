import type { IPeerAuthentication } from '@kubernetes-models/istio/security.istio.io/v1/PeerAuthentication';
import { Construct } from 'constructs';
import { ModelObject } from '../model-object';

/** Props of {@link AppPeerAuthentication}. */
export interface AppPeerAuthenticationProps {
  readonly name: string;
  readonly labels?: Readonly<Record<string, string>>;
  /** Labels that select the app's pods, as its NetworkPolicy does. */
  readonly podSelector: Readonly<Record<string, string>>;
  /** Container ports that sources outside the mesh reach in plaintext; at least one. */
  readonly plaintextPorts: readonly number[];
}

/**
 * Keeps an app's pods on STRICT mTLS except on the ports that a source without a mesh identity
 * reaches (a load balancer, Prometheus): those accept plaintext too (PERMISSIVE). Port-level mTLS
 * works only on a policy with a workload selector, and names the container port, not the Service's.
 * @see https://istio.io/latest/docs/reference/config/security/peer_authentication/
 * @see https://github.com/istio/api/pull/1928
 */
export class AppPeerAuthentication extends Construct {
  constructor(scope: Construct, id: string, props: AppPeerAuthenticationProps) {
    super(scope, id);
    if (props.plaintextPorts.length === 0) {
      throw new Error(`${props.name}: no plaintext port; fix: leave the app to the namespace's STRICT policy`);
    }
    new ModelObject<IPeerAuthentication>(this, 'Resource', {
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: { name: props.name, labels: props.labels },
      spec: {
        selector: { matchLabels: { ...props.podSelector } },
        mtls: { mode: 'STRICT' },
        portLevelMtls: Object.fromEntries(props.plaintextPorts.map((port) => [String(port), { mode: 'PERMISSIVE' as const }])),
      },
    });
  }
}
