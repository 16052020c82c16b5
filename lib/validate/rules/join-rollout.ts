import { asArray, asString, at, isRecord, type JsonRecord, strMap } from '../../manifest/json-access';
import { selects } from '../../manifest/label-selector';
import { podLabels } from '../../manifest/workload';
import { finding, type Finding, inNamespace, type K8sObject, namespaceOf, type RuleContext } from './types';

const RULE = 'join-rollout';

/**
 * Every reference of an Argo Rollout resolves in its namespace, whatever directory holds the object
 * (the canary environment shares production's namespace):
 * - each AnalysisTemplate its analyses run exists, and the analysis passes every argument the
 *   template declares without a value (a ClusterAnalysisTemplate is a cluster add-on, not checked);
 * - its canary, stable, active and preview Services exist and select its pods;
 * - its Istio VirtualService exists with the HTTP routes it manages, each routing to both its subsets
 *   (or both its Services), and its DestinationRule defines those subsets.
 * Also: every `{{args.NAME}}` an AnalysisTemplate uses is one of its declared arguments.
 * @see https://argo-rollouts.readthedocs.io/en/stable/features/analysis/
 * @see https://argo-rollouts.readthedocs.io/en/stable/features/traffic-management/istio/
 */
export function joinRollout(ctx: RuleContext): Finding[] {
  return ctx.objects.flatMap((o) => {
    if (o.kind === 'Rollout') return [...analyses(ctx, o), ...services(ctx, o), ...istio(ctx, o)];
    if (o.kind === 'AnalysisTemplate' || o.kind === 'ClusterAnalysisTemplate') return templateArgs(o);
    return [];
  });
}

const strategy = (r: K8sObject): unknown => at(r.body, 'spec', 'strategy');
const names = (v: unknown, key: string): string[] => asArray(v).map((x) => asString(at(x, key))).filter((x): x is string => x !== undefined);

/** Each analysis of a Rollout, with the field it is at. */
function analysisRefs(r: K8sObject): { field: string; body: JsonRecord }[] {
  const s = strategy(r);
  return [
    { field: 'spec.strategy.canary.analysis', body: at(s, 'canary', 'analysis') },
    ...asArray(at(s, 'canary', 'steps')).map((step, i) => ({ field: `spec.strategy.canary.steps[${i}].analysis`, body: at(step, 'analysis') })),
    { field: 'spec.strategy.blueGreen.prePromotionAnalysis', body: at(s, 'blueGreen', 'prePromotionAnalysis') },
    { field: 'spec.strategy.blueGreen.postPromotionAnalysis', body: at(s, 'blueGreen', 'postPromotionAnalysis') },
  ].filter((a): a is { field: string; body: JsonRecord } => isRecord(a.body));
}

function analyses(ctx: RuleContext, r: K8sObject): Finding[] {
  const ns = namespaceOf(ctx, r);
  return analysisRefs(r).flatMap(({ field, body }) => {
    const passed = new Set(names(body.args, 'name'));
    return asArray(body.templates)
      .filter((t) => at(t, 'clusterScope') !== true)
      .flatMap((t): Finding[] => {
        const name = asString(at(t, 'templateName'));
        if (name === undefined) return [];
        const template = inNamespace(ctx, r, 'AnalysisTemplate').find((a) => a.name === name);
        if (!template) {
          return [finding(r, RULE, `${field} runs AnalysisTemplate "${name}", which is not in namespace "${ns}"`, 'create the AnalysisTemplate in the Rollout\'s namespace, or correct templateName')];
        }
        return asArray(at(template.body, 'spec', 'args'))
          .filter((a) => at(a, 'value') === undefined && at(a, 'valueFrom') === undefined)
          .map((a) => asString(at(a, 'name')))
          .filter((a): a is string => a !== undefined && !passed.has(a))
          .map((a) => finding(r, RULE, `${field} passes no argument "${a}", which AnalysisTemplate "${name}" requires`, `add { name: ${a}, value or valueFrom } to ${field}.args, or give the template's argument a default value`));
      });
  });
}

/** Every `{{args.NAME}}` of an AnalysisTemplate names an argument it declares. */
function templateArgs(t: K8sObject): Finding[] {
  const declared = new Set(names(at(t.body, 'spec', 'args'), 'name'));
  const used = [...JSON.stringify(at(t.body, 'spec') ?? {}).matchAll(/\{\{\s*args\.([A-Za-z0-9_.-]+?)\s*\}\}/g)].map((m) => m[1]);
  return [...new Set(used)]
    .filter((a) => !declared.has(a))
    .map((a) => finding(t, RULE, `uses {{args.${a}}}, which spec.args does not declare`, `declare "${a}" in spec.args, and pass it from the Rollouts that run the template`));
}

