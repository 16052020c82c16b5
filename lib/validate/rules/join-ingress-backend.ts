import { asArray, asString, at, isRecord } from '../../manifest/json-access';
import { finding, type Finding, type K8sObject, type RuleContext } from './types';

/** Every Ingress backend names a Service of its directory and one of that Service's ports. */
export function joinIngressBackend(ctx: RuleContext): Finding[] {
  return ctx.objects
    .filter((o) => o.kind === 'Ingress')
    .flatMap((o) => {
      const backends = [at(o.body, 'spec', 'defaultBackend'), ...asArray(at(o.body, 'spec', 'rules')).flatMap((r) => asArray(at(r, 'http', 'paths')).map((p) => at(p, 'backend')))];
      return backends.filter(isRecord).flatMap((b) => check(ctx, o, b));
    });
}

function check(ctx: RuleContext, o: K8sObject, backend: Readonly<Record<string, unknown>>): Finding[] {
  const name = asString(at(backend, 'service', 'name'));
  if (name === undefined) return [];
  const svc = ctx.objects.find((s) => s.kind === 'Service' && s.dir === o.dir && s.name === name);
  if (!svc) return [finding(o, 'join-ingress-backend', `routes to Service "${name}", which is not in ${o.dir}`, 'route to the app\'s Service')];
  const number = at(backend, 'service', 'port', 'number');
  const portName = asString(at(backend, 'service', 'port', 'name'));
  const ports = asArray(at(svc.body, 'spec', 'ports'));
  const ok = ports.some((p) => (number !== undefined && at(p, 'port') === number) || (portName !== undefined && at(p, 'name') === portName));
  return ok ? [] : [finding(o, 'join-ingress-backend', `routes to port ${String(number ?? portName)} of Service "${name}", which has no such port`, 'route to a port the Service exposes (AppConfig.exposure.port)')];
}
