import { asArray, asString, at, isRecord, strMap, type JsonRecord } from '../../manifest/json-access';
import { clusterOf, envOf, finding, type Finding, inNamespace, type K8sObject, namespaceOf, type RuleContext } from './types';

const RULE = 'alert-paging';
const KIND = 'AlertmanagerConfig';
/** Receiver integrations that page a person rather than post to a channel. */
const PAGING_CONFIGS = ['pagerdutyConfigs', 'opsgenieConfigs'] as const;

/**
 * Alerts reach the right people, as the Prometheus Operator builds Alertmanager's configuration:
 * each AlertmanagerConfig's top route gets a `namespace="<its namespace>"` matcher, so it sees only the
 * alerts of its namespace (alertmanagerConfigMatcherStrategy OnNamespace, the default).
 * - No route of an AlertmanagerConfig whose namespace holds only non-production environments, or, in
 *   a namespace no environment owns (monitoring), of a cluster that runs no production environment,
 *   reaches a receiver with pagerdutyConfigs or opsgenieConfigs.
 * - Every alert of every PrometheusRule is matched by the routes of an AlertmanagerConfig of its
 *   `namespace` label (the rule's own label, else the PrometheusRule's namespace) on the same cluster.
 * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1alpha1.AlertmanagerConfigSpec
 */
export function alertPaging(ctx: RuleContext): Finding[] {
  // Without knowing which environment is production, nothing can be said about who may page.
  const configs = ctx.productionEnvs.length === 0 ? [] : ctx.objects.filter((o) => o.kind === KIND);
  return [
    ...configs.flatMap((o) => pagesOutsideProduction(ctx, o)),
    ...ctx.objects.filter((o) => o.kind === 'PrometheusRule').flatMap((o) => unroutedAlerts(ctx, o)),
  ];
}

function pagesOutsideProduction(ctx: RuleContext, o: K8sObject): Finding[] {
  const cluster = clusterOf(ctx, o);
  const namespace = namespaceOf(ctx, o);
  const sameCluster = ctx.objects.filter((x) => clusterOf(ctx, x) === cluster);
  // An environment's namespace holds its objects; a namespace of the cluster's own (monitoring) serves all of its environments.
  const inNs = envNames(sameCluster.filter((x) => namespaceOf(ctx, x) === namespace));
  const envs = inNs.length > 0 ? inNs : envNames(sameCluster);
  if (envs.some((e) => ctx.productionEnvs.includes(e))) return [];
  const receivers = new Map(asArray(at(o.body, 'spec', 'receivers')).filter(isRecord).map((r) => [asString(r.name) ?? '?', r]));
  const paging = (name: string | undefined): boolean => {
    const r = name === undefined ? undefined : receivers.get(name);
    return r !== undefined && PAGING_CONFIGS.some((k) => asArray(r[k]).length > 0);
  };
  const where = inNs.length > 0 ? `environment(s) ${inNs.join(', ')}` : `a cluster whose environments (${envs.join(', ') || 'none'}) are not production`;
  return routes(at(o.body, 'spec', 'route'), 'spec.route')
    .filter((r) => paging(asString(r.route.receiver)))
    .map((r) => finding(o, RULE, `${r.path} sends alerts of ${where} to paging receiver "${asString(r.route.receiver)}"`,
      'route non-production alerts to chat only: leave alerts.page unset on the environment (or cluster); only production sets page: true'));
}

function unroutedAlerts(ctx: RuleContext, o: K8sObject): Finding[] {
  const namespace = namespaceOf(ctx, o);
  const out: Finding[] = [];
  for (const group of asArray(at(o.body, 'spec', 'groups'))) {
    for (const rule of asArray(at(group, 'rules')).filter(isRecord)) {
      const alert = asString(rule.alert);
      if (alert === undefined) continue;
      const labels: Record<string, string> = { alertname: alert, namespace, ...strMap(rule.labels) };
      const configs = inNamespace(ctx, o, KIND, labels.namespace);
      if (configs.some((c) => routesAlert(c.body, labels))) continue;
      out.push(finding(o, RULE, `alert ${alert} (namespace "${labels.namespace}", severity "${labels.severity ?? ''}") is matched by no route of an AlertmanagerConfig in namespace "${labels.namespace}", so it reaches no receiver`,
        `add an AlertmanagerConfig to namespace "${labels.namespace}" whose route matches it, or give the rule the namespace label of one that does`));
    }
  }
  return out;
}

interface RouteAt {
  readonly route: JsonRecord;
  readonly path: string;
}

/** A route and all its children, depth first. */
function routes(route: unknown, path: string): RouteAt[] {
  if (!isRecord(route)) return [];
  return [{ route, path }, ...asArray(route.routes).flatMap((r, i) => routes(r, `${path}.routes[${i}]`))];
}

/** Whether the top route matches (and so some receiver gets) an alert with these labels. */
function routesAlert(config: JsonRecord, labels: Readonly<Record<string, string>>): boolean {
  const top = at(config, 'spec', 'route');
  return isRecord(top) && asString(top.receiver) !== undefined && matches(top, labels);
}

/** Alertmanager's matching: an absent label is the empty string, and regexes are anchored. */
function matches(route: JsonRecord, labels: Readonly<Record<string, string>>): boolean {
  return asArray(route.matchers).filter(isRecord).every((m) => {
    const value = labels[asString(m.name) ?? ''] ?? '';
    const want = asString(m.value) ?? '';
    switch (asString(m.matchType) ?? '=') {
      case '=': return value === want;
      case '!=': return value !== want;
      case '=~': return new RegExp(`^(?:${want})$`).test(value);
      case '!~': return !new RegExp(`^(?:${want})$`).test(value);
      default: return false;
    }
  });
}

function envNames(objects: readonly K8sObject[]): string[] {
  return [...new Set(objects.map(envOf).filter((e): e is string => e !== undefined))].sort();
}
