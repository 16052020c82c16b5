import { check, get, type Json, mutateYaml, of, fixtureFiles } from './helpers';

const WEB = 'kubernetes/prod/rollout-web.yaml';
const ADMIN = 'kubernetes/prod/rollout-admin.yaml';
const CANARY = 'kubernetes/canary/rollout-inventory-api-canary.yaml';
const VS_WEB = 'kubernetes/prod/virtualservice-web.yaml';
const VS_API = 'kubernetes/prod/virtualservice-inventory-api.yaml';
const DR_API = 'kubernetes/prod/destinationrule-inventory-api.yaml';
const messages = (rule: string, files = fixtureFiles()): string[] => of(rule, files).map((v) => `${v.file}: ${v.object}: ${v.message}`);
const canaryOf = (r: unknown): Json => get(r, 'spec', 'strategy', 'canary');

describe('the fixture output delivers progressively', () => {
  test('it has the objects these joins check, and they join', () => {
    const paths = fixtureFiles().map((f) => f.path);
    for (const p of [WEB, ADMIN, CANARY, VS_WEB, VS_API, DR_API, 'kubernetes/prod/analysistemplate-web-analysis.yaml']) expect(paths).toContain(p);
    expect(check(fixtureFiles()).violations.filter((v) => ['join-rollout', 'join-traffic-route'].includes(v.rule))).toEqual([]);
  });
});

describe('join-rollout', () => {
  test('catches an AnalysisTemplate that is not in the namespace', () => {
    const files = mutateYaml(WEB, (r) => { get(canaryOf(r), 'analysis', 'templates', 0).templateName = 'web-analysys'; });
    expect(messages('join-rollout', files)).toEqual([
      `${WEB}: Rollout/web: spec.strategy.canary.analysis runs AnalysisTemplate "web-analysys", which is not in namespace "shop-prod"`,
    ]);
  });

  test('resolves a template by namespace: the candidate runs production\'s error-budget template, from another directory', () => {
    const TEMPLATE = 'kubernetes/prod/analysistemplate-inventory-api-error-budget.yaml';
    expect(fixtureFiles().find((f) => f.path === CANARY)?.content).toContain('templateName: inventory-api-error-budget');
    const files = fixtureFiles().filter((f) => f.path !== TEMPLATE);
    expect(messages('join-rollout', files)).toEqual([
      `${CANARY}: Rollout/inventory-api-canary: spec.strategy.canary.analysis runs AnalysisTemplate "inventory-api-error-budget", which is not in namespace "shop-prod"`,
      'kubernetes/prod/rollout-inventory-api.yaml: Rollout/inventory-api: spec.strategy.canary.analysis runs AnalysisTemplate "inventory-api-error-budget", which is not in namespace "shop-prod"',
    ]);
  });

  test('catches an analysis that does not pass an argument its template requires, and a template using an undeclared argument', () => {
    const unpassed = mutateYaml(WEB, (r) => { delete get(canaryOf(r), 'analysis').args; });
    expect(messages('join-rollout', unpassed)).toEqual([
      `${WEB}: Rollout/web: spec.strategy.canary.analysis passes no argument "pod-template-hash", which AnalysisTemplate "web-analysis" requires`,
    ]);
    const TEMPLATE = 'kubernetes/prod/analysistemplate-web-analysis.yaml';
    const undeclared = mutateYaml(TEMPLATE, (t) => { delete get(t, 'spec').args; });
    expect(messages('join-rollout', undeclared)).toEqual([
      `${TEMPLATE}: AnalysisTemplate/web-analysis: uses {{args.pod-template-hash}}, which spec.args does not declare`,
    ]);
  });

  test('catches a blue-green Service that is missing or does not select the Rollout\'s pods', () => {
    const missing = mutateYaml(ADMIN, (r) => { get(r, 'spec', 'strategy', 'blueGreen').previewService = 'admin-previw'; });
    expect(messages('join-rollout', missing)).toEqual([
      `${ADMIN}: Rollout/admin: spec.strategy.blueGreen.previewService names Service "admin-previw", which is not in namespace "shop-prod"`,
    ]);
    const other = mutateYaml(ADMIN, (r) => { get(r, 'spec', 'strategy', 'blueGreen').activeService = 'web'; });
    expect(messages('join-rollout', other)).toEqual([
      `${ADMIN}: Rollout/admin: spec.strategy.blueGreen.activeService names Service "web", whose selector {"app.kubernetes.io/instance":"web","app.kubernetes.io/name":"web"} matches none of its pods`,
    ]);
  });

  test('catches Istio routing that names a missing route, subset or VirtualService', () => {
    const route = mutateYaml(WEB, (r) => { get(canaryOf(r), 'trafficRouting', 'istio', 'virtualService').routes = ['main']; });
    expect(messages('join-rollout', route)).toEqual([
      `${WEB}: Rollout/web: manages route "main" of VirtualService "web", which has no HTTP route of that name`,
    ]);
    const subset = mutateYaml(WEB, (r) => { get(canaryOf(r), 'trafficRouting', 'istio', 'destinationRule').canarySubsetName = 'preview'; });
    expect(messages('join-rollout', subset)).toEqual([
      `${WEB}: Rollout/web: routes through subset "preview", which DestinationRule "web" does not define`,
      `${WEB}: Rollout/web: manages route "primary" of VirtualService "web", which has no destination with subset "preview"`,
    ]);
    const vs = mutateYaml(WEB, (r) => { get(canaryOf(r), 'trafficRouting', 'istio', 'virtualService').name = 'storefront'; });
    expect(messages('join-rollout', vs)).toEqual([
      `${WEB}: Rollout/web: spec.strategy.canary.trafficRouting.istio names VirtualService "storefront", which is not in namespace "shop-prod"`,
    ]);
  });

  test('catches a managed route without the canary destination, whose weight the Rollout could not set', () => {
    const files = mutateYaml(VS_WEB, (v) => {
      const route = get(v, 'spec', 'http', 0);
      route.route = [{ destination: { host: 'web', subset: 'stable', port: { number: 8080 } }, weight: 100 }];
    });
    expect(messages('join-rollout', files)).toEqual([
      `${WEB}: Rollout/web: manages route "primary" of VirtualService "web", which has no destination with subset "canary"`,
    ]);
  });
});

