import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { InternalIngress, PublicIngress } from '../../../lib/k8s/exposure/app-ingress';

function synth(build: (chart: ReturnType<typeof Testing.chart>, service: kplus.Service) => void) {
  const chart = Testing.chart();
  const service = new kplus.Service(chart, 'S', { metadata: { name: 'web' }, ports: [{ port: 8080 }] });
  build(chart, service);
  return Testing.synth(chart);
}
const common = { name: 'web', labels: { 'app.kubernetes.io/name': 'web' }, host: 'www.shop.example.com', port: 8080, tlsSecretName: 'web-tls', healthCheckPath: '/readyz' };

describe('PublicIngress', () => {
  const objs = synth((chart, service) => new PublicIngress(chart, 'I', { ...common, service, staticIpName: 'shop-prod-web' }));
  const ingress = objs.find((o) => o.kind === 'Ingress');

  test('uses the external load balancer on the reserved static IP, with TLS for its host', () => {
    expect(ingress.spec.ingressClassName).toBeUndefined();
    expect(ingress.metadata.annotations['kubernetes.io/ingress.class']).toBe('gce');
    expect(ingress.metadata.annotations['kubernetes.io/ingress.global-static-ip-name']).toBe('shop-prod-web');
    expect(ingress.spec.tls).toEqual([{ hosts: ['www.shop.example.com'], secretName: 'web-tls' }]);
    expect(ingress.spec.rules[0]).toMatchObject({ host: 'www.shop.example.com', http: { paths: [{ path: '/', backend: { service: { name: 'web', port: { number: 8080 } } } }] } });
  });

  test('redirects HTTP to HTTPS through a FrontendConfig', () => {
    const frontend = objs.find((o) => o.kind === 'FrontendConfig');
    expect(frontend.spec.redirectToHttps.enabled).toBe(true);
    expect(ingress.metadata.annotations['networking.gke.io/v1beta1.FrontendConfig']).toBe(frontend.metadata.name);
  });
});

describe('InternalIngress', () => {
  test('uses the internal load balancer by annotation, HTTPS only, on its reserved internal address', () => {
    const objs = synth((chart, service) => new InternalIngress(chart, 'I', { ...common, service, staticIpName: 'admin-dev' }));
    const ingress = objs.find((o) => o.kind === 'Ingress');
    expect(ingress.spec.ingressClassName).toBeUndefined();
    expect(ingress.metadata.annotations).toEqual({
      'kubernetes.io/ingress.class': 'gce-internal',
      'kubernetes.io/ingress.regional-static-ip-name': 'admin-dev',
      'kubernetes.io/ingress.allow-http': 'false',
    });
    expect(objs.map((o) => o.kind).sort()).toEqual(['BackendConfig', 'Ingress', 'Service']);
  });
});

describe('the Service behind a GKE Ingress', () => {
  test('uses NEGs and a BackendConfig that health-checks the serving port at the readiness path', () => {
    const objs = synth((chart, service) => new InternalIngress(chart, 'I', { ...common, service, staticIpName: 'admin-dev' }));
    const service = objs.find((o) => o.kind === 'Service');
    const backend = objs.find((o) => o.kind === 'BackendConfig');
    expect(backend.metadata.name).toBe('web');
    expect(backend.spec).toEqual({ healthCheck: { type: 'HTTP', port: 8080, requestPath: '/readyz' } });
    expect(service.metadata.annotations).toEqual({
      'cloud.google.com/neg': '{"ingress":true}',
      'cloud.google.com/backend-config': '{"default":"web"}',
    });
  });
});
