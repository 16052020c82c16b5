import { Duration } from 'cdk8s';
import { platformConfig as base } from '../fixtures/shop/platform';
import { type PlatformConfig } from '../../lib/model/config';
import { definePlatform, type Platform } from '../../lib/model/platform';
import { type ReleasesConfig } from '../../lib/model/releases';
import { configRejection, mapApp, mapEnv } from '../helpers';

function withReleases(change: (r: ReleasesConfig) => ReleasesConfig): PlatformConfig {
  return { ...base, releases: change(base.releases) };
}
const rejection = configRejection;
function instance(platform: Platform, env: string, app: string) {
  const e = platform.environment(env);
  if (!e) throw new Error(`no env ${env}`);
  return platform.instances(e).find((i) => i.app.name === app);
}

describe('delivery in the fixture platform', () => {
  const platform = definePlatform(base);

  test('each app has the strategy the acceptance names', () => {
    const strategy = (app: string) => platform.apps.find((a) => a.name === app)?.delivery;
    expect(strategy('inventory-api')).toMatchObject({ strategy: { type: 'canary' }, canaryEnvironment: true });
    expect(strategy('web')).toMatchObject({ strategy: { type: 'rolloutIstio' }, canaryEnvironment: false });
    expect(strategy('admin')).toMatchObject({ strategy: { type: 'blueGreen', autoPromotion: false }, canaryEnvironment: false });
    expect(strategy('worker')).toEqual({ strategy: { type: 'rolling' }, canaryEnvironment: false });
  });

  test('the default canary steps are 10, 25, 50, 75, 100, pausing 5 minutes between steps, not after the last', () => {
    const d = instance(platform, 'prod', 'inventory-api')?.delivery;
    if (d?.type !== 'canary') throw new Error('inventory-api is no canary in prod');
    expect(d.steps.map((s) => s.weight)).toEqual([10, 25, 50, 75, 100]);
    expect(d.steps.map((s) => s.pause?.toSeconds())).toEqual([300, 300, 300, 300, undefined]);
    expect(d.analysis).toMatchObject({ successRate: 0.99 });
    expect(d.analysis.p95Latency.toMilliseconds()).toBe(500);
    expect(d.analysis.interval.toSeconds()).toBe(30);
  });

  test('only production is progressive: dev and stage roll every app out as a Deployment', () => {
    for (const env of ['dev', 'stage']) {
      for (const app of ['inventory-api', 'web', 'worker', 'admin']) expect(instance(platform, env, app)?.delivery).toEqual({ type: 'rolling' });
    }
    expect(instance(platform, 'prod', 'worker')?.delivery).toEqual({ type: 'rolling' });
  });

  test('the canary environment runs only the candidates of apps that go through it, on the canary track', () => {
    const canary = platform.environment('canary');
    if (!canary) throw new Error('no canary');
    expect(platform.instances(canary).map((i) => i.name)).toEqual(['inventory-api-canary']);
    const candidate = instance(platform, 'canary', 'inventory-api');
    expect(candidate?.track).toBe('canary');
    expect(candidate?.delivery).toMatchObject({ type: 'candidate', stableInstance: 'inventory-api', maxErrorRateIncrease: 0.01, maxLatencyIncrease: 0.2 });
    if (candidate?.delivery.type !== 'candidate') throw new Error('no candidate');
    expect(candidate.delivery.bakeTime.toHours()).toBe(24);
    expect(instance(platform, 'prod', 'inventory-api')?.track).toBe('stable');
  });

  test('production takes the candidate\'s configured weight while the candidate runs another release', () => {
    // The seed runs v1.3.2 in canary and v1.3.1 in prod.
    expect(instance(platform, 'prod', 'inventory-api')?.delivery).toMatchObject({ candidate: { instance: 'inventory-api-canary', weight: 10 } });
  });

  test('the weight is 0 when no candidate is live: canary runs what prod runs', () => {
    const same = definePlatform(withReleases((r) => ({ environments: { ...r.environments, canary: { ...r.environments.canary, tag: r.environments.prod.tag } } })));
    expect(instance(same, 'prod', 'inventory-api')?.delivery).toMatchObject({ candidate: { weight: 0 } });
  });

  test('the release state\'s weight (promote --step) wins over the configured one', () => {
    const stepped = definePlatform(withReleases((r) => ({ environments: { ...r.environments, canary: { ...r.environments.canary, canaryWeight: 50 } } })));
    expect(instance(stepped, 'prod', 'inventory-api')?.delivery).toMatchObject({ candidate: { weight: 50 } });
  });

  test('external hosts of apps whose traffic Istio splits enter through the gateway, and get no static IP there', () => {
    expect(instance(platform, 'prod', 'web')?.meshIngress).toBe(true);
    expect(instance(platform, 'prod', 'web')?.gcp.staticIp).toBeUndefined();
    expect(instance(platform, 'stage', 'web')?.meshIngress).toBe(false);
    expect(instance(platform, 'stage', 'web')?.gcp.staticIp).toBeDefined();
    expect(instance(platform, 'prod', 'admin')?.meshIngress).toBe(false);
  });

  test('an app that serves HTTP defaults to the canary strategy through the canary environment; a worker to rolling', () => {
    const defaults = definePlatform(mapApp('inventory-api', (a) => ({ ...a, delivery: undefined, slo: undefined })));
    const app = defaults.apps.find((a) => a.name === 'inventory-api');
    expect(app?.delivery).toMatchObject({ strategy: { type: 'canary' }, canaryEnvironment: true });
    expect(app?.slo).toEqual({ availability: 0.995, latency: undefined, window: expect.anything() });
    expect(app?.slo?.window.toDays()).toBe(30);
    const worker = definePlatform(mapApp('worker', (a) => ({ ...a, delivery: undefined }))).apps.find((a) => a.name === 'worker');
    expect(worker?.delivery.strategy).toEqual({ type: 'rolling' });
    expect(worker?.slo).toBeUndefined();
  });

  test('SLO targets are percents turned into shares without float noise', () => {
    expect(platform.apps.find((a) => a.name === 'inventory-api')?.slo).toMatchObject({ availability: 0.999, latency: { objective: 0.99 } });
  });
});

