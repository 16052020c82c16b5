import { Testing } from 'cdk8s';
import { AppAuthorizationPolicy, type AppAuthorizationPolicyProps } from '../../../lib/k8s/mesh/app-authorization-policy';

const base: AppAuthorizationPolicyProps = { name: 'api', podSelector: { 'app.kubernetes.io/instance': 'api' } };

function spec(props: Partial<AppAuthorizationPolicyProps>): Record<string, unknown> {
  const chart = Testing.chart();
  new AppAuthorizationPolicy(chart, 'A', { ...base, ...props });
  return Testing.synth(chart)[0].spec as Record<string, unknown>;
}

describe('AppAuthorizationPolicy', () => {
  test('one ALLOW rule per source: principals, namespaces and ip blocks with their ports, and port-only for plaintext', () => {
    expect(spec({
      fromPrincipals: [{ principals: ['cluster.local/ns/shop/sa/web', 'cluster.local/ns/shop/sa/web-canary'], ports: [8080, 8080] }],
      fromNamespaces: [{ namespace: 'istio-ingress', ports: [8080] }],
      fromIpBlocks: [{ cidr: '10.25.0.0/23', ports: [8080] }],
      fromAnySourceOnPorts: [[9090]],
    })).toEqual({
      action: 'ALLOW',
      selector: { matchLabels: { 'app.kubernetes.io/instance': 'api' } },
      rules: [
        { from: [{ source: { principals: ['cluster.local/ns/shop/sa/web', 'cluster.local/ns/shop/sa/web-canary'] } }], to: [{ operation: { ports: ['8080'] } }] },
        { from: [{ source: { ipBlocks: ['10.25.0.0/23'] } }], to: [{ operation: { ports: ['8080'] } }] },
        { from: [{ source: { namespaces: ['istio-ingress'] } }], to: [{ operation: { ports: ['8080'] } }] },
        { to: [{ operation: { ports: ['9090'] } }] },
      ],
    });
  });

  test('a caller with no workload gets no rule: an empty principals list would match any source', () => {
    // An ALLOW policy without rules matches nothing, so the sidecar denies every request.
    const s = spec({ fromPrincipals: [{ principals: [], ports: [8080] }] });
    expect(s.action).toBe('ALLOW');
    expect(s.rules ?? []).toEqual([]);
  });

  test('fails on a rule without ports, with the fix', () => {
    expect(() => spec({ fromNamespaces: [{ namespace: 'istio-ingress', ports: [] }] })).toThrow('api: an authorization rule needs at least one port; fix: name the ports the traffic uses');
  });
});
