import { measurementPhase, noDataValue, requestGate } from '../../manifest/analysis-metric';
import { asArray, asString, at } from '../../manifest/json-access';
import { finding, type Finding, type RuleContext } from './types';

const FIX = 'judge the ratio only when the window holds enough requests (`and on() (sum(increase(...)) >= N)`), fall back to NaN, and set both successCondition and failureCondition (ReleaseAnalysisConfig.minRequests)';

/** Whether a query divides one series by another: a `/` outside the quoted label values. */
const judgesRatio = (query: string): boolean => query.replace(/"(?:[^"\\]|\\.)*"/g, '""').includes('/');

/**
 * Every Prometheus metric of an AnalysisTemplate that judges a ratio demands a minimum number of
 * requests in its window, and with fewer its measurement is inconclusive: Argo Rollouts then pauses
 * the Rollout for a person. A ratio that falls back to a passing value when nothing was served
 * would let a release or candidate that got no traffic pass.
 * @see https://argo-rollouts.readthedocs.io/en/stable/features/analysis/#inconclusive-runs
 */
export function analysisTraffic(ctx: RuleContext): Finding[] {
  return ctx.objects
    .filter((o) => o.kind === 'AnalysisTemplate' || o.kind === 'ClusterAnalysisTemplate')
    .flatMap((o) => asArray(at(o.body, 'spec', 'metrics')).flatMap((m): Finding[] => {
      const name = asString(at(m, 'name')) ?? '?';
      const query = asString(at(m, 'provider', 'prometheus', 'query'));
      if (query === undefined || !judgesRatio(query)) return [];
      const success = asString(at(m, 'successCondition'));
      const failure = asString(at(m, 'failureCondition'));
      const fallback = noDataValue(query);
      const phase = fallback === undefined ? undefined : measurementPhase(fallback, success, failure);
      if (phase === 'Successful') {
        return [finding(o, 'analysis-traffic', `metric "${name}" passes without traffic: its query falls back to ${fallback}, which meets successCondition "${success}"`, FIX)];
      }
      const gate = requestGate(query);
      if (gate === undefined || gate < 1) {
        return [finding(o, 'analysis-traffic', `metric "${name}" judges a ratio without a minimum number of requests in its window`, FIX)];
      }
      if (phase !== 'Inconclusive') {
        const outcome = fallback === undefined ? 'has no fallback, so a window with too few requests is an error' : `falls back to ${fallback}, which is ${phase === undefined ? 'not judged by conditions this rule can read' : phase.toLowerCase()}`;
        return [finding(o, 'analysis-traffic', `metric "${name}" ${outcome}, not inconclusive`, FIX)];
      }
      return [];
    }));
}
