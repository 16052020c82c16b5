import { platformStacks } from '../../infra/platform-stacks';
import { synthStack } from '../../lib/engine/terraform';
import { fixturePlatform } from '../fixtures/shop/platform';
import { withConfig } from '../validate/helpers';

type Doc = { resource: Record<string, Record<string, Record<string, unknown>>> };
const stacksOf = (platform: ReturnType<typeof fixturePlatform>): Map<string, Doc> =>
  new Map(platformStacks(platform).map(({ name, stack }) => [name, JSON.parse(synthStack(stack)) as Doc]));

describe('Argo CD across clusters in Terraform (docs/argocd.md)', () => {
  test('one Argo CD per cluster: no Argo CD account, no DNS endpoint', () => {
    const docs = stacksOf(fixturePlatform());
    for (const doc of docs.values()) {
      expect(Object.keys(doc.resource.google_service_account ?? {}).filter((k) => k.includes('argo'))).toEqual([]);
      for (const c of Object.values(doc.resource.google_container_cluster ?? {})) expect(c.control_plane_endpoints_config).toBeUndefined();
    }
  });

  test('a central Argo CD: its account acts for both clients, and holds the GKE role on the remote project, reached by DNS', () => {
    const docs = stacksOf(withConfig((c) => ({
      ...c,
      clusters: c.clusters.map((k) => (k.name === 'prod' ? { ...k, argocdManagedBy: 'nonprod', argoServer: 'https://gke-0123.europe-west1.gke.goog' } : k)),
    })));
    const home = docs.get('cluster-nonprod') as Doc;
    const accounts = Object.values(home.resource.google_service_account).map((a) => a.account_id);
    expect(accounts).toContain('argocd-nonprod');
    const members = Object.values(home.resource.google_service_account_iam_member).map((m) => m.member);
    expect(members).toEqual(expect.arrayContaining([
      'serviceAccount:shop-nonprod.svc.id.goog[argocd/argocd-application-controller]',
      'serviceAccount:shop-nonprod.svc.id.goog[argocd/argocd-server]',
    ]));
    const remote = docs.get('cluster-prod') as Doc;
    expect(Object.values(remote.resource.google_project_iam_member)).toContainEqual(expect.objectContaining({
      project: 'shop-prod', role: 'roles/container.developer', member: 'serviceAccount:argocd-nonprod@shop-nonprod.iam.gserviceaccount.com',
    }));
    expect(Object.values(remote.resource.google_container_cluster)[0].control_plane_endpoints_config).toEqual({ dns_endpoint_config: { allow_external_traffic: true } });
  });
});
