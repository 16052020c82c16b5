import { minReplicas } from './replicas';
import { envOf, finding, Finding, RuleContext } from './types';

/** Every Deployment, Rollout or StatefulSet of a production environment runs at least 3 replicas. */
export function prodReplicas(ctx: RuleContext): Finding[] {
  return ctx.objects
    .filter((w) => ['Deployment', 'Rollout', 'StatefulSet'].includes(w.kind) && ctx.productionEnvs.includes(envOf(w) ?? ''))
    .filter((w) => minReplicas(ctx, w) < 3)
    .map((w) => finding(w, 'prod-replicas', `runs ${minReplicas(ctx, w)} replica(s) in production environment "${envOf(w)}", fewer than 3`, `set the app's replicas (or HPA minReplicas) in "${envOf(w)}" to at least 3`));
}
