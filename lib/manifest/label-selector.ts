import { asArray, asString, at, isRecord, strMap } from './json-access';
import type { Manifest } from './manifest';

/**
 * True when every label of the selector is on the pod labels. An empty selector matches nothing:
 * a Service or PodDisruptionBudget that selects no label guards no app.
 */
export function selects(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(selector);
  return keys.length > 0 && keys.every((k) => labels[k] === selector[k]);
}

/** An object's `spec.selector.matchLabels`: what a PodDisruptionBudget, ServiceMonitor or workload selects. */
export function matchLabels(m: Manifest): Readonly<Record<string, string>> {
  return strMap(at(m.body, 'spec', 'selector', 'matchLabels'));
}

/**
 * True when a Kubernetes LabelSelector (`matchLabels` and `matchExpressions`) matches the labels.
 * Unlike {@link selects}, an empty selector matches everything, as a NetworkPolicy's podSelector does.
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#resources-that-support-set-based-requirements
 */
export function labelSelectorMatches(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  if (!isRecord(selector)) return false;
  const byLabel = Object.entries(strMap(selector.matchLabels)).every(([k, v]) => labels[k] === v);
  return byLabel && asArray(selector.matchExpressions).every((e) => {
    const key = asString(at(e, 'key')) ?? '';
    const values = asArray(at(e, 'values'));
    const has = Object.hasOwn(labels, key);
    switch (at(e, 'operator')) {
      case 'In': return has && values.includes(labels[key]);
      case 'NotIn': return !has || !values.includes(labels[key]);
      case 'Exists': return has;
      case 'DoesNotExist': return !has;
      default: return false;
    }
  });
}
