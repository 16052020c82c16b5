import { Testing } from 'cdk8s';
import { AppMeshPolicy } from '../../../lib/k8s/mesh/app-mesh-policy';
import { AppPeerAuthentication } from '../../../lib/k8s/mesh/app-peer-authentication';
import { type InboundPeers } from '../../../lib/model/inbound-peers';

const podSelector = { 'app.kubernetes.io/instance': 'api' };

describe('AppMeshPolicy', () => {
  test('allows callers by identity, the gateway by namespace, ranges by address and Prometheus by port, with plaintext on exactly those ports', () => {
    const chart = Testing.chart();
    const peers: InboundPeers = {
      apps: [
        { app: 'web', ports: [8080], principals: ['cluster.local/ns/shop/sa/web', 'cluster.local/ns/shop/sa/web-canary'] },
        // A caller with no workload in the namespace: an empty principals list would match anyone.
        { app: 'batch', ports: [8080], principals: [] },
      ],
      cidrs: [{ cidr: '10.25.0.0/23', ports: [8080] }],
      namespaces: [
        { namespace: 'istio-ingress', ports: [8080], mesh: true },
        { namespace: 'monitoring', ports: [9090], mesh: false },
      ],
      plaintextPorts: [8080, 9090],
    };
    new AppMeshPolicy(chart, 'M', { name: 'api', podSelector, peers });
    const [authz, peer] = Testing.synth(chart);
    expect(authz.kind).toBe('AuthorizationPolicy');
    expect(authz.spec).toEqual({
      selector: { matchLabels: podSelector },
      action: 'ALLOW',
      rules: [
        { from: [{ source: { principals: ['cluster.local/ns/shop/sa/web', 'cluster.local/ns/shop/sa/web-canary'] } }], to: [{ operation: { ports: ['8080'] } }] },
        { from: [{ source: { ipBlocks: ['10.25.0.0/23'] } }], to: [{ operation: { ports: ['8080'] } }] },
        { from: [{ source: { namespaces: ['istio-ingress'] } }], to: [{ operation: { ports: ['8080'] } }] },
        { to: [{ operation: { ports: ['9090'] } }] },
      ],
    });
    expect(peer.spec).toEqual({
      selector: { matchLabels: podSelector },
      mtls: { mode: 'STRICT' },
      portLevelMtls: { 8080: { mode: 'PERMISSIVE' }, 9090: { mode: 'PERMISSIVE' } },
    });
  });

  test('an app without callers allows nothing, and needs no port-level policy', () => {
    const chart = Testing.chart();
    new AppMeshPolicy(chart, 'M', { name: 'job', podSelector, peers: { apps: [], cidrs: [], namespaces: [], plaintextPorts: [] } });
    const objects = Testing.synth(chart);
    expect(objects.map((o) => o.kind)).toEqual(['AuthorizationPolicy']);
    expect(objects[0].spec).toEqual({ selector: { matchLabels: podSelector }, action: 'ALLOW' });
    expect(() => new AppPeerAuthentication(Testing.chart(), 'P', { name: 'job', podSelector, plaintextPorts: [] })).toThrow(/no plaintext port/);
  });
});
