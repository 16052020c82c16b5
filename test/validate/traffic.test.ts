import { load } from 'js-yaml';
import { check, fixtureFiles, get, type Json, mutateJson, mutateYaml, of } from './helpers';

const STAGE_ING = 'kubernetes/stage/ingress-web.yaml';
const STAGE_CERT = 'kubernetes/stage/certificate-web-tls.yaml';
const ADMIN_ING = 'kubernetes/prod/ingress-admin.yaml';
const ADMIN_CERT = 'kubernetes/prod/certificate-admin-tls.yaml';
const GATEWAY = 'kubernetes/prod/gateway-ingress-gateway.yaml';
const GATEWAY_CERT = 'kubernetes/prod/certificate-ingress-gateway-tls.yaml';
const WEB_VS = 'kubernetes/prod/virtualservice-web.yaml';
const DNS01 = 'kubernetes/clusters/prod/clusterissuer-letsencrypt-dns01.yaml';
const PROD_TF = 'terraform/cluster-prod/main.tf.json';
const NONPROD_TF = 'terraform/cluster-nonprod/main.tf.json';

const messages = (files: ReturnType<typeof fixtureFiles>): string[] => of('join-host-path', files).map((v) => `${v.object}: ${v.message}`);

describe('every host has a path: DNS, TLS from an issuer that can solve, a route to a Service', () => {
  test('every host of the fixture output has a complete path', () => {
    const objects = fixtureFiles().filter((f) => f.path.startsWith('kubernetes/') && f.path.endsWith('.yaml')).map((f) => load(f.content) as Json);
    const hosts = objects.flatMap((o) => {
      if (o.kind === 'Ingress') return (get(o, 'spec').rules as Json[]).map((r) => r.host as string);
      if (o.kind === 'Gateway') return (get(o, 'spec').servers as Json[]).flatMap((s) => s.hosts as string[]);
      return [];
    });
    expect([...new Set(hosts)].sort()).toEqual([
      'admin.internal.dev.shop.example.com',
      'admin.internal.shop.example.com',
      'admin.internal.stage.shop.example.com',
      'www.dev.shop.example.com',
      'www.shop.example.com',
      'www.stage.shop.example.com',
    ]);
    expect(of('join-host-path', fixtureFiles())).toEqual([]);
    expect(check(fixtureFiles()).violations).toEqual([]);
  });

  test('(i) a host whose A record is missing, in the wrong zone, or on the wrong kind of address', () => {
    const noRecord = mutateJson(NONPROD_TF, (s) => { delete get(s, 'resource', 'google_dns_record_set').traffic_records_www_stage_shop_example_com; });
    expect(messages(noRecord)).toEqual(['Ingress/web: serves host "www.stage.shop.example.com", which no public Terraform A record points at a global address named "web-stage"']);
    // The Ingress names another address than the one DNS points at.
    const otherIp = mutateYaml(STAGE_ING, (i) => { get(i, 'metadata', 'annotations')['kubernetes.io/ingress.global-static-ip-name'] = 'web-dev'; });
    expect(messages(otherIp)).toEqual(['Ingress/web: serves host "www.stage.shop.example.com", which no public Terraform A record points at a global address named "web-dev"']);
    // The gateway's host pointed at an internal address.
    const internal = mutateJson(PROD_TF, (s) => {
      get(s, 'resource', 'google_dns_record_set', 'traffic_records_www_shop_example_com').rrdatas = ['${google_compute_address.static_ips_admin_prod.address}'];
    });
    expect(messages(internal)).toEqual([
      'Gateway/ingress-gateway: serves host "www.shop.example.com", which no public Terraform A record points at a regional external address',
    ]);
    // An internal host's record in a public zone.
    const publicZone = mutateJson(PROD_TF, (s) => {
      get(s, 'resource', 'google_dns_record_set', 'traffic_records_admin_internal_shop_example_com').managed_zone = '${google_dns_managed_zone.traffic_shop_example_com.name}';
    });
    expect(messages(publicZone)).toEqual([
      'Ingress/admin: serves host "admin.internal.shop.example.com", which no private Terraform A record points at a regional internal address named "admin-prod"',
    ]);
  });

  test('(ii) TLS: the Certificate must be where the secret is read, cover the host, and name an issuer that can solve', () => {
    // The gateway's certificate made in the app namespace: Istio reads credentialName from the gateway's.
    const elsewhere = mutateYaml(GATEWAY_CERT, (c) => { get(c, 'metadata').namespace = 'shop-prod'; });
    expect(messages(elsewhere)).toEqual([
      'Gateway/ingress-gateway: reads the TLS secret "ingress-gateway-tls" for host "www.shop.example.com", but no Certificate in namespace "istio-ingress" covers the host and writes that secret',
    ]);
    const otherHost = mutateYaml(STAGE_CERT, (c) => { get(c, 'spec').dnsNames = ['shop.example.com']; });
    expect(messages(otherHost)).toEqual([
      'Ingress/web: reads the TLS secret "web-tls" for host "www.stage.shop.example.com", but no Certificate in namespace "shop-stage" covers the host and writes that secret',
    ]);
    // An internal host cannot answer HTTP-01 from Let's Encrypt.
    const http01 = mutateYaml(ADMIN_CERT, (c) => { get(c, 'spec', 'issuerRef').name = 'letsencrypt-http01'; });
    expect(messages(http01)).toEqual([
      'Ingress/admin: host "admin.internal.shop.example.com": ClusterIssuer "letsencrypt-http01" has no DNS-01 solver whose dnsZones cover it, and HTTP-01 cannot reach it',
    ]);
    // A public Ingress host on HTTP-01 without editing the Ingress in place.
    const newIngress = mutateYaml(STAGE_CERT, (c) => { delete get(c, 'metadata', 'annotations')['acme.cert-manager.io/http01-override-ingress-name']; });
    expect(messages(newIngress)).toEqual([
      'Ingress/web: host "www.stage.shop.example.com": Certificate "web-tls" would solve HTTP-01 on a new Ingress with its own IP, not on Ingress "web" (set acme.cert-manager.io/http01-override-ingress-name)',
    ]);
    // DNS-01 with no solver for the host's zone, and an issuer nothing defines.
    const noZone = mutateYaml(DNS01, (i) => { get(i, 'spec', 'acme', 'solvers', 0, 'selector').dnsZones = ['example.org']; });
    expect(messages(noZone).sort()).toEqual([
      'Gateway/ingress-gateway: host "www.shop.example.com": ClusterIssuer "letsencrypt-dns01" has no DNS-01 solver whose dnsZones cover it, and HTTP-01 cannot reach it',
      'Ingress/admin: host "admin.internal.shop.example.com": ClusterIssuer "letsencrypt-dns01" has no DNS-01 solver whose dnsZones cover it, and HTTP-01 cannot reach it',
    ]);
    const unknown = mutateYaml(ADMIN_CERT, (c) => { get(c, 'spec', 'issuerRef').name = 'letsencrypt'; });
    expect(messages(unknown)).toEqual([
      'Ingress/admin: host "admin.internal.shop.example.com": Certificate "admin-tls" names ClusterIssuer "letsencrypt", which the output does not define for its cluster',
    ]);
  });

  test('(iii) the route: an Ingress backend and the gateway-bound VirtualService reach a Service', () => {
    const noService = mutateYaml(STAGE_ING, (i) => { get(i, 'spec', 'rules', 0, 'http', 'paths', 0, 'backend', 'service').name = 'web-old'; });
    expect(messages(noService)).toEqual(['Ingress/web: routes host "www.stage.shop.example.com" to Service "web-old", which does not exist in its namespace']);
    const unbound = mutateYaml(WEB_VS, (v) => { get(v, 'spec').gateways = ['mesh']; });
    expect(messages(unbound)).toEqual([
      'Gateway/ingress-gateway: serves host "www.shop.example.com", but no VirtualService bound to gateway "istio-ingress/ingress-gateway" routes it to a Service that exists',
    ]);
    const stray = mutateYaml(WEB_VS, (v) => { get(v, 'spec', 'http', 0, 'route', 0, 'destination').host = 'web-old'; });
    expect(messages(stray)).toHaveLength(1);
  });

  test('a VirtualService bound to a Gateway the output does not define, or that does not serve its host, has no entry point', () => {
    const gone = fixtureFiles().filter((f) => f.path !== GATEWAY);
    expect(messages(gone)).toEqual([
      'VirtualService/web: binds host "www.shop.example.com" to gateway "istio-ingress/ingress-gateway", which the output does not define on its cluster',
    ]);
    const otherHost = mutateYaml(WEB_VS, (v) => { (get(v, 'spec').hosts as string[]).push('shop.example.com'); });
    expect(messages(otherHost)).toEqual([
      'VirtualService/web: binds host "shop.example.com" to gateway "istio-ingress/ingress-gateway", which has no server for it',
    ]);
  });

  test('a gateway server without TLS credentials is flagged; its HTTP redirect server needs no route', () => {
    const files = mutateYaml(GATEWAY, (g) => { delete get(g, 'spec', 'servers', 0, 'tls').credentialName; });
    expect(messages(files)).toEqual([
      'Gateway/ingress-gateway: reads the TLS secret "" for host "www.shop.example.com", but no Certificate in namespace "istio-ingress" covers the host and writes that secret',
    ]);
  });
});

