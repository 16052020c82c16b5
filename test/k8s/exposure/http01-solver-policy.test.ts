import { Testing } from 'cdk8s';
import { Http01SolverPolicy } from '../../../lib/k8s/exposure/http01-solver-policy';

const props = {
  name: 'acme-http01-solver',
  solverLabels: { 'acme.cert-manager.io/http01-solver': 'true' },
  port: 8089,
  sources: ['35.191.0.0/16', '130.211.0.0/22'],
};

describe('Http01SolverPolicy', () => {
  test('admits exactly the load balancer ranges to the solver pods on the solver port, and opens no egress', () => {
    const chart = Testing.chart();
    new Http01SolverPolicy(chart, 'P', props);
    const [policy] = Testing.synth(chart);
    expect(policy.kind).toBe('NetworkPolicy');
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: { 'acme.cert-manager.io/http01-solver': 'true' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ ipBlock: { cidr: '35.191.0.0/16' } }, { ipBlock: { cidr: '130.211.0.0/22' } }], ports: [{ protocol: 'TCP', port: 8089 }] }],
    });
  });

  test('fails without a source range: the policy would admit nothing and the challenge could never pass', () => {
    expect(() => new Http01SolverPolicy(Testing.chart(), 'P', { ...props, sources: [] })).toThrow('acme-http01-solver: no source ranges; fix: give the load balancer\'s ranges');
  });
});
