import { at, strMap } from '../../manifest/json-access';
import { selects } from '../../manifest/label-selector';
import { podLabels } from '../../manifest/workload';
import { finding, type Finding, type RuleContext, workloads } from './types';

/** Every Service selector matches the pod labels of a workload in its directory. */
export function joinServiceSelector(ctx: RuleContext): Finding[] {
  return ctx.objects
    .filter((o) => o.kind === 'Service' && at(o.body, 'spec', 'type') !== 'ExternalName')
    .filter((o) => !workloads(ctx, o.dir).some((w) => selects(strMap(at(o.body, 'spec', 'selector')), podLabels(w))))
    .map((o) => finding(o, 'join-service-selector', `selector ${JSON.stringify(strMap(at(o.body, 'spec', 'selector')))} matches no pods of a workload`, 'make the selector match the pod template labels of the app\'s workload'));
}
