import { arr, at, finding, Finding, isObj, K8sObject, RuleContext, str } from './types';

/** Every Ingress backend names a Service of its directory and one of that Service's ports. */
export function joinIngressBackend(ctx: RuleContext): Finding[] {
  return ctx.objects
    .filter((o) => o.kind === 'Ingress')
    .flatMap((o) => {
      const backends = [at(o.body, 'spec', 'defaultBackend'), ...arr(at(o.body, 'spec', 'rules')).flatMap((r) => arr(at(r, 'http', 'paths')).map((p) => at(p, 'backend')))];
      return backends.filter(isObj).flatMap((b) => check(ctx, o, b));
    });
}

function check(ctx: RuleContext, o: K8sObject, backend: Readonly<Record<string, unknown>>): Finding[] {
  const name = str(at(backend, 'service', 'name'));
  if (name === undefined) return [];
  const svc = ctx.objects.find((s) => s.kind === 'Service' && s.dir === o.dir && s.name === name);
  if (!svc) return [finding(o, 'join-ingress-backend', `routes to Service "${name}", which is not in ${o.dir}`, 'route to the app\'s Service')];
  const number = at(backend, 'service', 'port', 'number');
  const portName = str(at(backend, 'service', 'port', 'name'));
  const ports = arr(at(svc.body, 'spec', 'ports'));
  const ok = ports.some((p) => (number !== undefined && at(p, 'port') === number) || (portName !== undefined && at(p, 'name') === portName));
  return ok ? [] : [finding(o, 'join-ingress-backend', `routes to port ${String(number ?? portName)} of Service "${name}", which has no such port`, 'route to a port the Service exposes (AppConfig.exposure.port)')];
}
