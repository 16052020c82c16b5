import { Construct } from 'constructs';
import { type InboundPeers } from '../../model/inbound-peers';
import { AppAuthorizationPolicy } from './app-authorization-policy';
import { AppPeerAuthentication } from './app-peer-authentication';

/** Props of {@link AppMeshPolicy}. */
export interface AppMeshPolicyProps {
  readonly name: string;
  readonly labels?: Readonly<Record<string, string>>;
  /** Labels that select the app's pods: the same as its NetworkPolicy's. */
  readonly podSelector: Readonly<Record<string, string>>;
  /** The callers the NetworkPolicy lets in, from the same model value. */
  readonly peers: InboundPeers;
}

/**
 * The mesh layer of an app's inbound policy in a meshed namespace: an AuthorizationPolicy that
 * allows exactly the callers of its NetworkPolicy, and, where a source outside the mesh reaches a
 * port, a PeerAuthentication that accepts plaintext on exactly those ports.
 */
export class AppMeshPolicy extends Construct {
  constructor(scope: Construct, id: string, props: AppMeshPolicyProps) {
    super(scope, id);
    const { name, labels, podSelector, peers } = props;
    new AppAuthorizationPolicy(this, 'Authorization', {
      name,
      labels,
      podSelector,
      fromPrincipals: peers.apps,
      fromIpBlocks: peers.cidrs,
      fromNamespaces: peers.namespaces.filter((n) => n.mesh),
      fromAnySourceOnPorts: peers.namespaces.filter((n) => !n.mesh).map((n) => n.ports),
    });
    if (peers.plaintextPorts.length > 0) {
      new AppPeerAuthentication(this, 'PeerAuthentication', { name, labels, podSelector, plaintextPorts: peers.plaintextPorts });
    }
  }
}
