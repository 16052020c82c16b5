import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { CanaryCandidate, InstanceDelivery, ReleaseAnalysisSettings, TRACK_LABEL } from '../../model/delivery';
import { naming } from '../../model/naming';
import { goDuration } from '../duration';
import { AppLabels, selectorLabels } from '../labels';
import { AppDestinationRule } from '../traffic/app-destination-rule';
import { AppVirtualService } from '../traffic/app-virtual-service';
import { CanaryComparisonAnalysis } from './canary-comparison-analysis';
import { POD_TEMPLATE_HASH_ARG, ReleaseAnalysis } from './release-analysis';
import { RolloutStrategy } from './rollout-strategy';

/** The annotation that shows how long a candidate must bake before promotion. */
export const BAKE_TIME_ANNOTATION = 'platform.shop/min-bake-time';
/** The route every app VirtualService has; a `rolloutIstio` Rollout manages it. */
export const PRIMARY_ROUTE = 'primary';

/** What the delivery of one app in one environment needs to know. */
export interface DeliveryContext {
  /** The workload's name. */
  readonly name: string;
  readonly labels: AppLabels;
  readonly namespace: string;
  readonly prometheusUrl: string;
  /** The app's error-budget AnalysisTemplate, when the app has an SLO. */
  readonly errorBudgetTemplate?: string;
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
    rollout: RolloutStrategy.canary({ steps: d.steps, analysis: releaseAnalysis(scope, ctx, d.analysis) }),
    // Production's Service and route also reach the candidate beside it.
    serviceSelector: d.candidate ? { 'app.kubernetes.io/name': ctx.labels.app } : undefined,
    traffic: d.candidate ? (s, service) => sharedRoute(s, ctx, service, d.candidate as CanaryCandidate) : undefined,
  }),

  rolloutIstio: (scope, ctx, d) => ({
    rollout: RolloutStrategy.canary({
      steps: d.steps,
      analysis: releaseAnalysis(scope, ctx, d.analysis),
      istio: { virtualService: ctx.name, route: PRIMARY_ROUTE, destinationRule: ctx.name },
    }),
    // Both subsets select the workload's pods; Argo Rollouts adds each version's template hash.
    traffic: (s, service) => route(s, ctx, service, { stable: selectorLabels(ctx.labels), canary: selectorLabels(ctx.labels) }, 0),
  }),

  blueGreen: (scope, ctx, d) => {
    const previewServiceName = naming.preview(ctx.name);
    return {
      rollout: RolloutStrategy.blueGreen({
        activeService: ctx.name,
        previewService: previewServiceName,
        autoPromotion: d.autoPromotion,
        prePromotionAnalysis: releaseAnalysis(scope, ctx, d.analysis),
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
      interval: d.interval,
    });
    return {
      // The new version takes the candidate's one replica, then bakes under analysis; an abort
      // brings back the last version that baked through.
      rollout: RolloutStrategy.canary({
        steps: [{ weight: 100, pause: d.bakeTime.toSeconds() > 0 ? d.bakeTime : undefined }],
        analysis: { templates: withBudget(ctx, comparison.templateName) },
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

function releaseAnalysis(scope: Construct, ctx: DeliveryContext, settings: ReleaseAnalysisSettings) {
  const analysis = new ReleaseAnalysis(scope, 'Analysis', {
    name: naming.analysis(ctx.name),
    labels: ctx.labels,
    namespace: ctx.namespace,
    prometheusAddress: ctx.prometheusUrl,
    successRate: settings.successRate,
    p95Latency: settings.p95Latency,
    interval: settings.interval,
  });
  return { templates: withBudget(ctx, analysis.templateName), podTemplateHashArg: POD_TEMPLATE_HASH_ARG };
}

function withBudget(ctx: DeliveryContext, template: string): string[] {
  return ctx.errorBudgetTemplate ? [template, ctx.errorBudgetTemplate] : [template];
}

/** Production's route, shared with the candidate: subsets by track, weights from the canary setting. */
function sharedRoute(scope: Construct, ctx: DeliveryContext, service: kplus.Service, candidate: CanaryCandidate): void {
  route(scope, ctx, service, { stable: { [TRACK_LABEL]: 'stable' }, canary: { [TRACK_LABEL]: 'canary' } }, candidate.weight);
}

function route(
  scope: Construct,
  ctx: DeliveryContext,
  service: kplus.Service,
  subsets: { readonly stable: Readonly<Record<string, string>>; readonly canary: Readonly<Record<string, string>> },
  canaryWeight: number,
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
  new AppVirtualService(scope, 'VirtualService', {
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
}