describe('invalid strategies, SLOs and canary settings are rejected with a one-line message', () => {
  const steps = (weights: number[]) => mapApp('inventory-api', (a) => ({ ...a, delivery: { strategy: { type: 'canary', steps: weights.map((weight) => ({ weight })) } } }));
  const cases: [string, PlatformConfig, RegExp][] = [
    ['the canary environment together with rolloutIstio', mapApp('web', (a) => ({ ...a, delivery: { strategy: { type: 'rolloutIstio' }, canaryEnvironment: true } })),
      /app "web", field "delivery\.canaryEnvironment": value true cannot be combined with strategy "rolloutIstio": .*argo-rollouts issue 1364\); fix: set canaryEnvironment: false, or use strategy "canary"/],
    ['the canary environment together with blueGreen', mapApp('admin', (a) => ({ ...a, delivery: { strategy: { type: 'blueGreen' }, canaryEnvironment: true } })),
      /app "admin", field "delivery\.canaryEnvironment": value true cannot be combined with strategy "blueGreen": blue-green switches Services/],
    ['the canary environment together with a rolling update', mapApp('inventory-api', (a) => ({ ...a, delivery: { strategy: { type: 'rolling' }, canaryEnvironment: true } })),
      /app "inventory-api", field "delivery\.canaryEnvironment": value true cannot be combined with strategy "rolling"/],
    ['a progressive strategy for an app that serves no HTTP', mapApp('worker', (a) => ({ ...a, delivery: { strategy: { type: 'blueGreen' } } })),
      /app "worker", field "delivery\.strategy\.type": value "blueGreen" needs an app that serves HTTP.*; fix: use \{ type: "rolling" \} for a worker/],
    ['the canary environment on a platform without one', { ...mapEnv('canary', (e) => ({ ...e, canary: undefined })) },
      /app "inventory-api", field "delivery\.canaryEnvironment": value true is set, but no environment of the platform has canary settings/],
    ['steps that do not end at 100', steps([10, 50]), /app "inventory-api", field "delivery\.strategy\.steps\[1\]\.weight": value 50 is the last step but not 100; fix: end the steps at 100/],
    ['steps that do not rise', steps([10, 10, 100]), /field "delivery\.strategy\.steps\[1\]\.weight": value 10 does not rise above the step before \(10\); fix: make the weights strictly increasing/],
    ['a step above 100', steps([50, 120]), /field "delivery\.strategy\.steps\[1\]\.weight": value 120 is not an integer from 1 to 100/],
    ['a step of 0', steps([0, 100]), /field "delivery\.strategy\.steps\[0\]\.weight": value 0 is not an integer from 1 to 100/],
    ['no steps', steps([]), /field "delivery\.strategy\.steps": value \[\] is empty/],
    ['a success rate above 1', mapApp('web', (a) => ({ ...a, delivery: { strategy: { type: 'rolloutIstio', analysis: { successRate: 1.5 } } } })),
      /app "web", field "delivery\.strategy\.analysis\.successRate": value 1\.5 is not above 0 and at most 1/],
    ['a p95 latency of zero', mapApp('admin', (a) => ({ ...a, delivery: { strategy: { type: 'blueGreen', analysis: { p95Latency: Duration.millis(0) } } } })),
      /app "admin", field "delivery\.strategy\.analysis\.p95Latency": value "0ms" is not longer than zero/],
    ['an availability target of 100', mapApp('web', (a) => ({ ...a, slo: { availability: 100 } })),
      /app "web", field "slo\.availability": value 100 is not strictly between 0 and 100; fix: give a percent such as 99\.9/],
    ['an availability target of 0', mapApp('web', (a) => ({ ...a, slo: { availability: 0 } })), /field "slo\.availability": value 0 is not strictly between 0 and 100/],
    ['a latency target above 100', mapApp('web', (a) => ({ ...a, slo: { availability: 99, latency: { target: 101, threshold: Duration.millis(300) } } })),
      /field "slo\.latency\.target": value 101 is not strictly between 0 and 100/],
    ['a latency threshold of zero', mapApp('web', (a) => ({ ...a, slo: { availability: 99, latency: { target: 99, threshold: Duration.millis(0) } } })),
      /field "slo\.latency\.threshold": value "0ms" is not longer than zero/],
    ['an SLO window of zero', mapApp('web', (a) => ({ ...a, slo: { availability: 99.9, window: Duration.days(0) } })),
      /app "web", field "slo\.window": value "0ms" is not a whole number of days from 7 to 90.*; fix: give a window such as Duration\.days\(30\)/],
    ['an SLO window of a few hours', mapApp('web', (a) => ({ ...a, slo: { availability: 99.9, window: Duration.hours(36) } })), /field "slo\.window": value "129600000ms" is not a whole number of days/],
    ['an SLO on a worker', mapApp('worker', (a) => ({ ...a, slo: { availability: 99 } })), /app "worker", field "slo": value "set" is set, but the app serves no HTTP requests/],
    ['a canary weight above 100', mapEnv('canary', (e) => ({ ...e, canary: { weight: 101 } })), /env "canary", field "canary\.weight": value 101 is not an integer from 0 to 100/],
    ['a negative canary weight', mapEnv('canary', (e) => ({ ...e, canary: { weight: -5 } })), /env "canary", field "canary\.weight": value -5 is not an integer from 0 to 100/],
    ['a canary that owns its namespace', mapEnv('canary', (e) => ({ ...e, namespace: 'shop-canary', managesNamespace: true, quota: base.environments[3].quota, teamAccess: 'view' })),
      /env "canary", field "canary": value "set" is set, but the environment does not run in another environment's namespace/],
    ['a canary beside a production without progressive delivery', mapEnv('prod', (e) => ({ ...e, progressiveDelivery: undefined })),
      /env "canary", field "canary": value "set" shares namespace "shop-prod" with "prod", which has no progressiveDelivery/],
    ['an Istio gateway that is not namespace/name', mapEnv('prod', (e) => ({ ...e, progressiveDelivery: { istioGateway: 'ingress-gateway' } })),
      /env "prod", field "progressiveDelivery\.istioGateway": value "ingress-gateway" is not namespace\/name/],
  ];

  test.each(cases)('rejects %s', (_name, config, message) => {
    const error = rejection(config);
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/^config error: .*; fix: /);
    expect(error.message).not.toContain('\n');
  });
});
