import { load } from 'js-yaml';
import { type Environment } from '../../lib/model/environment';
import { inboundPeers } from '../../lib/model/inbound-peers';
import { definePlatform, type Platform } from '../../lib/model/platform';
import { fixturePlatform } from '../fixtures/shop/platform';
import { mapApp } from '../helpers';
import { check, fixtureFiles, get, type Json, mutateYaml, of } from './helpers';

const PROD = 'kubernetes/prod';
const rules = (o: Json): Json[] => get(o, 'spec').rules as Json[];
const yaml = (path: string): Json => load(fixtureFiles().find((f) => f.path === path)?.content ?? '') as Json;
const messages = (files: Parameters<typeof of>[1]) => of('join-mesh-policy', files).map((v) => `${v.object}: ${v.message}`).sort();
function instance(platform: Platform, env: string, app: string) {
  const found = platform.instances(platform.environment(env) as Environment).find((i) => i.app.name === app);
  if (!found) throw new Error(`no ${app} in ${env}`);
  return found;
}

describe('inboundPeers: one model value for the NetworkPolicy and the AuthorizationPolicy', () => {
  test('callers carry the mesh identity of every workload of theirs in the namespace; outside sources make plaintext ports', () => {
    const platform = fixturePlatform();
    const api = inboundPeers(instance(platform, 'prod', 'inventory-api'), platform);
    expect(api.apps).toEqual([
      { app: 'web', ports: [8080], principals: ['cluster.local/ns/shop-prod/sa/web'] },
      { app: 'worker', ports: [8080], principals: ['cluster.local/ns/shop-prod/sa/worker'] },
      { app: 'admin', ports: [8080], principals: ['cluster.local/ns/shop-prod/sa/admin'] },
    ]);
    expect(api.plaintextPorts).toEqual([9090]);
    // The candidate takes the same callers as production, on the same Service.
    expect(inboundPeers(instance(platform, 'canary', 'inventory-api'), platform)).toEqual(api);
    const admin = inboundPeers(instance(platform, 'prod', 'admin'), platform);
    expect(admin.cidrs.map((c) => c.cidr)).toEqual(['10.25.0.0/23', '35.191.0.0/16', '130.211.0.0/22']);
    expect(admin.plaintextPorts).toEqual([8080, 9090]);
    const web = inboundPeers(instance(platform, 'prod', 'web'), platform);
    expect(web.namespaces).toEqual([
      { namespace: 'istio-ingress', ports: [8080], mesh: true },
      { namespace: 'monitoring', ports: [9090], mesh: false },
    ]);
    expect(web.plaintextPorts).toEqual([9090]);
  });

  test('a caller that also runs in the canary environment is allowed under both service accounts', () => {
    const platform = definePlatform(mapApp('web', (a) => ({ ...a, delivery: { strategy: { type: 'canary' }, canaryEnvironment: true } })));
    const api = inboundPeers(instance(platform, 'prod', 'inventory-api'), platform);
    expect(api.apps.find((a) => a.app === 'web')?.principals).toEqual(['cluster.local/ns/shop-prod/sa/web', 'cluster.local/ns/shop-prod/sa/web-canary']);
    // Other namespaces see only their own workloads.
    expect(inboundPeers(instance(platform, 'stage', 'inventory-api'), platform).apps.find((a) => a.app === 'web')?.principals).toEqual(['cluster.local/ns/shop-stage/sa/web']);
  });
});

