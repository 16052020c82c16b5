import { check, fixtureFiles, get, mutateYaml, of } from './helpers';

const WEB_ANALYSIS = 'kubernetes/prod/analysistemplate-web-analysis.yaml';
const CANARY_ANALYSIS = 'kubernetes/canary/analysistemplate-inventory-api-canary-analysis.yaml';
const ROUTE = 'kubernetes/prod/virtualservice-inventory-api.yaml';
const CANDIDATE_HPA = 'kubernetes/canary/horizontalpodautoscaler-inventory-api-canary.yaml';

describe('analysis-traffic: a ratio is judged only with enough requests, and never passes without', () => {
  test('the fixture output holds none', () => {
    expect(of('analysis-traffic', fixtureFiles())).toEqual([]);
  });

  test('a ratio that falls back to a passing value when nothing was served is caught', () => {
    const files = mutateYaml(WEB_ANALYSIS, (t) => {
      const m = get(t, 'spec', 'metrics', 0);
      m.provider = { prometheus: { ...get(m, 'provider', 'prometheus'), query: '(sum(rate(ok[2m])) / sum(rate(all[2m]) > 0)) or on() vector(1)' } };
    });
    expect(of('analysis-traffic', files)).toEqual([{
      file: WEB_ANALYSIS, object: 'AnalysisTemplate/web-analysis', rule: 'analysis-traffic',
      message: 'metric "success-rate" passes without traffic: its query falls back to 1, which meets successCondition "result[0] >= 0.995"',
    }]);
    expect(check(files).violations.find((v) => v.rule === 'analysis-traffic')?.fix).toContain('ReleaseAnalysisConfig.minRequests');
  });

  test('a ratio without a request gate, or whose fallback fails instead of pausing, is caught', () => {
    const ungated = mutateYaml(CANARY_ANALYSIS, (t) => {
      const p = get(t, 'spec', 'metrics', 0, 'provider', 'prometheus');
      p.query = '(sum(rate(errors[2m])) / sum(rate(all[2m]) > 0)) or on() vector(NaN)';
    });
    expect(of('analysis-traffic', ungated).map((v) => v.message)).toEqual([
      'metric "error-rate-vs-stable" judges a ratio without a minimum number of requests in its window',
    ]);
    // Without a failure condition, NaN fails the measurement: a quiet release would be aborted, not paused.
    const noFailure = mutateYaml(CANARY_ANALYSIS, (t) => { delete get(t, 'spec', 'metrics', 1).failureCondition; });
    expect(of('analysis-traffic', noFailure).map((v) => v.message)).toEqual([
      'metric "p95-latency-vs-stable" falls back to NaN, which is failed, not inconclusive',
    ]);
  });

  test('a metric that judges no ratio (the error budget) is not held to it', () => {
    const budget = fixtureFiles().find((f) => f.path === 'kubernetes/prod/analysistemplate-inventory-api-error-budget.yaml');
    expect(budget?.content).toContain('or on() vector(1)');
    expect(of('analysis-traffic', fixtureFiles()).filter((v) => v.file.endsWith('error-budget.yaml'))).toEqual([]);
  });
});

describe('canary-capacity: a candidate never takes more traffic than its pods carry', () => {
  test('the fixture output holds none, with the candidate autoscaled like production', () => {
    expect(of('canary-capacity', fixtureFiles())).toEqual([]);
  });

  test('a weight above what the candidate\'s replicas carry is caught, naming both sides', () => {
    // Without its autoscaler the candidate runs one pod beside production's ten at peak: 10% at most.
    const files = mutateYaml(ROUTE, (vs) => {
      const route = get(vs, 'spec', 'http', 0, 'route') as unknown as { weight: number }[];
      route[0].weight = 75;
      route[1].weight = 25;
    }, fixtureFiles().filter((f) => f.path !== CANDIDATE_HPA));
    expect(of('canary-capacity', files)).toEqual([{
      file: ROUTE, object: 'VirtualService/inventory-api', rule: 'canary-capacity',
      message: 'gives subset "canary" 25% of its traffic, but its pods (Rollout/inventory-api-canary) run at most 1 replica(s) beside production\'s 10, which carry at most 10%',
    }]);
    // Within that share it passes.
    const within = mutateYaml(ROUTE, (vs) => {
      const route = get(vs, 'spec', 'http', 0, 'route') as unknown as { weight: number }[];
      route[0].weight = 90;
      route[1].weight = 10;
    }, fixtureFiles().filter((f) => f.path !== CANDIDATE_HPA));
    expect(of('canary-capacity', within)).toEqual([]);
  });

  test('a split inside one Rollout (rolloutIstio) is left to Argo Rollouts, which scales the canary with its weight', () => {
    const files = mutateYaml('kubernetes/prod/virtualservice-web.yaml', (vs) => {
      const route = get(vs, 'spec', 'http', 0, 'route') as unknown as { weight: number }[];
      route[0].weight = 10;
      route[1].weight = 90;
    });
    expect(of('canary-capacity', files)).toEqual([]);
  });
});
