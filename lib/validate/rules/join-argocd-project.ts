import { asArray, asString, at } from '../../manifest/json-access';
import { ARGOCD_CLUSTER_SECRET_LABEL } from '../../model/argocd';
import { IN_CLUSTER_SERVER } from '../../model/cluster';
import { outputLayout } from '../../model/output-layout';
import { SYNC_WAVE_ANNOTATION } from '../../k8s/sync-wave';
import { apiGroup } from '../../manifest/manifest';
import { CLUSTER_SCOPED_KINDS, destinationPermitted, kindRefusal, repoPermitted, type Destination } from './argocd-project-policy';
import { finding, type Finding, type K8sObject, type RuleContext } from './types';

const RULE = 'join-argocd-project';

/** The Argo CD instance whose directories hold `o` (`kubernetes/{argocd,bootstrap}/<instance>/`), and which one. */
function placeOf(o: K8sObject): { instance: string; dir: 'argocd' | 'bootstrap' } | undefined {
  const place = outputLayout.parse(o.file);
  return place?.plane === 'kubernetes' && (place.dir === 'argocd' || place.dir === 'bootstrap') ? { instance: place.instance, dir: place.dir } : undefined;
}

const wave = (o: K8sObject): number => Number(asString(at(o.body, 'metadata', 'annotations', SYNC_WAVE_ANNOTATION)) ?? '0');

/**
 * Argo CD refuses an Application whose AppProject does not exist, and cannot sync to a server it has
 * no cluster for. So every Application of an Argo CD instance names a project of the same instance
 * that exists no later than it does: in the bootstrap directory (applied by hand before anything
 * else), or in its own directory in an earlier sync wave; and a destination that is the instance's
 * own cluster or a cluster Secret of the instance (docs/argocd.md).
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/declarative-setup/
 */
export function joinArgocdProject(ctx: RuleContext): Finding[] {
  return ctx.objects.filter((o) => o.kind === 'Application').flatMap((app): Finding[] => {
    const place = placeOf(app);
    if (place === undefined) return [];
    const mine = ctx.objects.filter((o) => placeOf(o)?.instance === place.instance);
    const out: Finding[] = [];
    const project = asString(at(app.body, 'spec', 'project')) ?? '';
    const projects = mine.filter((o) => o.kind === 'AppProject' && o.name === project);
    const inTime = projects.some((p) => placeOf(p)?.dir === 'bootstrap' || (p.dir === app.dir && wave(p) < wave(app)));
    if (project !== 'default' && !inTime) {
      const why = projects.length === 0 ? `names project "${project}", which no AppProject of Argo CD "${place.instance}" defines` : `names project "${project}", which reaches Argo CD only after it`;
      out.push(finding(app, RULE, why, `define AppProject "${project}" in ${outputLayout.bootstrapDir(place.instance)}/, or in the Application's directory in an earlier sync wave`));
    }
    const server = asString(at(app.body, 'spec', 'destination', 'server'));
    const name = asString(at(app.body, 'spec', 'destination', 'name'));
    const secrets = mine.filter((o) => o.kind === 'Secret' && asString(at(o.body, 'metadata', 'labels', ARGOCD_CLUSTER_SECRET_LABEL)) === 'cluster');
    const registered = server !== undefined
      ? server === IN_CLUSTER_SERVER || secrets.some((s) => asString(at(s.body, 'stringData', 'server')) === server)
      : name === 'in-cluster' || secrets.some((s) => asString(at(s.body, 'stringData', 'name')) === name);
    if (!registered) {
      out.push(finding(app, RULE, `deploys to "${server ?? name ?? ''}", which Argo CD "${place.instance}" has no cluster for`,
        `deploy in-cluster (${IN_CLUSTER_SERVER}), or register the cluster with a Secret labelled ${ARGOCD_CLUSTER_SECRET_LABEL}: cluster in ${outputLayout.bootstrapDir(place.instance)}/`));
    }
    const defined = projects.find((p) => placeOf(p)?.dir === 'bootstrap') ?? projects[0];
    // An unregistered destination is one finding above, not also one per namespace the project covers on it.
    if (defined !== undefined) out.push(...refusals(ctx, app, defined, { server, name, namespace: asString(at(app.body, 'spec', 'destination', 'namespace')) ?? '' }, registered));
    return out;
  });
}

/**
 * What the Application's AppProject refuses, one finding each: a source repository outside
 * `sourceRepos`, a destination outside `destinations`, and for a directory source each kind the
 * project does not permit and each other namespace it does not cover (Argo CD refuses to sync those).
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/projects/
 */
