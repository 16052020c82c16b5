import { asArray, asString, at, isRecord } from '../../manifest/json-access';
import { DEFAULT_ADDONS } from '../../model/addon-catalog';
import { finding, type Finding, type K8sObject, type RuleContext } from './types';

const RULE = 'join-argocd-tracking';

/** The label Argo CD writes on every object it syncs when it tracks by label. */
const DEFAULT_INSTANCE_LABEL = 'app.kubernetes.io/instance';

/** Kinds whose selectors pick pods by label: a label Argo CD rewrites would make them select the wrong pods. */
const SELECTING_KINDS = new Set(['Service', 'ServiceMonitor', 'PodMonitor', 'PodDisruptionBudget', 'NetworkPolicy']);

/** Every label key a selecting object's selectors name: Service `spec.selector`, and any `matchLabels` or `matchExpressions`. */
function selectorKeys(o: K8sObject): string[] {
  if (o.kind === 'Service') return Object.keys(isRecord(at(o.body, 'spec', 'selector')) ? (at(o.body, 'spec', 'selector') as Record<string, unknown>) : {});
  const keys: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!isRecord(v)) return;
    for (const [k, child] of Object.entries(v)) {
      if (k === 'matchLabels' && isRecord(child)) keys.push(...Object.keys(child));
      else if (k === 'matchExpressions') keys.push(...asArray(child).map((e) => asString(at(e, 'key'))).filter((x): x is string => x !== undefined));
      else walk(child);
    }
  };
  walk(at(o.body, 'spec'));
  return keys;
}

/**
 * Argo CD tracks what it synced by annotation. With `label` (Argo CD 2.x's default) or
 * `annotation+label`, it writes the Application's name into `app.kubernetes.io/instance` (or
 * `application.instanceLabelKey`) on every object, pod templates included, so a Service,
 * ServiceMonitor, PodMonitor, PodDisruptionBudget or NetworkPolicy that selects by that label would
 * select nothing. Read from the argo-cd add-on's `configs.cm`.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/resource_tracking/
 */
export function joinArgocdTracking(ctx: RuleContext): Finding[] {
  const argocd = ctx.objects.filter((o) => o.kind === 'Application' && asString(at(o.body, 'spec', 'source', 'chart')) === DEFAULT_ADDONS['argo-cd'].chart);
  return argocd.flatMap((app): Finding[] => {
    const cm = at(app.body, 'spec', 'source', 'helm', 'valuesObject', 'configs', 'cm');
    const method = asString(at(cm, 'application.resourceTrackingMethod')) ?? 'label';
    if (method === 'annotation') return [];
    const label = asString(at(cm, 'application.instanceLabelKey')) ?? DEFAULT_INSTANCE_LABEL;
    const user = ctx.objects.find((o) => SELECTING_KINDS.has(o.kind) && selectorKeys(o).includes(label));
    if (user === undefined) return [];
    return [finding(app, RULE, `tracks resources by "${method}", which rewrites the ${label} label on every object, but ${user.file} (${user.kind}/${user.name}) selects by it`,
      'set configs.cm."application.resourceTrackingMethod": annotation in the argo-cd add-on\'s values')];
  });
}
