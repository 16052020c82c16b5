import { matchLabels, selects } from '../../manifest/label-selector';
import { isScaledWorkload, podLabels } from '../../manifest/workload';
import { fewestReplicas } from './replicas';
import { finding, type Finding, type RuleContext } from './types';

/** Every scaled workload (Deployment, Rollout, StatefulSet) with 2 or more replicas (or HPA minReplicas) has a PodDisruptionBudget. */
export function pdb(ctx: RuleContext): Finding[] {
  return ctx.objects
    .filter((w) => isScaledWorkload(w) && fewestReplicas(ctx, w) >= 2)
    .filter((w) => !ctx.objects.some((p) => p.kind === 'PodDisruptionBudget' && p.dir === w.dir && selects(matchLabels(p), podLabels(w))))
    .map((w) => finding(w, 'pdb', `runs ${fewestReplicas(ctx, w)} replicas and no PodDisruptionBudget selects its pods`, 'add a PodDisruptionBudget whose selector matches the pod labels'));
}
