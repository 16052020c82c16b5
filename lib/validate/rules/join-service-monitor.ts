import { asArray, asString, at, strMap } from '../../manifest/json-access';
import { matchLabels, selects } from '../../manifest/label-selector';
import { finding, type Finding, type RuleContext } from './types';

/** Every ServiceMonitor endpoint port names a port of a Service it selects in its directory. */
export function joinServiceMonitor(ctx: RuleContext): Finding[] {
  return ctx.objects
    .filter((o) => o.kind === 'ServiceMonitor')
    .flatMap((o) => {
      const services = ctx.objects.filter((s) => s.kind === 'Service' && s.dir === o.dir && selects(matchLabels(o), strMap(at(s.body, 'metadata', 'labels'))));
      if (services.length === 0) {
        return [finding(o, 'join-service-monitor', `selector ${JSON.stringify(matchLabels(o))} selects no Service`, 'make spec.selector.matchLabels match the labels of the app\'s Service')];
      }
      return asArray(at(o.body, 'spec', 'endpoints'))
        .map((e) => asString(at(e, 'port')))
        .filter((p): p is string => p !== undefined)
        .filter((p) => !services.some((s) => asArray(at(s.body, 'spec', 'ports')).some((sp) => at(sp, 'name') === p)))
        .map((p) => finding(o, 'join-service-monitor', `scrapes port "${p}", which no selected Service names`, 'name the metrics port in the app\'s ports and on its Service'));
    });
}
