import { asString, at } from '../../manifest/json-access';
import { apiGroup } from '../../manifest/manifest';
import { API_VERSION_SINCE, compareVersions, DEFAULT_ADDONS, isBuiltInGroup, KIND_CONTROLLERS, PINNED_VERSION } from '../../model/addon-catalog';
import { clusterOf, destinationCluster, type Finding, finding, type K8sObject, type RuleContext } from './types';

const RULE = 'join-addon-controller';

/** An add-on Application: one with a Helm chart source, with the cluster it installs on. */
interface InstalledChart {
  readonly app: K8sObject;
  readonly cluster: string;
  readonly chart: string;
  readonly version: string;
}

function installedCharts(ctx: RuleContext): InstalledChart[] {
  return ctx.objects.filter((o) => o.kind === 'Application').flatMap((app): InstalledChart[] => {
    const chart = asString(at(app.body, 'spec', 'source', 'chart'));
    if (chart === undefined) return [];
    const dest = at(app.body, 'spec', 'destination');
    const cluster = destinationCluster(app, asString(at(dest, 'server')) ?? asString(at(dest, 'name')) ?? '');
    return [{ app, cluster, chart, version: asString(at(app.body, 'spec', 'source', 'targetRevision')) ?? '' }];
  });
}

/**
 * Every custom kind of the output has its controller on the cluster it is applied to: an add-on
 * Application (a Helm source) on that cluster whose chart installs the kind's CRD and controller,
 * at an exact version. The cluster of an object is its directory's Argo CD destination. One finding
 * per kind, directory and missing add-on; objects in a directory no Application syncs are skipped.
 * The kind → add-on table is KIND_CONTROLLERS (lib/model/addon-catalog.ts).
 */
export function joinAddonController(ctx: RuleContext): Finding[] {
  const charts = installedCharts(ctx);
  const findings: Finding[] = [];
  for (const c of charts) {
    if (!PINNED_VERSION.test(c.version)) {
      findings.push(finding(c.app, RULE, `installs chart "${c.chart}" at targetRevision "${c.version}", which is not an exact version: Argo CD follows a range or "latest" to whatever is newest`,
        'pin an exact version, such as 1.2.3, in addons.charts'));
    }
  }
  const reported = new Set<string>();
  for (const o of ctx.objects) {
    const group = apiGroup(o.apiVersion);
    if (isBuiltInGroup(group)) continue;
    const cluster = clusterOf(ctx, o);
    if (cluster === '') continue;
    const key = `${group}/${o.kind}`;
    const needed = KIND_CONTROLLERS[key];
    if (needed === undefined) {
      if (reported.has(`${o.dir} ${key}`)) continue;
      reported.add(`${o.dir} ${key}`);
      findings.push(finding(o, RULE, `is a ${key}, which no add-on is known to serve`, `add "${key}" with the add-on that installs its controller to KIND_CONTROLLERS in lib/model/addon-catalog.ts`));
      continue;
    }
    for (const addon of needed) {
      const chart = DEFAULT_ADDONS[addon].chart;
      const installed = charts.some((c) => c.cluster === cluster && c.chart === chart && PINNED_VERSION.test(c.version));
      const id = `${o.dir} ${key} ${addon}`;
      if (installed || reported.has(id)) continue;
      reported.add(id);
      findings.push(finding(o, RULE, `is a ${key} applied to cluster ${cluster}, where no Application installs the ${addon} chart "${chart}" at an exact version: nothing serves or acts on it`,
        `install ${addon} on that cluster (lib/model/cluster-addons.ts decides which clusters get it)`));
    }
    // The add-on must also serve the object's API version, not only its kind.
    const since = API_VERSION_SINCE[o.apiVersion ?? ''];
    if (since === undefined) continue;
    const chart = DEFAULT_ADDONS[since.addon].chart;
    const old = charts.find((c) => c.cluster === cluster && c.chart === chart && PINNED_VERSION.test(c.version) && compareVersions(c.version, since.version) < 0);
    const id = `${o.dir} ${o.apiVersion} ${since.addon} version`;
    if (old === undefined || reported.has(id)) continue;
    reported.add(id);
    findings.push(finding(o, RULE, `is a ${o.apiVersion} ${o.kind}, but cluster ${cluster} runs ${since.addon} ${old.version}, which serves ${o.apiVersion} only from ${since.version}: the API server refuses it`,
      `pin ${since.addon} at ${since.version} or later in addons.charts`));
  }
  return findings;
}
