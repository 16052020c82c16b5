import { scales } from '../../manifest/autoscaler';
import { asArray, asNumber, asString, at, isRecord, strMap } from '../../manifest/json-access';
import { selects } from '../../manifest/label-selector';
import { podLabels } from '../../manifest/workload';
import { candidateCapacity } from '../../model/delivery';
import { finding, type Finding, inNamespace, type K8sObject, namespaceOf, type RuleContext, workloadsInNamespace } from './types';

const FIX = "let the candidate scale further (its environment's replicas.maxReplicas, or the app's override), or lower its weight";

/**
 * A VirtualService never gives a candidate more of its traffic than the candidate's pods can serve,
 * when the candidate is another workload than the one production runs (the canary environment's):
 * production is sized so its most pods serve all traffic at peak, so a candidate that can run
 * `c` pods beside production's `p` carries at most c/p of it (see `candidateCapacity`). A subset
 * split within one Rollout is left to Argo Rollouts, which scales the canary ReplicaSet with its weight.
 */
export function canaryCapacity(ctx: RuleContext): Finding[] {
  return ctx.objects.filter((o) => o.kind === 'VirtualService').flatMap((vs) =>
    asArray(at(vs.body, 'spec', 'http')).flatMap((route) => {
      const destinations = asArray(at(route, 'route')).filter(isRecord);
      const split = destinations.map((d) => ({
        host: asString(at(d, 'destination', 'host')) ?? '',
        subset: asString(at(d, 'destination', 'subset')),
        weight: asNumber(at(d, 'weight')) ?? (destinations.length === 1 ? 100 : 0),
      }));
      if (split.length < 2 || split.some((d) => d.subset === undefined)) return [];
      const groups = split.map((d) => ({ ...d, pods: podsOf(ctx, vs, d.host, d.subset as string) }));
      // The largest group serves production; the others are candidates beside it.
      const [production, ...candidates] = [...groups].sort((a, b) => maxPods(ctx, b.pods) - maxPods(ctx, a.pods));
      if (production.pods.length === 0) return [];
      return candidates.flatMap((c): Finding[] => {
        if (c.weight === 0 || c.pods.length === 0 || c.pods.some((w) => production.pods.includes(w))) return [];
        const capacity = candidateCapacity(asString(at(vs.body, 'metadata', 'name')) ?? '?', maxPods(ctx, c.pods), maxPods(ctx, production.pods));
        if (c.weight <= capacity.maxWeight) return [];
        return [finding(vs, 'canary-capacity',
          `gives subset "${c.subset}" ${c.weight}% of its traffic, but its pods (${c.pods.map((w) => `${w.kind}/${w.name}`).join(', ')}) run at most ${capacity.candidateReplicas} replica(s) beside production's ${capacity.productionReplicas}, which carry at most ${capacity.maxWeight}%`,
          FIX)];
      });
    }));
}

/** The workloads whose pods a route's destination reaches: the host's Service, narrowed by the subset's labels. */
function podsOf(ctx: RuleContext, vs: K8sObject, host: string, subset: string): K8sObject[] {
  const ns = namespaceOf(ctx, vs);
  const name = host.replace(new RegExp(`\\.${ns}(\\.svc(\\.cluster\\.local)?)?$`), '');
  const service = inNamespace(ctx, vs, 'Service').find((s) => s.name === name);
  const rule = inNamespace(ctx, vs, 'DestinationRule').find((r) => [name, host].includes(asString(at(r.body, 'spec', 'host')) ?? ''));
  const subsetLabels = strMap(at(asArray(at(rule?.body, 'spec', 'subsets')).find((s) => at(s, 'name') === subset), 'labels'));
  if (service === undefined || Object.keys(subsetLabels).length === 0) return [];
  const selector = strMap(at(service.body, 'spec', 'selector'));
  return workloadsInNamespace(ctx, vs).filter((w) => selects(selector, podLabels(w)) && selects(subsetLabels, podLabels(w)));
}

/** The most pods workloads run together: each autoscaler's maximum, else its replicas (1 when unset). */
function maxPods(ctx: RuleContext, workloads: readonly K8sObject[]): number {
  return workloads.reduce((sum, w) => {
    const hpa = inNamespace(ctx, w, 'HorizontalPodAutoscaler').find((h) => scales(h, w));
    const count = hpa ? asNumber(at(hpa.body, 'spec', 'maxReplicas')) : (asNumber(at(w.body, 'spec', 'replicas')) ?? 1);
    return sum + (count ?? 1);
  }, 0);
}
