import { platformStacks } from '../../infra/platform-stacks';
import { synthStack } from '../../lib/engine/terraform';
import { CLUSTER_ISSUERS } from '../../lib/model/traffic';
import { fixturePlatform, platformConfig } from '../fixtures/shop/platform';
import { withConfig } from '../validate/helpers';

type Resources = Record<string, Record<string, Record<string, unknown>>>;

describe('traffic model: zones, records, gateways and issuers', () => {
  const platform = fixturePlatform();

  test('one public zone per base domain and project (the canary shares production\'s), a private internal. zone per cluster', () => {
    expect(platform.traffic.zones.map((z) => `${z.project} ${z.visibility} ${z.name} ${z.domain}`).sort()).toEqual([
      'shop-nonprod private internal-dev-shop-example-com internal.dev.shop.example.com',
      'shop-nonprod private internal-stage-shop-example-com internal.stage.shop.example.com',
      'shop-nonprod public dev-shop-example-com dev.shop.example.com',
      'shop-nonprod public stage-shop-example-com stage.shop.example.com',
      'shop-prod private internal-shop-example-com internal.shop.example.com',
      'shop-prod public shop-example-com shop.example.com',
    ]);
  });

  test('each host has one record on its address: the app\'s own, or the gateway\'s for hosts entering through the mesh', () => {
    expect(platform.traffic.records.map((r) => `${r.host} -> ${r.address.name} (${r.address.kind ?? 'global'}, ${r.zone.name})`).sort()).toEqual([
      'admin.internal.dev.shop.example.com -> admin-dev (regional-internal, internal-dev-shop-example-com)',
      'admin.internal.shop.example.com -> admin-prod (regional-internal, internal-shop-example-com)',
      'admin.internal.stage.shop.example.com -> admin-stage (regional-internal, internal-stage-shop-example-com)',
      'www.dev.shop.example.com -> web-dev (global, dev-shop-example-com)',
      'www.shop.example.com -> prod-ingress-gateway (regional-external, shop-example-com)',
      'www.stage.shop.example.com -> web-stage (global, stage-shop-example-com)',
    ]);
  });

  test('production\'s gateway: what the add-on install needs, in one object', () => {
    expect(platform.traffic.gateways).toEqual([{
      env: 'prod', cluster: 'prod', namespace: 'istio-ingress', name: 'ingress-gateway', selector: { istio: 'ingressgateway' },
      staticIp: { name: 'prod-ingress-gateway', kind: 'regional-external', region: 'europe-west1' },
      hosts: ['www.shop.example.com'], tlsSecretName: 'ingress-gateway-tls', issuer: CLUSTER_ISSUERS.dns01,
    }]);
  });

  test('a public Ingress host proves itself over HTTP-01, an internal one over DNS-01', () => {
    const dev = platform.environment('dev');
    const byApp = new Map(platform.instances(dev!).map((i) => [i.app.name, i]));
    expect(byApp.get('web')!.ingress).toMatchObject({ kind: 'public', host: 'www.dev.shop.example.com', challenge: 'http01' });
    expect(byApp.get('admin')!.ingress).toMatchObject({ kind: 'internal', host: 'admin.internal.dev.shop.example.com', challenge: 'dns01' });
    // The Ingress's address is the one Terraform reserves; an app entering through the mesh has neither.
    expect(byApp.get('web')!.ingress?.staticIp).toBe(byApp.get('web')!.gcp.staticIp);
    const prodWeb = platform.instances(platform.environment('prod')!).find((i) => i.app.name === 'web')!;
    expect([prodWeb.meshIngress, prodWeb.ingress, prodWeb.gcp.staticIp]).toEqual([true, undefined, undefined]);
  });

  test('two environments on one cluster may not emit the same Gateway', () => {
    expect(() => withConfig((c) => ({
      ...c,
      environments: c.environments.map((e) => (e.name === 'stage' ? { ...e, progressiveDelivery: { istioGateway: 'istio-ingress/ingress-gateway' } } : e.name === 'dev' ? { ...e, progressiveDelivery: {} } : e)),
    }))).toThrow('env "stage", field "progressiveDelivery.istioGateway": value "istio-ingress/ingress-gateway" is also the gateway of env "dev" on cluster "nonprod": both would emit it');
  });

  test('the ACME account needs an email', () => {
    expect(() => withConfig((c) => ({ ...c, addons: { ...c.addons, acme: { email: 'nobody' } } }))).toThrow('field "addons.acme.email": value "nobody" is not an email address');
    expect(platformConfig.addons.acme.server).toBeUndefined();
    expect(platform.traffic.acme.server).toBe('https://acme-v02.api.letsencrypt.org/directory');
  });

  test('Terraform: zones, records, the gateway address, and cert-manager\'s account with the DNS role and its Workload Identity binding', () => {
    const stacks = new Map(platformStacks(platform).map(({ name, stack }) => [name, JSON.parse(synthStack(stack)) as { resource: Resources }]));
    const prod = stacks.get('cluster-prod')!.resource;
    expect(prod.google_compute_address.traffic_prod_ingress_gateway).toMatchObject({ name: 'prod-ingress-gateway', address_type: 'EXTERNAL', region: 'europe-west1' });
    expect(prod.google_dns_managed_zone.traffic_shop_example_com).toMatchObject({ dns_name: 'shop.example.com.', visibility: 'public' });
    expect(prod.google_dns_managed_zone.traffic_internal_shop_example_com).toMatchObject({ dns_name: 'internal.shop.example.com.', visibility: 'private' });
    expect(prod.google_dns_record_set.traffic_records_www_shop_example_com).toMatchObject({
      name: 'www.shop.example.com.', type: 'A', rrdatas: ['${google_compute_address.traffic_prod_ingress_gateway.address}'],
    });
    const identity = platform.clusters.find((c) => c.name === 'prod')!.certManagerIdentity;
    expect(identity.kubernetesServiceAccount).toEqual({ namespace: 'cert-manager', name: 'cert-manager' });
    expect(Object.values(prod.google_project_iam_member)).toContainEqual(expect.objectContaining({ role: 'roles/dns.admin', project: 'shop-prod' }));
    expect(Object.values(prod.google_service_account_iam_member)).toContainEqual(expect.objectContaining({
      role: 'roles/iam.workloadIdentityUser', member: identity.kubernetesMember,
    }));
    // No zone is made twice: the canary shares production's base domain.
    expect(Object.keys(prod.google_dns_managed_zone).sort()).toEqual(['internal_dns', 'private_google_access_zone', 'traffic_internal_shop_example_com', 'traffic_shop_example_com']);
  });
});
