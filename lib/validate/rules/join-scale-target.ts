import { asString, at } from '../../manifest/json-access';
import { matchLabels, selects } from '../../manifest/label-selector';
import { apiGroup } from '../../manifest/manifest';
import { podLabels } from '../../manifest/workload';
import { finding, type Finding, type RuleContext, workloads } from './types';

/**
 * Every HPA scales a workload of its directory, named by its kind, name and API group (an Argo
 * Rollout is `argoproj.io`, not `apps`), and every PDB selects the pods of one.
 */
export function joinScaleTarget(ctx: RuleContext): Finding[] {
  return ctx.objects.flatMap((o): Finding[] => {
    if (o.kind === 'HorizontalPodAutoscaler') {
      const kind = asString(at(o.body, 'spec', 'scaleTargetRef', 'kind'));
      const name = asString(at(o.body, 'spec', 'scaleTargetRef', 'name'));
      const apiVersion = asString(at(o.body, 'spec', 'scaleTargetRef', 'apiVersion'));
      const target = workloads(ctx, o.dir).find((w) => w.kind === kind && w.name === name);
      if (!target) return [finding(o, 'join-scale-target', `scales ${kind}/${name}, which is not in ${o.dir}`, 'point spec.scaleTargetRef at the app\'s workload')];
      const targetVersion = asString(target.body.apiVersion) ?? '';
      if (apiVersion !== undefined && apiGroup(apiVersion) !== apiGroup(targetVersion)) {
        return [finding(o, 'join-scale-target', `scales ${kind}/${name} of apiVersion "${apiVersion}", but ${target.file} is ${kind}/${name} of "${targetVersion}"`, `set spec.scaleTargetRef.apiVersion to "${targetVersion}"`)];
      }
      return [];
    }
    if (o.kind === 'PodDisruptionBudget') {
      return workloads(ctx, o.dir).some((w) => selects(matchLabels(o), podLabels(w)))
        ? []
        : [finding(o, 'join-scale-target', `selector ${JSON.stringify(matchLabels(o))} matches no pods of a workload`, 'make spec.selector.matchLabels match the pod template labels of the app\'s workload')];
    }
    return [];
  });
}
