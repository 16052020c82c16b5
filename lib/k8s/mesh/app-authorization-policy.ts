import type { IAuthorizationPolicy } from '@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy';
import { Construct } from 'constructs';
import { type CidrPeer, type NamespacePeer } from '../baseline/app-network-policy';
import { ModelObject } from '../model-object';

type Rule = NonNullable<NonNullable<IAuthorizationPolicy['spec']>['rules']>[number];

/** Callers with a mesh identity: the service accounts of an app's workloads. */
export interface PrincipalSource {
  /** `cluster.local/ns/<namespace>/sa/<service account>`. */
  readonly principals: readonly string[];
  readonly ports: readonly number[];
}

/** A meshed namespace, such as the Istio ingress gateway's: every pod of it, as a NetworkPolicy peer. */
export type NamespaceSource = Omit<NamespacePeer, 'podLabels'>;

/** A range that connects in plaintext, such as a load balancer's proxies. */
export type IpBlockSource = CidrPeer;

/** Props of {@link AppAuthorizationPolicy}. */
export interface AppAuthorizationPolicyProps {
  readonly name: string;
  readonly labels?: Readonly<Record<string, string>>;
  /** Labels that select the app's pods, as its NetworkPolicy does. */
  readonly podSelector: Readonly<Record<string, string>>;
  /** @default - none */
  readonly fromPrincipals?: readonly PrincipalSource[];
  /** @default - none */
  readonly fromNamespaces?: readonly NamespaceSource[];
  /** @default - none */
  readonly fromIpBlocks?: readonly IpBlockSource[];
  /**
   * Ports open to any source, for a plaintext source that has neither identity nor a known address
   * (Prometheus); the NetworkPolicy narrows who that is. @default - none
   */
  readonly fromAnySourceOnPorts?: readonly (readonly number[])[];
}

/**
 * An ALLOW AuthorizationPolicy on an app's pods: once it exists, the sidecar denies every request no
 * rule matches, so the rules list exactly the app's callers and ports. `principals` and `namespaces`
 * match only mTLS traffic; plaintext sources are matched by address (`ipBlocks`, the packet's source)
 * or by port alone.
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/
 * @see https://istio.io/latest/news/security/istio-security-2021-004/
 */
export class AppAuthorizationPolicy extends Construct {
  constructor(scope: Construct, id: string, props: AppAuthorizationPolicyProps) {
    super(scope, id);
    const to = (ports: readonly number[]): Rule['to'] => {
      if (ports.length === 0) throw new Error(`${props.name}: an authorization rule needs at least one port; fix: name the ports the traffic uses`);
      return [{ operation: { ports: [...new Set(ports)].sort((a, b) => a - b).map(String) } }];
    };
    const rules: Rule[] = [
      // An empty principals list would match any source: a caller with no workload here gets no rule.
      ...(props.fromPrincipals ?? []).filter((p) => p.principals.length > 0).map((p) => ({ from: [{ source: { principals: [...p.principals] } }], to: to(p.ports) })),
      ...(props.fromIpBlocks ?? []).map((p) => ({ from: [{ source: { ipBlocks: [p.cidr] } }], to: to(p.ports) })),
      ...(props.fromNamespaces ?? []).map((p) => ({ from: [{ source: { namespaces: [p.namespace] } }], to: to(p.ports) })),
      ...(props.fromAnySourceOnPorts ?? []).map((ports) => ({ to: to(ports) })),
    ];
    new ModelObject<IAuthorizationPolicy>(this, 'Resource', {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: props.name, labels: props.labels },
      // ALLOW with no rule allows nothing, as the NetworkPolicy with no ingress rule does.
      spec: { selector: { matchLabels: { ...props.podSelector } }, action: 'ALLOW', ...(rules.length > 0 ? { rules } : {}) },
    });
  }
}
