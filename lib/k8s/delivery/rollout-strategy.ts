import type { IRolloutAnalysis } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/RolloutAnalysis';
import type { IRolloutStrategy } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/RolloutStrategy';
import type { ICanaryStep } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/CanaryStep';
import { type Duration } from 'cdk8s';
import { goDuration } from '../duration';
import { canaryStepProblem } from '../../model/delivery';

/** The AnalysisTemplates a Rollout runs, and the argument that receives the new pods' template hash. */
export interface RolloutAnalysisRef {
  /** AnalysisTemplate names, in the Rollout's namespace. */
  readonly templates: readonly string[];
  /**
   * The argument of the templates that receives the template hash of the new version's pods, so
   * their queries measure only those pods.
   * @default - no argument
   */
  readonly podTemplateHashArg?: string;
}

/** One canary step: the share on the new version, then a hold. */
export interface RolloutStep {
  /** Percent, from 1 to 100. */
  readonly weight: number;
  /** @default - no pause */
  readonly pause?: Duration;
}

/** The Istio objects a canary Rollout shifts traffic through. */
export interface IstioRouting {
  readonly virtualService: string;
  /** The name of the VirtualService http route it manages. */
  readonly route: string;
  readonly destinationRule: string;
  /** @default 'stable' */
  readonly stableSubset?: string;
  /** @default 'canary' */
  readonly canarySubset?: string;
}

/** Options of {@link RolloutStrategy.canary}. */
export interface CanaryRolloutOptions {
  /** Strictly increasing weights that end at 100. */
  readonly steps: readonly RolloutStep[];
  /** Runs in the background from the first step; a failure aborts and scales the new version away. */
  readonly analysis: RolloutAnalysisRef;
  /**
   * @default - none: the Rollout weights by replica count
   */
  readonly istio?: IstioRouting;
}

/** Options of {@link RolloutStrategy.blueGreen}. */
export interface BlueGreenRolloutOptions {
  /** The Service users reach: switched to the new version at promotion. */
  readonly activeService: string;
  /** The Service that reaches the new version before promotion. */
  readonly previewService: string;
  /** Runs against the new version before the switch; a failure aborts it. */
  readonly prePromotionAnalysis: RolloutAnalysisRef;
  /**
   * Switch as soon as the analysis passes; otherwise a person promotes with `kubectl argo rollouts promote`.
   * @default false
   */
  readonly autoPromotion?: boolean;
}

/**
 * How an Argo Rollout replaces its pods. A workload given one is rendered as a Rollout instead of a
 * Deployment, with the same pod template.
 * @see https://argo-rollouts.readthedocs.io/en/stable/features/specification/
 */
export abstract class RolloutStrategy {
  /** Steps of `setWeight` and `pause`, with analysis in the background. */
  public static canary(options: CanaryRolloutOptions): RolloutStrategy {
    return new CanaryRollout(options);
  }

  /** A preview beside the active version, analysed, then switched. */
  public static blueGreen(options: BlueGreenRolloutOptions): RolloutStrategy {
    return new BlueGreenRollout(options);
  }

  /** Fails with a one-line message when the strategy cannot work for `owner`. */
  public abstract validate(owner: string): void;

  /** `spec.strategy` of the Rollout. */
  public abstract toArgo(): IRolloutStrategy;
}

class CanaryRollout extends RolloutStrategy {
  constructor(private readonly options: CanaryRolloutOptions) {
    super();
  }

  public validate(owner: string): void {
    const steps = this.options.steps;
    const weights = steps.map((s) => s.weight).join(', ');
    if (canaryStepProblem(steps.map((s) => s.weight)) !== undefined) {
      throw new Error(`${owner}: canary steps (${weights || 'none'}) are not strictly increasing whole percents from 1 that end at 100; fix: use steps such as 10, 25, 50, 75, 100`);
    }
    requireTemplates(owner, 'analysis', this.options.analysis);
  }

  public toArgo(): IRolloutStrategy {
    const istio = this.options.istio;
    const steps: ICanaryStep[] = this.options.steps.flatMap((s) => [
      { setWeight: s.weight },
      ...(s.pause ? [{ pause: { duration: goDuration(s.pause) } }] : []),
    ]);
    return {
      canary: {
        // One extra pod at a time and none taken away, so capacity never drops during a release.
        maxSurge: 1,
        maxUnavailable: 0,
        steps,
        analysis: { ...analysisRef(this.options.analysis), startingStep: 0 },
        trafficRouting: istio
          ? {
              istio: {
                virtualService: { name: istio.virtualService, routes: [istio.route] },
                destinationRule: {
                  name: istio.destinationRule,
                  stableSubsetName: istio.stableSubset ?? 'stable',
                  canarySubsetName: istio.canarySubset ?? 'canary',
                },
              },
            }
          : undefined,
      },
    };
  }
}

class BlueGreenRollout extends RolloutStrategy {
  constructor(private readonly options: BlueGreenRolloutOptions) {
    super();
  }

  public validate(owner: string): void {
    if (this.options.activeService === this.options.previewService) {
      throw new Error(`${owner}: blue-green activeService and previewService are both "${this.options.activeService}"; fix: give the preview a Service of its own`);
    }
    requireTemplates(owner, 'prePromotionAnalysis', this.options.prePromotionAnalysis);
  }

  public toArgo(): IRolloutStrategy {
    return {
      blueGreen: {
        activeService: this.options.activeService,
        previewService: this.options.previewService,
        autoPromotionEnabled: this.options.autoPromotion ?? false,
        prePromotionAnalysis: analysisRef(this.options.prePromotionAnalysis),
        // The old version stays up for a while after the switch, for a fast manual rollback.
        scaleDownDelaySeconds: 600,
      },
    };
  }
}

function requireTemplates(owner: string, field: string, ref: RolloutAnalysisRef): void {
  if (ref.templates.length === 0 || new Set(ref.templates).size !== ref.templates.length) {
    throw new Error(`${owner}: ${field} templates (${ref.templates.join(', ') || 'none'}) are empty or repeat a name; fix: name each AnalysisTemplate once`);
  }
}

function analysisRef(ref: RolloutAnalysisRef): IRolloutAnalysis {
  return {
    templates: ref.templates.map((templateName) => ({ templateName })),
    args: ref.podTemplateHashArg ? [{ name: ref.podTemplateHashArg, valueFrom: { podTemplateHashValue: 'Latest' } }] : undefined,
  };
}
