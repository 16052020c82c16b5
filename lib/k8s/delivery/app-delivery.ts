import type * as kplus from 'cdk8s-plus-28';
import { type Construct } from 'constructs';
import { type CanaryCandidate, type InstanceDelivery, type ReleaseAnalysisSettings, TRACK_LABEL } from '../../model/delivery';
import { naming } from '../../model/naming';
import { goDuration } from '../duration';
import { type AppLabels, selectorLabels } from '../labels';
import { AppDestinationRule } from '../traffic/app-destination-rule';
import { AppVirtualService } from '../traffic/app-virtual-service';
import { CanaryComparisonAnalysis } from './canary-comparison-analysis';
import { POD_TEMPLATE_HASH_ARG, ReleaseAnalysis } from './release-analysis';
import { ErrorBudgetAnalysis } from '../slo/error-budget-analysis';
import { overrideSyncWave, SyncWave } from '../sync-wave';
import { type RolloutAnalysisRef, RolloutStrategy } from './rollout-strategy';

/** The annotation that shows how long a candidate must bake before promotion. */
export const BAKE_TIME_ANNOTATION = 'platform.shop/min-bake-time';
/** The route every app VirtualService has; a `rolloutIstio` Rollout manages it. */
export const PRIMARY_ROUTE = 'primary';
/** Measurements a blue-green gate takes: five minutes at the 30-second interval. */
const GATE_MEASUREMENTS = 10;

/** What the delivery of one app in one environment needs to know. */
export interface DeliveryContext {
  /** The workload's name. */
  readonly name: string;
  readonly labels: AppLabels;
  readonly namespace: string;
  readonly prometheusUrl: string;
  /**
   * Whether the app has an SLO: production then makes its error-budget AnalysisTemplate, which every
   * Rollout of the app runs, the candidate's included.
   */
  readonly hasSlo: boolean;
  /** The port the app serves on. */
  readonly servingPort?: number;
  /** The public or internal host, when the app has one. */
  readonly host?: string;
  /** The Istio Gateway external hosts enter through, as namespace/name. */
  readonly istioGateway?: string;
}

/** How the workload is built, and what routes traffic to it once its Service exists. */
export interface DeliveryPlan {
  /** @default - a Deployment with a rolling update */
  readonly rollout?: RolloutStrategy;
  readonly workloadAnnotations?: Readonly<Record<string, string>>;
  /** @default - the workload's own pods */
  readonly serviceSelector?: Readonly<Record<string, string>>;
  readonly previewServiceName?: string;
  /** Makes the objects that route traffic to the workload. */
  readonly traffic?: (scope: Construct, service: kplus.Service) => void;
}

type Planner<T extends InstanceDelivery['type']> = (scope: Construct, ctx: DeliveryContext, delivery: Extract<InstanceDelivery, { type: T }>) => DeliveryPlan;

/**
 * One planner per delivery type: the only place a strategy's shape is decided, so no construct
 * asks which strategy or environment it is in.
 */
const PLANNERS: { readonly [T in InstanceDelivery['type']]: Planner<T> } = {
  rolling: () => ({}),

  canary: (scope, ctx, d) => ({
    rollout: RolloutStrategy.canary({ steps: d.steps, analysis: releaseAnalysis(scope, ctx, d.analysis, errorBudget(scope, ctx)) }),
    // Production's Service and route also reach the candidate beside it.
    serviceSelector: d.candidate ? { 'app.kubernetes.io/name': ctx.labels.app } : undefined,
    traffic: d.candidate ? (s, service) => route(s, ctx, service, TRACK_SUBSETS, (d.candidate as CanaryCandidate).weight) : undefined,
  }),

  rolloutIstio: (scope, ctx, d) => ({
    rollout: RolloutStrategy.canary({
      steps: d.steps,
      analysis: releaseAnalysis(scope, ctx, d.analysis, errorBudget(scope, ctx)),
      istio: { virtualService: ctx.name, route: PRIMARY_ROUTE, destinationRule: ctx.name },
    }),
    // Both subsets select the workload's pods; Argo Rollouts adds each version's template hash.
    // The Rollout is invalid until its route exists, so the route syncs before it.
    traffic: (s, service) => route(s, ctx, service, { stable: selectorLabels(ctx.labels), canary: selectorLabels(ctx.labels) }, 0, SyncWave.CONFIG),
  }),

  blueGreen: (scope, ctx, d) => {
    const previewServiceName = naming.preview(ctx.name);
    return {
      rollout: RolloutStrategy.blueGreen({
        activeService: ctx.name,
        previewService: previewServiceName,
        autoPromotion: d.autoPromotion,
        // A gate must end: each metric takes a fixed number of measurements of the preview.
        prePromotionAnalysis: releaseAnalysis(scope, ctx, d.analysis, errorBudget(scope, ctx, GATE_MEASUREMENTS), GATE_MEASUREMENTS),
      }),
      previewServiceName,
    };
  },

  candidate: (scope, ctx, d) => {
    const comparison = new CanaryComparisonAnalysis(scope, 'Analysis', {
      name: naming.analysis(ctx.name),
      labels: ctx.labels,
      namespace: ctx.namespace,
      prometheusAddress: ctx.prometheusUrl,
      canaryInstance: ctx.name,
      stableInstance: d.stableInstance,
      maxErrorRateIncrease: d.maxErrorRateIncrease,
      maxLatencyIncrease: d.maxLatencyIncrease,
      minRequests: d.minRequests,
      interval: d.interval,
    });
    return {
      // The new version takes the candidate's one replica, then bakes under analysis; an abort
      // brings back the last version that baked through.
      rollout: RolloutStrategy.canary({
        steps: [{ weight: 100, pause: d.bakeTime.toSeconds() > 0 ? d.bakeTime : undefined }],
        analysis: { templates: [comparison.templateName, ...(ctx.hasSlo ? [naming.errorBudget(d.stableInstance)] : [])] },
      }),
      workloadAnnotations: { [BAKE_TIME_ANNOTATION]: goDuration(d.bakeTime) },
    };
  },
};