describe('join-mesh-policy', () => {
  test('the fixture passes: the meshed namespace is STRICT and each app has a matching AuthorizationPolicy', () => {
    expect(of('join-mesh-policy', fixtureFiles())).toEqual([]);
    expect(check(fixtureFiles()).violations.filter((v) => v.rule === 'schema')).toEqual([]);
    expect(get(yaml(`${PROD}/peerauthentication-default.yaml`), 'spec', 'mtls').mode).toBe('STRICT');
    expect(rules(yaml(`${PROD}/authorizationpolicy-web.yaml`))).toEqual([
      { from: [{ source: { namespaces: ['istio-ingress'] } }], to: [{ operation: { ports: ['8080'] } }] },
      { to: [{ operation: { ports: ['9090'] } }] },
    ]);
    expect(get(yaml(`${PROD}/peerauthentication-admin.yaml`), 'spec').portLevelMtls).toEqual({ 8080: { mode: 'PERMISSIVE' }, 9090: { mode: 'PERMISSIVE' } });
    // Namespaces outside the mesh get neither.
    expect(fixtureFiles().filter((f) => f.path.startsWith('kubernetes/stage/') && /(authorizationpolicy|peerauthentication)-/.test(f.path))).toEqual([]);
  });

  test('a meshed namespace without a STRICT namespace-wide PeerAuthentication is caught', () => {
    const files = fixtureFiles().filter((f) => f.path !== `${PROD}/peerauthentication-default.yaml`);
    expect(messages(files)).toEqual(['Namespace/shop-prod: has sidecar injection but no namespace-wide STRICT PeerAuthentication']);
    const permissive = mutateYaml(`${PROD}/peerauthentication-default.yaml`, (p) => { get(p, 'spec', 'mtls').mode = 'PERMISSIVE'; });
    expect(messages(permissive)).toEqual([
      'Namespace/shop-prod: has sidecar injection but no namespace-wide STRICT PeerAuthentication',
      'PeerAuthentication/default: applies mTLS mode PERMISSIVE to the whole meshed namespace shop-prod',
    ]);
  });

  test('an AuthorizationPolicy narrower than the NetworkPolicy is caught, in the canary too', () => {
    const files = mutateYaml('kubernetes/canary/authorizationpolicy-inventory-api-canary.yaml', (a) => { rules(a).splice(1, 1); });
    expect(of('join-mesh-policy', files)).toEqual([
      {
        file: 'kubernetes/canary/networkpolicy-inventory-api-canary.yaml', object: 'NetworkPolicy/inventory-api-canary', rule: 'join-mesh-policy',
        message: 'lets principal:cluster.local/ns/shop-prod/sa/worker in on port 8080, which AuthorizationPolicy inventory-api-canary does not allow',
      },
    ]);
    const missing = fixtureFiles().filter((f) => f.path !== `${PROD}/authorizationpolicy-worker.yaml`);
    expect(messages(missing)).toEqual([
      'NetworkPolicy/worker: selects pods {"app.kubernetes.io/instance":"worker"} in meshed namespace shop-prod, but no ALLOW AuthorizationPolicy selects the same pods',
    ]);
  });

  test('an AuthorizationPolicy wider than the NetworkPolicy is caught', () => {
    const files = mutateYaml(`${PROD}/authorizationpolicy-web.yaml`, (a) => {
      rules(a).push({ from: [{ source: { principals: ['cluster.local/ns/shop-prod/sa/worker'] } }], to: [{ operation: { ports: ['8080'] } }] });
      rules(a).push({ from: [{ source: { notPrincipals: ['x'] } }], to: [{ operation: { ports: ['8080'], paths: ['/admin'] } }] });
    });
    expect(messages(files)).toEqual([
      'AuthorizationPolicy/web: allows principal:cluster.local/ns/shop-prod/sa/worker on port 8080, which NetworkPolicy web does not let in',
      'AuthorizationPolicy/web: rules[3].from uses "notPrincipals"',
      'AuthorizationPolicy/web: rules[3].to uses "paths"',
    ]);
    // So is a NetworkPolicy wider than its AuthorizationPolicy.
    const wider = mutateYaml(`${PROD}/networkpolicy-web.yaml`, (n) => {
      (get(n, 'spec').ingress as Json[]).push({ from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'admin' } } }], ports: [{ protocol: 'TCP', port: 8080 }] });
    });
    expect(messages(wider)).toEqual(['NetworkPolicy/web: lets principal:cluster.local/ns/shop-prod/sa/admin in on port 8080, which AuthorizationPolicy web does not allow']);
  });

  test('plaintext is accepted on exactly the ports a source outside the mesh reaches', () => {
    const strictLb = mutateYaml(`${PROD}/peerauthentication-admin.yaml`, (p) => { delete get(p, 'spec', 'portLevelMtls')['8080']; });
    expect(messages(strictLb)).toEqual(['NetworkPolicy/admin: lets a source outside the mesh in on port 8080, where STRICT mTLS refuses its plaintext']);
    const open = mutateYaml(`${PROD}/peerauthentication-inventory-api.yaml`, (p) => { get(p, 'spec', 'portLevelMtls')['8080'] = { mode: 'PERMISSIVE' }; });
    expect(messages(open)).toEqual(['PeerAuthentication/inventory-api: accepts plaintext on port 8080, which no source outside the mesh reaches in NetworkPolicy inventory-api']);
    const wide = mutateYaml(`${PROD}/peerauthentication-web.yaml`, (p) => { get(p, 'spec', 'mtls').mode = 'PERMISSIVE'; });
    expect(messages(wide)).toEqual(['PeerAuthentication/web: accepts plaintext on every port (mtls.mode PERMISSIVE)']);
  });
});
