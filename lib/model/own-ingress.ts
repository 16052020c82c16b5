import { type ExposureConfig } from './config';
import { type StaticIpRef } from './gcp-resources';
import { type ChallengeType } from './traffic';

/** The load balancer of an app's own GKE Ingress: the external one, or the internal one over the VPN. */
export type OwnIngressKind = 'public' | 'internal';

/**
 * An app's own GKE Ingress in one environment, decided once ({@link ownIngressKind}): the chart emits
 * the Ingress and its Certificate, Terraform reserves the address and its A record, the
 * NetworkPolicy admits the load balancer, and the HTTP-01 solver policy follows the challenge.
 */
export interface OwnIngress {
  readonly kind: OwnIngressKind;
  /** The Ingress's host: the instance's `host`. */
  readonly host: string;
  /** The reserved address: `AppInstance.gcp.staticIp`. */
  readonly staticIp: StaticIpRef;
  /**
   * How its Certificate proves the host: a public host answers HTTP-01 on this Ingress; an internal
   * one is unreachable from Let's Encrypt and proves the domain through DNS-01.
   */
  readonly challenge: ChallengeType;
}

/**
 * Whether an app gets a GKE Ingress of its own, and which: a public or internal app does, unless its
 * external hosts enter through the Istio gateway (`meshIngress`).
 */
export function ownIngressKind(exposure: ExposureConfig, meshIngress: boolean): OwnIngressKind | undefined {
  if (meshIngress) return undefined;
  return exposure.type === 'public' || exposure.type === 'internal' ? exposure.type : undefined;
}

/** The challenge of the Certificate on an Ingress of this kind. */
export function ownIngressChallenge(kind: OwnIngressKind): ChallengeType {
  return kind === 'public' ? 'http01' : 'dns01';
}