describe('GKE acts on the class annotation, not spec.ingressClassName', () => {
  test('public-exposure flags an Ingress GKE would ignore, and one the API server would refuse', () => {
    const ignored = mutateYaml(ADMIN_ING, (i) => {
      delete get(i, 'metadata', 'annotations')['kubernetes.io/ingress.class'];
      get(i, 'spec').ingressClassName = 'gce-internal';
    });
    const found = check(ignored).violations.filter((v) => v.rule === 'public-exposure');
    expect(found.map((v) => `${v.object}: ${v.message} | ${v.fix}`)).toEqual([
      'Ingress/admin: sets spec.ingressClassName "gce-internal" without the kubernetes.io/ingress.class annotation: GKE takes no action on it, so no load balancer is made | remove spec.ingressClassName and set the annotation kubernetes.io/ingress.class: gce-internal',
    ]);
    // Nor does join-host-path see a door there: GKE makes no load balancer for it.
    expect(of('join-host-path', ignored)).toEqual([]);
    const both = mutateYaml(STAGE_ING, (i) => { get(i, 'spec').ingressClassName = 'gce'; });
    expect(of('public-exposure', both).map((v) => v.message)).toEqual([
      'sets both spec.ingressClassName and the kubernetes.io/ingress.class annotation, which the API server refuses',
    ]);
  });

  test('ingress-tls reads the class from the annotation', () => {
    const files = mutateYaml(STAGE_ING, (i) => { delete get(i, 'spec').tls; });
    expect(of('ingress-tls', files).map((v) => v.message)).toEqual(['is a public ingress (class gce) without TLS']);
    const internal = mutateYaml(ADMIN_ING, (i) => { delete get(i, 'spec').tls; });
    expect(of('ingress-tls', internal)).toEqual([]);
  });
});
