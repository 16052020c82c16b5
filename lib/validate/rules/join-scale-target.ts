import { matchLabels } from './replicas';
import { at, finding, Finding, podLabels, RuleContext, selects, str, workloads } from './types';

/** Every HPA scales a workload of its directory, and every PDB selects the pods of one. */
export function joinScaleTarget(ctx: RuleContext): Finding[] {
  return ctx.objects.flatMap((o): Finding[] => {
    if (o.kind === 'HorizontalPodAutoscaler') {
      const kind = str(at(o.body, 'spec', 'scaleTargetRef', 'kind'));
      const name = str(at(o.body, 'spec', 'scaleTargetRef', 'name'));
      return workloads(ctx, o.dir).some((w) => w.kind === kind && w.name === name)
        ? []
        : [finding(o, 'join-scale-target', `scales ${kind}/${name}, which is not in ${o.dir}`, 'point spec.scaleTargetRef at the app\'s workload')];
    }
    if (o.kind === 'PodDisruptionBudget') {
      return workloads(ctx, o.dir).some((w) => selects(matchLabels(o), podLabels(w)))
        ? []
        : [finding(o, 'join-scale-target', `selector ${JSON.stringify(matchLabels(o))} matches no pods of a workload`, 'make spec.selector.matchLabels match the pod template labels of the app\'s workload')];
    }
    return [];
  });
}
