import { asArray, at } from '../../manifest/json-access';
import { podSpec } from '../../manifest/workload';
import { cname, containers, finding, type Finding, type RuleContext } from './types';

/** Every container runs as non-root: runAsNonRoot true on the container or the pod, and never runAsUser 0. */
export function nonRoot(ctx: RuleContext): Finding[] {
  return ctx.objects.flatMap((o) => {
    const pod = podSpec(o);
    return containers(o).flatMap((c): Finding[] => {
      const nonRootSet = at(c.body, 'securityContext', 'runAsNonRoot') ?? at(pod, 'securityContext', 'runAsNonRoot');
      const user = at(c.body, 'securityContext', 'runAsUser') ?? at(pod, 'securityContext', 'runAsUser');
      if (nonRootSet !== true) return [finding(o, 'non-root', `${cname(c)} does not set runAsNonRoot: true`, 'set securityContext.runAsNonRoot: true on the pod or container')];
      if (user === 0) return [finding(o, 'non-root', `${cname(c)} runs as user 0`, 'run as a non-zero runAsUser such as 65532')];
      return [];
    });
  });
}

/** Every container has a read-only root filesystem. */
export function readOnlyRoot(ctx: RuleContext): Finding[] {
  return ctx.objects.flatMap((o) =>
    containers(o)
      .filter((c) => at(c.body, 'securityContext', 'readOnlyRootFilesystem') !== true)
      .map((c) => finding(o, 'read-only-root', `${cname(c)} does not set readOnlyRootFilesystem: true`, 'set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the app writes')),
  );
}

/** Every container drops all capabilities. */
export function dropCapabilities(ctx: RuleContext): Finding[] {
  return ctx.objects.flatMap((o) =>
    containers(o)
      .filter((c) => !asArray(at(c.body, 'securityContext', 'capabilities', 'drop')).includes('ALL'))
      .map((c) => finding(o, 'drop-capabilities', `${cname(c)} does not drop ALL capabilities`, 'set securityContext.capabilities.drop: [ALL]')),
  );
}
