import { asArray, asString, at } from './json-access';

/**
 * The directions a NetworkPolicy isolates: its `spec.policyTypes`, or when it lists none the API
 * server's default, Ingress, plus Egress when it has at least one egress rule (an empty list adds none).
 * @see https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/
 */
export function policyTypes(policy: unknown): ReadonlySet<string> {
  const listed = asArray(at(policy, 'spec', 'policyTypes')).map(asString).filter((t): t is string => t !== undefined);
  if (listed.length > 0) return new Set(listed);
  return new Set(asArray(at(policy, 'spec', 'egress')).length > 0 ? ['Ingress', 'Egress'] : ['Ingress']);
}
