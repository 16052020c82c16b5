import { at } from '../../manifest/json-access';
import { cname, containers, finding, type Finding, type RuleContext } from './types';

/** Every container, init containers included, requests and limits cpu and memory. */
export function resources(ctx: RuleContext): Finding[] {
  return ctx.objects.flatMap((o) =>
    containers(o).flatMap((c) =>
      (['requests', 'limits'] as const).flatMap((kind) =>
        (['cpu', 'memory'] as const)
          .filter((r) => at(c.body, 'resources', kind, r) === undefined)
          .map((r) => finding(o, 'resources', `${cname(c)} has no ${r} ${kind}`, `set resources.${kind}.${r} on the container (the app's resource profile)`)),
      ),
    ),
  );
}
