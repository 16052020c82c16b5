import type { IPrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import type { IRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Rule';
import { Construct } from 'constructs';
import { type AppLabels } from '../labels';
import { ModelObject } from '../model-object';
import { monitoredNamespace, monitoringLabels } from '../monitoring/monitored-app';
import { promNumber, Severity, SEVERITY_LABEL, SLO_LABEL } from '../monitoring/promql';
import {
  type AppSli,
  type AppSloProps,
  type AppSloSpec,
  appSloSpec,
  BURN_RATE_CONDITIONS,
  burnRateFactor,
  ERROR_BUDGET_REMAINING,
  SLI_BASE_WINDOW,
  SLI_ERROR_RATIO_PERIOD,
  SLI_ERROR_RATIO_WINDOWS,
  sliErrorRatioRecord,
  sloDuration,
  SLO_GROUPING,
  sloMatchers,
  sloSeries,
} from './slo-queries';

/** The share of the error budget spent at which {@link AppSloRules} alerts, and how urgently. */
const BUDGET_ALERTS: readonly { readonly consumed: number; readonly severity: Severity }[] = [
  { consumed: 0.8, severity: Severity.CRITICAL },
  { consumed: 0.95, severity: Severity.EMERGENCY },
];

/**
 * A PrometheusRule with an app's SLOs, one rule group per SLI: the error ratio recorded over each
 * burn-rate window, the ratio over the whole window and the error budget left, then
 * multi-window multi-burn-rate alerts (fast burns critical, slow burns warnings) and alerts when
 * 80% (critical) and 95% (emergency) of the budget is spent.
 * @see https://sre.google/workbook/alerting-on-slos/
 * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.PrometheusRule
 */
export class AppSloRules extends Construct {
  public readonly resource: ModelObject<IPrometheusRule>;

  constructor(scope: Construct, id: string, props: AppSloProps) {
    super(scope, id);
    const namespace = monitoredNamespace(this, props);
    const spec = appSloSpec(props);
    this.resource = new ModelObject<IPrometheusRule>(this, 'Resource', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: props.name, namespace, labels: monitoringLabels(props) },
      spec: {
        groups: spec.slis.map((sli) => ({ name: `${props.name}-${sli.indicator}`, rules: sliRules(props.labels, namespace, spec, sli) })),
      },
    });
  }
}

/**
 * The rules of one SLI, in one group: Prometheus evaluates a group's rules in order, so the alerts
 * read the series recorded in the same evaluation.
 */
function sliRules(labels: AppLabels, namespace: string, spec: AppSloSpec, sli: AppSli): IRule[] {
  const recorded = (record: string): string => sloSeries(record, labels, namespace, sli.indicator);
  const sloLabel = (): Record<string, string> => ({ [SLO_LABEL]: sli.indicator });
  const budget = promNumber(1 - sli.objective);
  const window = sloDuration(spec.window);
  const objective = `${promNumber(sli.objective * 100)}% of requests ${sli.good}`;

  const ratios: IRule[] = SLI_ERROR_RATIO_WINDOWS.map((w) => ({
    record: sliErrorRatioRecord(w),
    // Without requests the ratio is NaN; dropped, as one NaN would make the window's average NaN.
    expr: `${sli.errorRatio(sloDuration(w), sloMatchers(labels, namespace), SLO_GROUPING)}\n>= 0`,
    labels: sloLabel(),
  }));
  const base = recorded(sliErrorRatioRecord(SLI_BASE_WINDOW));
  const period: IRule = {
    record: SLI_ERROR_RATIO_PERIOD,
    // Averaging the 5m ratio costs a fraction of a rate over the whole window of raw series.
    expr: `sum_over_time(${base}[${window}])\n/\ncount_over_time(${base}[${window}])`,
    labels: sloLabel(),
  };
  const remaining: IRule = {
    record: ERROR_BUDGET_REMAINING,
    expr: `1 - ${recorded(SLI_ERROR_RATIO_PERIOD)} / ${budget}`,
    labels: sloLabel(),
  };

  const burn = (severity: Severity, speed: string): IRule => {
    const conditions = BURN_RATE_CONDITIONS.filter((c) => c.severity === severity);
    const expr = conditions.map((c) => {
      const threshold = `(${promNumber(burnRateFactor(spec.window, c))} * ${budget})`;
      return ['(', `  ${recorded(sliErrorRatioRecord(c.longWindow))} > ${threshold}`, '  and', `  ${recorded(sliErrorRatioRecord(c.shortWindow))} > ${threshold}`, ')'].join('\n');
    });
    const pace = conditions.map((c, index) => `${promNumber(c.budgetShare * 100)}%${index === 0 ? ` of its ${window} error budget` : ''} within ${sloDuration(c.longWindow)}`).join(', or ');
    return {
      alert: 'AppErrorBudgetBurn',
      expr: expr.join('\nor\n'),
      labels: { [SEVERITY_LABEL]: severity },
      annotations: {
        summary: `${labels.app} is burning its ${sli.indicator} error budget ${speed}`,
        description: `{{ $value | humanizePercentage }} of the requests to ${labels.app} in {{ $labels.namespace }} miss the ${sli.indicator} objective (${objective}); at this rate it spends ${pace}.`,
      },
    };
  };

  const low = (consumed: number, severity: Severity): IRule => ({
    alert: 'AppErrorBudgetLow',
    expr: `${recorded(ERROR_BUDGET_REMAINING)} <= ${promNumber(1 - consumed)}`,
    labels: { [SEVERITY_LABEL]: severity },
    annotations: {
      summary: `${labels.app} has spent ${promNumber(consumed * 100)}% of its ${sli.indicator} error budget`,
      description: `{{ $value | humanizePercentage }} of the ${window} ${sli.indicator} error budget of ${labels.app} in {{ $labels.namespace }} is left (objective: ${objective}).`,
    },
  });

  return [
    ...ratios,
    period,
    remaining,
    burn(Severity.CRITICAL, 'fast'),
    burn(Severity.WARNING, 'slowly'),
    ...BUDGET_ALERTS.map((b) => low(b.consumed, b.severity)),
  ];
}