describe('join-traffic-route', () => {
  test('catches a destination host, port or subset that does not exist', () => {
    const files = mutateYaml(VS_API, (v) => {
      const [stable, canary] = [get(v, 'spec', 'http', 0, 'route', 0, 'destination'), get(v, 'spec', 'http', 0, 'route', 1, 'destination')];
      get(stable, 'port').number = 8081;
      canary.subset = 'candidate';
    });
    expect(messages('join-traffic-route', files)).toEqual([
      `${VS_API}: VirtualService/inventory-api: routes to port 8081 of Service "inventory-api", which has no such port`,
      `${VS_API}: VirtualService/inventory-api: routes to subset "candidate" of Service "inventory-api", which no DestinationRule for it defines`,
    ]);
    const host = mutateYaml(VS_API, (v) => { get(v, 'spec', 'http', 0, 'route', 0, 'destination').host = 'inventory'; });
    expect(messages('join-traffic-route', host)).toEqual([
      `${VS_API}: VirtualService/inventory-api: routes to host "inventory", which names no Service in namespace "shop-prod"`,
    ]);
  });

  test('resolves a full host name in its own cluster only: stage\'s namespace is on another cluster', () => {
    const files = mutateYaml(VS_API, (v) => { get(v, 'spec', 'http', 0, 'route', 0, 'destination').host = 'inventory-api.shop-stage.svc.cluster.local'; });
    expect(messages('join-traffic-route', files)).toEqual([
      `${VS_API}: VirtualService/inventory-api: routes to host "inventory-api.shop-stage.svc.cluster.local", which names no Service in namespace "shop-stage"`,
    ]);
    const own = mutateYaml(VS_API, (v) => { get(v, 'spec', 'http', 0, 'route', 0, 'destination').host = 'inventory-api.shop-prod.svc.cluster.local'; });
    expect(messages('join-traffic-route', own)).toEqual([]);
  });

  test('catches a DestinationRule subset that selects no pods: the canary subset needs the canary environment\'s candidate', () => {
    const typo = mutateYaml(DR_API, (d) => { get(d, 'spec', 'subsets', 1, 'labels').track = 'canry'; });
    expect(messages('join-traffic-route', typo)).toEqual([
      `${DR_API}: DestinationRule/inventory-api: subset "canary" {"track":"canry"} selects no pods of Service "inventory-api" in namespace "shop-prod"`,
    ]);
    // The subset's pods are in kubernetes/canary, which shares namespace shop-prod: without it 10% of the traffic has no endpoint.
    const noCanary = fixtureFiles().filter((f) => !f.path.startsWith('kubernetes/canary/'));
    expect(messages('join-traffic-route', noCanary)).toEqual([
      `${DR_API}: DestinationRule/inventory-api: subset "canary" {"track":"canary"} selects no pods of Service "inventory-api" in namespace "shop-prod"`,
    ]);
  });

  test('catches a DestinationRule for a host with no Service', () => {
    const files = mutateYaml(DR_API, (d) => { get(d, 'spec').host = 'inventory'; });
    expect(messages('join-traffic-route', files)).toContain(
      `${DR_API}: DestinationRule/inventory-api: applies to host "inventory", which names no Service in namespace "shop-prod"`,
    );
  });

  test('catches a gateway-bound VirtualService whose pods\' NetworkPolicy does not admit the gateway\'s namespace', () => {
    const NP = 'kubernetes/prod/networkpolicy-web.yaml';
    const gatewayRule = (n: unknown): Json => get(n, 'spec', 'ingress', 0);
    const namespace = mutateYaml(NP, (n) => { get(gatewayRule(n), 'from', 0, 'namespaceSelector', 'matchLabels')['kubernetes.io/metadata.name'] = 'istio-system'; });
    const expected = `${VS_WEB}: VirtualService/web: takes traffic from gateway "istio-ingress/ingress-gateway" to port 8080 of Rollout/web, which no NetworkPolicy admits from namespace "istio-ingress"`;
    expect(messages('join-traffic-route', namespace)).toEqual([expected]);
    const port = mutateYaml(NP, (n) => { get(gatewayRule(n), 'ports', 0).port = 9090; });
    expect(messages('join-traffic-route', port)).toEqual([expected]);
    // A named port and an empty namespace selector (every namespace) admit it.
    const named = mutateYaml(NP, (n) => { get(gatewayRule(n), 'ports', 0).port = 'http'; get(gatewayRule(n), 'from', 0).namespaceSelector = {}; });
    expect(messages('join-traffic-route', named)).toEqual([]);
  });
});