/** Plans the delivery of one app in one environment, making its AnalysisTemplates in `scope`. */
export function planDelivery(scope: Construct, ctx: DeliveryContext, delivery: InstanceDelivery): DeliveryPlan {
  const planner = PLANNERS[delivery.type] as Planner<InstanceDelivery['type']>;
  return planner(scope, ctx, delivery);
}

function releaseAnalysis(scope: Construct, ctx: DeliveryContext, settings: ReleaseAnalysisSettings, budget: string | undefined, count?: number): RolloutAnalysisRef {
  const analysis = new ReleaseAnalysis(scope, 'Analysis', {
    name: naming.analysis(ctx.name),
    labels: ctx.labels,
    namespace: ctx.namespace,
    prometheusAddress: ctx.prometheusUrl,
    successRate: settings.successRate,
    p95Latency: settings.p95Latency,
    minRequests: settings.minRequests,
    interval: settings.interval,
    count,
  });
  return { templates: [analysis.templateName, ...(budget ? [budget] : [])], podTemplateHashArg: POD_TEMPLATE_HASH_ARG };
}

/** The app's error-budget template, made by production, the owner of the app's SLO. */
function errorBudget(scope: Construct, ctx: DeliveryContext, count?: number): string | undefined {
  if (!ctx.hasSlo) return undefined;
  const name = naming.errorBudget(ctx.name);
  new ErrorBudgetAnalysis(scope, 'ErrorBudget', { name, labels: ctx.labels, namespace: ctx.namespace, prometheusAddress: ctx.prometheusUrl, count });
  return name;
}

/** Subsets of production's route shared with the candidate: one per track. */
const TRACK_SUBSETS = { stable: { [TRACK_LABEL]: 'stable' }, canary: { [TRACK_LABEL]: 'canary' } } as const;

function route(
  scope: Construct,
  ctx: DeliveryContext,
  service: kplus.Service,
  subsets: { readonly stable: Readonly<Record<string, string>>; readonly canary: Readonly<Record<string, string>> },
  canaryWeight: number,
  wave?: SyncWave,
): void {
  if (ctx.servingPort === undefined) throw new Error(`${ctx.name}: an Istio route needs the port the app serves on; fix: give the app an exposure with a port`);
  // Short names resolve in the namespace of the rule, which is the Service's.
  const serviceHost = service.name;
  const destinationRule = new AppDestinationRule(scope, 'DestinationRule', {
    name: ctx.name,
    labels: ctx.labels,
    host: serviceHost,
    subsets: [
      { name: 'stable', labels: subsets.stable },
      { name: 'canary', labels: subsets.canary },
    ],
  });
  const external = ctx.host !== undefined && ctx.istioGateway !== undefined;
  const virtualService = new AppVirtualService(scope, 'VirtualService', {
    name: ctx.name,
    labels: ctx.labels,
    hosts: external ? [serviceHost, ctx.host as string] : [serviceHost],
    gateways: external ? ['mesh', ctx.istioGateway as string] : ['mesh'],
    destinationRule,
    port: ctx.servingPort,
    routeName: PRIMARY_ROUTE,
    weights: [
      { subset: 'stable', weight: 100 - canaryWeight },
      { subset: 'canary', weight: canaryWeight },
    ],
  });
  if (wave !== undefined) {
    for (const o of [destinationRule.resource, virtualService.resource]) overrideSyncWave(o, wave);
  }
}
