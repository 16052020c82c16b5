import { load } from 'js-yaml';
import { fixtureFiles, get, type Json, mutateYaml, of } from './helpers';

const PROD_CERT_MANAGER = 'kubernetes/argocd/prod/application-addon-prod-cert-manager.yaml';
const PROD_ISTIOD = 'kubernetes/argocd/prod/application-addon-prod-istiod.yaml';
const ARGOCD = 'kubernetes/argocd/nonprod/application-addon-nonprod-argo-cd.yaml';

const lines = (rule: string, files: ReturnType<typeof fixtureFiles>): string[] => of(rule, files).map((v) => `${v.file} ${v.object}: ${v.message}`);
const without = (path: string): ReturnType<typeof fixtureFiles> => fixtureFiles().filter((f) => f.path !== path);

describe('join-addon-controller: every custom kind has its controller on its cluster, pinned', () => {
  test('the fixture installs a controller for every custom kind it emits', () => {
    expect(lines('join-addon-controller', fixtureFiles())).toEqual([]);
  });

  test('a cluster without cert-manager is one finding per kind and directory that needs it', () => {
    const found = lines('join-addon-controller', without(PROD_CERT_MANAGER));
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((l) => l.includes('no Application installs the cert-manager chart "cert-manager"'))).toBe(true);
    expect(found).toEqual(expect.arrayContaining([expect.stringMatching(/^kubernetes\/clusters\/prod\/clusterissuer-.* is a cert-manager.io\/ClusterIssuer applied to cluster in-cluster@prod/)]));
    // nonprod keeps its own cert-manager: none of its objects is a finding.
    expect(found.some((l) => l.startsWith('kubernetes/dev/') || l.startsWith('kubernetes/clusters/nonprod/'))).toBe(false);
  });

  test('without istiod, the meshed environment\'s Istio objects have no controller', () => {
    const found = lines('join-addon-controller', without(PROD_ISTIOD));
    expect(found).toEqual(expect.arrayContaining([
      expect.stringContaining('is a security.istio.io/PeerAuthentication applied to cluster in-cluster@prod, where no Application installs the istiod chart'),
      expect.stringContaining('is a networking.istio.io/VirtualService'),
    ]));
  });

  test('a range, "*" or "latest" is no pinned version, and installs nothing the rule counts', () => {
    for (const revision of ['1.x', '*', 'latest', '>=1.16.0']) {
      const files = mutateYaml(PROD_CERT_MANAGER, (a) => { get(a, 'spec', 'source').targetRevision = revision; });
      const found = lines('join-addon-controller', files);
      expect(found).toEqual(expect.arrayContaining([`${PROD_CERT_MANAGER} Application/addon-prod-cert-manager: installs chart "cert-manager" at targetRevision "${revision}", which is not an exact version: Argo CD follows a range or "latest" to whatever is newest`]));
      expect(found.some((l) => l.includes('ClusterIssuer applied to cluster in-cluster@prod'))).toBe(true);
    }
  });

  test('an add-on too old for the API version of the objects is one finding per directory and version', () => {
    const ESO = 'kubernetes/argocd/prod/application-addon-prod-external-secrets.yaml';
    const old = mutateYaml(ESO, (a) => { get(a, 'spec', 'source').targetRevision = '0.12.1'; });
    const found = lines('join-addon-controller', old);
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((l) => l.includes('but cluster in-cluster@prod runs external-secrets 0.12.1, which serves external-secrets.io/v1 only from 0.16.0: the API server refuses it'))).toBe(true);
    expect(lines('join-addon-controller', mutateYaml(ESO, (a) => { get(a, 'spec', 'source').targetRevision = '0.16.0'; }))).toEqual([]);
  });

  test('a custom kind no add-on is known to serve is a finding', () => {
    const files = mutateYaml('kubernetes/prod/service-admin.yaml', (s) => { s.apiVersion = 'example.com/v1'; s.kind = 'Widget'; });
    expect(lines('join-addon-controller', files)).toEqual([
      'kubernetes/prod/service-admin.yaml Widget/admin: is a example.com/Widget, which no add-on is known to serve',
    ]);
  });
});

describe('join-argocd-tracking: Argo CD tracks by annotation while selectors use app.kubernetes.io/instance', () => {
  test('the argo-cd add-on sets annotation tracking, and the fixture is clean', () => {
    const app = load(fixtureFiles().find((f) => f.path === ARGOCD)?.content ?? '') as Json;
    expect(get(app, 'spec', 'source', 'helm', 'valuesObject', 'configs', 'cm')['application.resourceTrackingMethod']).toBe('annotation');
    expect(lines('join-argocd-tracking', fixtureFiles())).toEqual([]);
  });

  test('label tracking, annotation+label, or no setting (Argo CD 2.x defaults to label) is a finding, as Services select by the instance label', () => {
    for (const method of ['label', 'annotation+label', undefined]) {
      const files = mutateYaml(ARGOCD, (a) => {
        const cm = get(a, 'spec', 'source', 'helm', 'valuesObject', 'configs', 'cm');
        if (method === undefined) delete cm['application.resourceTrackingMethod'];
        else cm['application.resourceTrackingMethod'] = method;
      });
      expect(lines('join-argocd-tracking', files)).toEqual([
        expect.stringMatching(new RegExp(`^${ARGOCD} Application/addon-nonprod-argo-cd: tracks resources by "${(method ?? 'label').replace('+', '\\+')}", which rewrites the app.kubernetes.io/instance label on every object, but kubernetes/\\S+ \\((Service|ServiceMonitor|PodMonitor|PodDisruptionBudget|NetworkPolicy)/\\S+\\) selects by it$`)),
      ]);
    }
  });

  test('label tracking on another label key rewrites no label a selector uses', () => {
    const files = mutateYaml(ARGOCD, (a) => {
      const cm = get(a, 'spec', 'source', 'helm', 'valuesObject', 'configs', 'cm');
      cm['application.resourceTrackingMethod'] = 'label';
      cm['application.instanceLabelKey'] = 'argocd.argoproj.io/instance';
    });
    expect(lines('join-argocd-tracking', files)).toEqual([]);
  });
});
