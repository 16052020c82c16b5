/**
 * How Argo Rollouts judges one measurement of an AnalysisTemplate metric, for the conditions this
 * tool writes: comparisons of `result[0]` with a number, joined by `&&` or `||`. With both
 * conditions set, a value that meets neither is inconclusive; with only a success condition, any
 * value that does not meet it fails.
 * @see https://argo-rollouts.readthedocs.io/en/stable/features/analysis/#inconclusive-runs
 */

export type MeasurementPhase = 'Successful' | 'Failed' | 'Inconclusive';

const COMPARISON = /^\s*result\[0\]\s*(<=|>=|==|!=|<|>)\s*(-?(?:\d+(?:\.\d+)?(?:e[-+]?\d+)?|NaN))\s*$/i;

/**
 * Whether `condition` holds for `value`, as Go compares floats (NaN compares false), or undefined
 * when the condition is not of the simple form above.
 */
export function evaluateCondition(condition: string, value: number): boolean | undefined {
  const any = condition.split('||').map((all) => all.split('&&').map((c) => comparison(c, value)));
  if (any.some((all) => all.some((c) => c === undefined))) return undefined;
  return any.some((all) => all.every((c) => c === true));
}

function comparison(text: string, value: number): boolean | undefined {
  const m = COMPARISON.exec(text.replace(/^\s*\(\s*|\s*\)\s*$/g, ''));
  if (!m) return undefined;
  const limit = Number(m[2]);
  switch (m[1]) {
    case '<': return value < limit;
    case '<=': return value <= limit;
    case '>': return value > limit;
    case '>=': return value >= limit;
    case '==': return value === limit;
    default: return value !== limit;
  }
}

/** The phase of a measurement of `value`, or undefined when a condition cannot be evaluated here. */
export function measurementPhase(value: number, success: string | undefined, failure: string | undefined): MeasurementPhase | undefined {
  const passed = success === undefined ? undefined : evaluateCondition(success, value);
  const failed = failure === undefined ? undefined : evaluateCondition(failure, value);
  if ((success !== undefined && passed === undefined) || (failure !== undefined && failed === undefined)) return undefined;
  if (success === undefined && failure === undefined) return 'Successful';
  if (failure === undefined) return passed ? 'Successful' : 'Failed';
  if (success === undefined) return failed ? 'Failed' : 'Successful';
  if (failed) return 'Failed';
  return passed ? 'Successful' : 'Inconclusive';
}

/**
 * The value a query falls back to when its expression has no sample (`... or on() vector(X)` at its
 * end), or undefined when it has no such fallback.
 */
export function noDataValue(query: string): number | undefined {
  const m = /or\s+on\s*\(\s*\)\s+vector\(\s*(-?[\d.]+(?:e[-+]?\d+)?|NaN)\s*\)\s*$/i.exec(query.trim());
  return m ? Number(m[1]) : undefined;
}

/** The least number of requests a query's gate (`... and on() (count >= N)`) demands, or undefined. */
export function requestGate(query: string): number | undefined {
  const m = /and\s+on\s*\(\s*\)\s*\(\s*sum\(increase\([^\n]*\)\)\s*>=\s*(\d+)\s*\)/.exec(query);
  return m ? Number(m[1]) : undefined;
}
