import { isScaledWorkload } from '../../manifest/workload';
import { fewestReplicas } from './replicas';
import { envOf, finding, type Finding, type RuleContext } from './types';

/** Every scaled workload (Deployment, Rollout, StatefulSet) of a production environment runs at least 3 replicas. */
export function prodReplicas(ctx: RuleContext): Finding[] {
  return ctx.objects
    .filter((w) => isScaledWorkload(w) && ctx.productionEnvs.includes(envOf(w) ?? ''))
    .filter((w) => fewestReplicas(ctx, w) < 3)
    .map((w) => finding(w, 'prod-replicas', `runs ${fewestReplicas(ctx, w)} replica(s) in production environment "${envOf(w)}", fewer than 3`, `set the app's replicas (or HPA minReplicas) in "${envOf(w)}" to at least 3`));
}
