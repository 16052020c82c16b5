import { at, K8sObject, RuleContext, str, strMap } from './types';

/** The HorizontalPodAutoscaler in the workload's directory that scales it, if any. */
export function hpaOf(ctx: RuleContext, w: K8sObject): K8sObject | undefined {
  return ctx.objects.find(
    (h) => h.kind === 'HorizontalPodAutoscaler' && h.dir === w.dir &&
      str(at(h.body, 'spec', 'scaleTargetRef', 'kind')) === w.kind && str(at(h.body, 'spec', 'scaleTargetRef', 'name')) === w.name,
  );
}

/** The fewest replicas a workload runs: its HPA's minReplicas (default 1), else spec.replicas (default 1). */
export function minReplicas(ctx: RuleContext, w: K8sObject): number {
  const hpa = hpaOf(ctx, w);
  const n = hpa ? at(hpa.body, 'spec', 'minReplicas') ?? 1 : at(w.body, 'spec', 'replicas') ?? 1;
  return typeof n === 'number' ? n : 1;
}

export const matchLabels = (o: K8sObject): Record<string, string> => strMap(at(o.body, 'spec', 'selector', 'matchLabels'));