function refusals(ctx: RuleContext, app: K8sObject, project: K8sObject, dest: Destination, checkDestinations: boolean): Finding[] {
  const out: Finding[] = [];
  const refuse = (what: string, fix: string): void => { out.push(finding(app, RULE, `project "${project.name}" refuses ${what}`, `${fix} in ${project.file}, or move the Application to a project that allows it`)); };
  const sources = [at(app.body, 'spec', 'source'), ...asArray(at(app.body, 'spec', 'sources'))].filter((s) => s !== undefined);
  for (const repo of new Set(sources.flatMap((s) => asString(at(s, 'repoURL')) ?? []))) {
    if (!repoPermitted(project.body, repo)) refuse(`source repository "${repo}", which is not in its sourceRepos`, `add "${repo}" to sourceRepos`);
  }
  const where = `${dest.server ?? dest.name ?? ''} namespace "${dest.namespace}"`;
  if (checkDestinations && !destinationPermitted(project.body, dest)) refuse(`destination ${where}, which matches none of its destinations`, `add namespace "${dest.namespace}" to destinations`);
  // A directory source: the objects of that directory of the output (of its subdirectories with recurse).
  for (const source of sources.filter((s) => asString(at(s, 'chart')) === undefined)) {
    const path = asString(at(source, 'path'));
    if (path === undefined) continue;
    const recurse = at(source, 'directory', 'recurse') === true;
    const emitted = ctx.objects.filter((o) => o.dir === path || (recurse && o.dir.startsWith(`${path}/`)));
    const kinds = new Map<string, { why: string; names: string[] }>();
    const namespaces = new Map<string, string[]>();
    for (const o of emitted) {
      const group = apiGroup(o.apiVersion);
      const why = kindRefusal(project.body, group, o.kind, o.name);
      const gk = `${group === '' ? 'core' : group}/${o.kind}`;
      if (why !== undefined) kinds.set(gk, { why, names: [...(kinds.get(gk)?.names ?? []), o.name] });
      const ns = o.namespace;
      if (checkDestinations && !CLUSTER_SCOPED_KINDS.has(o.kind) && ns !== undefined && ns !== dest.namespace && !destinationPermitted(project.body, { ...dest, namespace: ns })) {
        namespaces.set(ns, [...(namespaces.get(ns) ?? []), `${o.kind}/${o.name}`]);
      }
    }
    for (const [gk, { why, names }] of kinds) {
      const scope = CLUSTER_SCOPED_KINDS.has(gk.slice(gk.indexOf('/') + 1)) ? 'cluster' : 'namespace';
      refuse(`${gk} (${[...names].sort().join(', ')} in ${path}/), which ${why}`, `list ${gk} in ${scope}ResourceWhitelist (and not in its blacklist)`);
    }
    for (const [ns, objects] of namespaces) {
      refuse(`namespace "${ns}" of ${[...objects].sort().join(', ')} (in ${path}/), which matches none of its destinations`, `add namespace "${ns}" to destinations`);
    }
  }
  return out;
}

/** Whether an Argo CD destination namespace pattern (`*` globs) covers `namespace`. */
function covers(pattern: string, namespace: string): boolean {
  if (pattern.startsWith('!')) return false;
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(namespace);
}

const wildcard = (entries: unknown): boolean => asArray(entries).some((e) => asString(at(e, 'group')) === '*' || asString(at(e, 'kind')) === '*');

/**
 * No AppProject lets its Applications create Argo CD's own objects: where a project's destinations
 * cover Argo CD's namespace (the project's own), its namespaced kinds are listed one by one; and
 * cluster-scoped kinds are always listed one by one. Without a whitelist Argo CD allows every
 * namespaced kind.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/projects/
 */
export function argocdProjectScope(ctx: RuleContext): Finding[] {
  return ctx.objects.filter((o) => o.kind === 'AppProject').flatMap((p): Finding[] => {
    const out: Finding[] = [];
    const argoNamespace = p.namespace ?? 'argocd';
    const reaches = asArray(at(p.body, 'spec', 'destinations')).some((d) => covers(asString(at(d, 'namespace')) ?? '', argoNamespace));
    const namespaced = at(p.body, 'spec', 'namespaceResourceWhitelist');
    if (reaches && (namespaced === undefined || wildcard(namespaced))) {
      out.push(finding(p, 'argocd-project-scope', `may create any namespaced kind in Argo CD's namespace "${argoNamespace}" (Applications, AppProjects, cluster Secrets)`,
        `list namespaceResourceWhitelist kinds one by one, or keep "${argoNamespace}" out of its destinations`));
    }
    if (wildcard(at(p.body, 'spec', 'clusterResourceWhitelist'))) {
      out.push(finding(p, 'argocd-project-scope', 'allows every cluster-scoped kind', 'list clusterResourceWhitelist kinds one by one'));
    }
    return out;
  });
}