function services(ctx: RuleContext, r: K8sObject): Finding[] {
  const s = strategy(r);
  const refs: [string, unknown][] = [
    ['spec.strategy.canary.canaryService', at(s, 'canary', 'canaryService')],
    ['spec.strategy.canary.stableService', at(s, 'canary', 'stableService')],
    ['spec.strategy.blueGreen.activeService', at(s, 'blueGreen', 'activeService')],
    ['spec.strategy.blueGreen.previewService', at(s, 'blueGreen', 'previewService')],
  ];
  return refs.flatMap(([field, value]): Finding[] => {
    const name = asString(value);
    if (name === undefined) return [];
    const svc = inNamespace(ctx, r, 'Service').find((x) => x.name === name);
    if (!svc) return [finding(r, RULE, `${field} names Service "${name}", which is not in namespace "${namespaceOf(ctx, r)}"`, 'create the Service in the Rollout\'s namespace, or correct the name')];
    const selector = strMap(at(svc.body, 'spec', 'selector'));
    return selects(selector, podLabels(r))
      ? []
      : [finding(r, RULE, `${field} names Service "${name}", whose selector ${JSON.stringify(selector)} matches none of its pods`, 'make the Service select the pod template labels of the Rollout')];
  });
}

function istio(ctx: RuleContext, r: K8sObject): Finding[] {
  const canary = at(strategy(r), 'canary');
  const routing = at(canary, 'trafficRouting', 'istio');
  if (!isRecord(routing)) return [];
  const ns = namespaceOf(ctx, r);
  const out: Finding[] = [];
  const dr = at(routing, 'destinationRule');
  const subsets = isRecord(dr) ? [asString(dr.stableSubsetName), asString(dr.canarySubsetName)].filter((x): x is string => x !== undefined) : [];
  if (isRecord(dr)) {
    const name = asString(dr.name) ?? '';
    const rule = inNamespace(ctx, r, 'DestinationRule').find((x) => x.name === name);
    if (!rule) {
      out.push(finding(r, RULE, `spec.strategy.canary.trafficRouting.istio.destinationRule names DestinationRule "${name}", which is not in namespace "${ns}"`, 'create the DestinationRule in the Rollout\'s namespace, or correct the name'));
    } else {
      const defined = names(at(rule.body, 'spec', 'subsets'), 'name');
      out.push(...subsets.filter((x) => !defined.includes(x)).map((x) =>
        finding(r, RULE, `routes through subset "${x}", which DestinationRule "${name}" does not define`, `define subset "${x}" in DestinationRule "${name}", or correct the subset name`)));
    }
  }
  // Without a DestinationRule the Rollout splits by host: its canary and stable Services.
  const hosts = [asString(at(canary, 'stableService')), asString(at(canary, 'canaryService'))].filter((x): x is string => x !== undefined);
  const vsRefs = [at(routing, 'virtualService'), ...asArray(at(routing, 'virtualServices'))].filter(isRecord);
  for (const ref of vsRefs) {
    const name = asString(ref.name) ?? '';
    const vs = inNamespace(ctx, r, 'VirtualService').find((x) => x.name === name);
    if (!vs) {
      out.push(finding(r, RULE, `spec.strategy.canary.trafficRouting.istio names VirtualService "${name}", which is not in namespace "${ns}"`, 'create the VirtualService in the Rollout\'s namespace, or correct the name'));
      continue;
    }
    const http = asArray(at(vs.body, 'spec', 'http'));
    const wanted = asArray(ref.routes).filter((x): x is string => typeof x === 'string');
    if (wanted.length === 0 && http.length !== 1) {
      out.push(finding(r, RULE, `names no route of VirtualService "${name}", which has ${http.length} HTTP routes`, 'list the HTTP route the Rollout manages in trafficRouting.istio.virtualService.routes'));
      continue;
    }
    const managed = wanted.length === 0 ? http : wanted.map((w) => http.find((h) => at(h, 'name') === w));
    managed.forEach((route, i) => {
      const routeName = wanted[i] ?? asString(at(route, 'name')) ?? '(unnamed)';
      if (route === undefined) {
        out.push(finding(r, RULE, `manages route "${routeName}" of VirtualService "${name}", which has no HTTP route of that name`, 'name an HTTP route of the VirtualService in trafficRouting.istio.virtualService.routes'));
        return;
      }
      const destinations = asArray(at(route, 'route')).map((d) => at(d, 'destination'));
      const missing = isRecord(dr)
        ? subsets.filter((x) => !destinations.some((d) => at(d, 'subset') === x)).map((x) => `subset "${x}"`)
        : hosts.filter((h) => !destinations.some((d) => (asString(at(d, 'host')) ?? '').split('.')[0] === h)).map((h) => `host "${h}"`);
      out.push(...missing.map((m) => finding(r, RULE, `manages route "${routeName}" of VirtualService "${name}", which has no destination with ${m}`, `route "${routeName}" to both the stable and the canary ${isRecord(dr) ? 'subset' : 'Service'}, so the Rollout can set their weights`)));
    });
  }
  return out;
}
