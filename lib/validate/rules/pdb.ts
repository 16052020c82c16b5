import { matchLabels, minReplicas } from './replicas';
import { finding, Finding, podLabels, RuleContext, selects } from './types';

/** Every Deployment, Rollout or StatefulSet with 2 or more replicas (or HPA minReplicas) has a PodDisruptionBudget. */
export function pdb(ctx: RuleContext): Finding[] {
  return ctx.objects
    .filter((w) => ['Deployment', 'Rollout', 'StatefulSet'].includes(w.kind) && minReplicas(ctx, w) >= 2)
    .filter((w) => !ctx.objects.some((p) => p.kind === 'PodDisruptionBudget' && p.dir === w.dir && selects(matchLabels(p), podLabels(w))))
    .map((w) => finding(w, 'pdb', `runs ${minReplicas(ctx, w)} replicas and no PodDisruptionBudget selects its pods`, 'add a PodDisruptionBudget whose selector matches the pod labels'));
}
