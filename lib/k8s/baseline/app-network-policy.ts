import { IntOrString, KubeNetworkPolicy, type NetworkPolicyEgressRule, type NetworkPolicyIngressRule, type NetworkPolicyPeer } from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';

/** Pods of one app, selected by the `app.kubernetes.io/name` label. */
export interface AppPeer {
  readonly app: string;
  /** TCP ports the traffic goes to. */
  readonly ports: readonly number[];
}

/** An IP range and the TCP ports traffic to or from it uses. */
export interface CidrPeer {
  readonly cidr: string;
  readonly ports: readonly number[];
}

/** Pods in another namespace, such as the Prometheus that scrapes the app. */
export interface NamespacePeer {
  readonly namespace: string;
  /** @default - every pod of the namespace */
  readonly podLabels?: Readonly<Record<string, string>>;
  readonly ports: readonly number[];
}

/** Props of {@link AppNetworkPolicy}. */
export interface AppNetworkPolicyProps {
  readonly name: string;
  /** Labels that select the app's pods. */
  readonly podSelector: Readonly<Record<string, string>>;
  /** Apps that may call this one. @default - none */
  readonly fromApps?: readonly AppPeer[];
  /** Ranges that may call this one, such as load balancer proxies. @default - none */
  readonly fromCidrs?: readonly CidrPeer[];
  /** Namespaces that may call this one. @default - none */
  readonly fromNamespaces?: readonly NamespacePeer[];
  /** Apps this one calls. @default - none */
  readonly toApps?: readonly AppPeer[];
  /** Ranges this one calls, such as its database. @default - none */
  readonly toCidrs?: readonly CidrPeer[];
}

/**
 * The holes an app needs in its namespace's default-deny policy: exactly the declared callers in,
 * exactly the declared dependencies and ranges out.
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
export class AppNetworkPolicy extends Construct {
  constructor(scope: Construct, id: string, props: AppNetworkPolicyProps) {
    super(scope, id);
    const ingress: NetworkPolicyIngressRule[] = [
      ...(props.fromApps ?? []).map((p) => rule({ podSelector: { matchLabels: { 'app.kubernetes.io/name': p.app } } }, p.ports)),
      ...(props.fromCidrs ?? []).map((p) => rule({ ipBlock: { cidr: p.cidr } }, p.ports)),
      ...(props.fromNamespaces ?? []).map((p) =>
        rule(
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': p.namespace } },
            ...(p.podLabels ? { podSelector: { matchLabels: { ...p.podLabels } } } : {}),
          },
          p.ports,
        ),
      ),
    ].map((r) => ({ from: r.peers, ports: r.ports }));
    const egress: NetworkPolicyEgressRule[] = [
      ...(props.toApps ?? []).map((p) => rule({ podSelector: { matchLabels: { 'app.kubernetes.io/name': p.app } } }, p.ports)),
      ...(props.toCidrs ?? []).map((p) => rule({ ipBlock: { cidr: p.cidr } }, p.ports)),
    ].map((r) => ({ to: r.peers, ports: r.ports }));

    new KubeNetworkPolicy(this, 'Resource', {
      metadata: { name: props.name },
      spec: {
        podSelector: { matchLabels: { ...props.podSelector } },
        policyTypes: ['Ingress', 'Egress'],
        ingress,
        egress,
      },
    });
  }
}

function rule(peer: NetworkPolicyPeer, ports: readonly number[]) {
  if (ports.length === 0) throw new Error('a network policy rule needs at least one port; fix: name the ports the traffic uses');
  return { peers: [peer], ports: [...new Set(ports)].sort((a, b) => a - b).map((port) => ({ protocol: 'TCP', port: IntOrString.fromNumber(port) })) };
}
