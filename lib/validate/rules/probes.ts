import { isRecord } from '../../manifest/json-access';
import { cname, containers, finding, type Finding, type RuleContext } from './types';

/** Every app container (not init containers) has a liveness and a readiness probe. */
export function probes(ctx: RuleContext): Finding[] {
  return ctx.objects.flatMap((o) =>
    containers(o)
      .filter((c) => !c.init && o.kind !== 'Job' && o.kind !== 'CronJob')
      .flatMap((c) =>
        (['livenessProbe', 'readinessProbe'] as const)
          .filter((p) => !isRecord(c.body[p]))
          .map((p) => finding(o, 'probes', `${cname(c)} has no ${p}`, `give the app probes (AppConfig.probes) so the container gets a ${p}`)),
      ),
  );
}
