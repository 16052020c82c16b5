import { definePlatform } from '../../lib/model/platform';
import { synthPlatform } from '../../lib/pipeline/synth';
import { platformRules } from '../../lib/validate/platform-rules';
import { platformConfig } from '../fixtures/shop/platform';
import { check, get, mutateJson, mutateYaml, of, fixtureFiles, OPTIONS } from './helpers';

describe('joins across the planes and between objects', () => {
  test('the fixture output joins', () => {
    expect(check(fixtureFiles()).violations.filter((v) => v.rule.startsWith('join-'))).toEqual([]);
  });

  test('join-workload-identity catches a KSA naming a GSA no stack creates, or without its binding', () => {
    const SA = 'kubernetes/prod/serviceaccount-inventory-api.yaml';
    const files = mutateYaml(SA, (o) => {
      get(o, 'metadata', 'annotations')['iam.gke.io/gcp-service-account'] = 'inventory-api-prud@shop-prod.iam.gserviceaccount.com';
    });
    expect(of('join-workload-identity', files)).toEqual([
      {
        file: SA, object: 'ServiceAccount/inventory-api', rule: 'join-workload-identity',
        message: 'names Google service account "inventory-api-prud@shop-prod.iam.gserviceaccount.com", which no Terraform stack creates',
      },
    ]);
    const unbound = mutateJson('terraform/cluster-prod/main.tf.json', (s) => {
      delete get(s, 'resource', 'google_service_account_iam_member').identities_inventory_api_prod_workload_identity_user;
    });
    expect(of('join-workload-identity', unbound).map((v) => `${v.file}: ${v.message}`)).toEqual([
      `${SA}: has no roles/iam.workloadIdentityUser binding for member "serviceAccount:shop-prod.svc.id.goog[shop-prod/inventory-api]"`,
    ]);
  });

  test('join-image-registry catches an image from elsewhere than the Terraform registry', () => {
    const files = mutateYaml('kubernetes/stage/deployment-web.yaml', (d) => {
      get(d, 'spec', 'template', 'spec', 'containers', 0).image = 'docker.io/library/web:v1.3.1';
    });
    expect(of('join-image-registry', files)).toEqual([
      {
        file: 'kubernetes/stage/deployment-web.yaml', object: 'Deployment/web', rule: 'join-image-registry',
        message: 'container "app" image "docker.io/library/web:v1.3.1" is not from the platform\'s Artifact Registry repository',
      },
    ]);
    expect(check(files).violations.find((v) => v.rule === 'join-image-registry')?.fix).toBe('use an image under europe-west1-docker.pkg.dev/shop-platform/shop/');
  });

  test('join-image-registry allows exactly the operations image the platform configures', () => {
    const pinned = `europe-west1-docker.pkg.dev/shop-platform/mirror/google-cloud-cli@sha256:${'b'.repeat(64)}`;
    const platform = definePlatform({ ...platformConfig, operationsImage: pinned });
    const files = synthPlatform(platform).files;
    expect(of('join-image-registry', files, { ...OPTIONS, ...platformRules(platform) })).toEqual([]);
    // Read with another platform's images, the mirrored copy is an image from elsewhere.
    expect(of('join-image-registry', files).map((v) => v.object).sort()).toEqual(['CronJob/inventory-api-db-dump', 'CronJob/inventory-api-restore-drill']);
  });

  test('join-argocd-path catches an Application syncing a path with no file', () => {
    const files = mutateYaml('kubernetes/argocd/nonprod/application-app-stage.yaml', (a) => { get(a, 'spec', 'source').path = 'kubernetes/staging'; });
    expect(of('join-argocd-path', files)).toEqual([
      { file: 'kubernetes/argocd/nonprod/application-app-stage.yaml', object: 'Application/app-stage', rule: 'join-argocd-path', message: 'syncs path "kubernetes/staging", which holds no file of the output' },
    ]);
  });

  test('join-service-selector catches a Service that selects no pods', () => {
    const files = mutateYaml('kubernetes/dev/service-web.yaml', (s) => { get(s, 'spec', 'selector')['app.kubernetes.io/name'] = 'webb'; });
    expect(of('join-service-selector', files)).toEqual([
      {
        file: 'kubernetes/dev/service-web.yaml', object: 'Service/web', rule: 'join-service-selector',
        message: 'selector {"app.kubernetes.io/instance":"web","app.kubernetes.io/name":"webb"} matches no pods of a workload',
      },
    ]);
  });

  test('join-scale-target catches an HPA without its workload and a PDB that selects nothing', () => {
    const files = mutateYaml('kubernetes/prod/horizontalpodautoscaler-admin.yaml', (h) => { get(h, 'spec', 'scaleTargetRef').name = 'admn'; },
      mutateYaml('kubernetes/prod/poddisruptionbudget-web.yaml', (p) => { get(p, 'spec', 'selector', 'matchLabels')['app.kubernetes.io/instance'] = 'web-canary'; }));
    expect(of('join-scale-target', files).map((v) => `${v.object}: ${v.message}`).sort()).toEqual([
      'HorizontalPodAutoscaler/admin: scales Rollout/admn, which is not in kubernetes/prod',
      'PodDisruptionBudget/web: selector {"app.kubernetes.io/instance":"web-canary","app.kubernetes.io/name":"web"} matches no pods of a workload',
    ]);
  });

  test('join-scale-target catches an HPA that still scales the Deployment a Rollout replaced, or names the Rollout in the apps group', () => {
    const HPA = 'kubernetes/prod/horizontalpodautoscaler-web.yaml';
    const stale = mutateYaml(HPA, (h) => { Object.assign(get(h, 'spec', 'scaleTargetRef'), { apiVersion: 'apps/v1', kind: 'Deployment' }); });
    expect(of('join-scale-target', stale)).toEqual([
      { file: HPA, object: 'HorizontalPodAutoscaler/web', rule: 'join-scale-target', message: 'scales Deployment/web, which is not in kubernetes/prod' },
    ]);
    const group = mutateYaml(HPA, (h) => { get(h, 'spec', 'scaleTargetRef').apiVersion = 'apps/v1'; });
    expect(check(group).violations.filter((v) => v.rule === 'join-scale-target').map((v) => [v.message, v.fix])).toEqual([
      [
        'scales Rollout/web of apiVersion "apps/v1", but kubernetes/prod/rollout-web.yaml is Rollout/web of "argoproj.io/v1alpha1"',
        'set spec.scaleTargetRef.apiVersion to "argoproj.io/v1alpha1"',
      ],
    ]);
  });

  test('join-ingress-backend catches a missing Service and a missing port', () => {
    const ING = 'kubernetes/dev/ingress-web.yaml';
    const port = mutateYaml(ING, (i) => { get(i, 'spec', 'rules', 0, 'http', 'paths', 0, 'backend', 'service', 'port').number = 8081; });
    expect(of('join-ingress-backend', port)).toEqual([
      { file: ING, object: 'Ingress/web', rule: 'join-ingress-backend', message: 'routes to port 8081 of Service "web", which has no such port' },
    ]);
    const svc = mutateYaml(ING, (i) => { get(i, 'spec', 'rules', 0, 'http', 'paths', 0, 'backend', 'service').name = 'web-v2'; });
    expect(of('join-ingress-backend', svc).map((v) => v.message)).toEqual(['routes to Service "web-v2", which is not in kubernetes/dev']);
  });

  test('join-service-monitor catches a port name no selected Service has, and a selector that selects none', () => {
    const SM = 'kubernetes/dev/servicemonitor-web.yaml';
    const port = mutateYaml(SM, (m) => { get(m, 'spec', 'endpoints', 0).port = 'metrix'; });
    expect(of('join-service-monitor', port)).toEqual([
      { file: SM, object: 'ServiceMonitor/web', rule: 'join-service-monitor', message: 'scrapes port "metrix", which no selected Service names' },
    ]);
    const none = mutateYaml(SM, (m) => { get(m, 'spec', 'selector', 'matchLabels')['app.kubernetes.io/name'] = 'nobody'; });
    expect(of('join-service-monitor', none).map((v) => v.message)).toEqual([
      'selector {"app.kubernetes.io/instance":"web","app.kubernetes.io/name":"nobody"} selects no Service',
    ]);
  });

  test('cross-plane joins are skipped for a tree without Terraform stacks', () => {
    const files = fixtureFiles().filter((f) => !f.path.startsWith('terraform/'));
    expect(check(files).violations).toEqual([]);
  });
});
