import { App, Chart } from 'cdk8s';
import { type Construct } from 'constructs';
import { clusterScope, outputLayout, SHARED_SCOPES } from '../model/output-layout';
import { naming } from '../model/naming';
import { type Platform } from '../model/platform';
import { type Environment } from '../model/environment';
import { SyncPolicy } from '../model/sync-policy';
import { AppChart } from './app-chart';
import { ArgoProject } from './argocd/app-project';
import { ArgoApplication } from './argocd/application';
import { ignoreDifferences } from './argocd/ignore-differences';
import { ClusterChart } from './cluster-chart';
import { EnvironmentChart } from './environment-chart';
import { GatewayChart } from './gateway-chart';
import { IN_CLUSTER_SERVER } from '../model/cluster';
import { type ArgoCdInstance, syncWindow } from '../model/argocd';
import { clusterAddons } from '../model/cluster-addons';
import { ArgoClusterSecret } from './argocd/cluster-secret';
import { SYNC_WAVE_ANNOTATION } from './sync-wave';

/**
 * A chart to build and where its objects go. The chart is built on demand, so a synth holds one
 * construct tree at a time: with hundreds of charts alive at once, garbage collection made the
 * render grow faster than the platform.
 */
export interface ChartOutput {
  readonly build: () => Chart;
  /** The directory under the output root. */
  readonly dir: string;
  /** The scope its files belong to. */
  readonly scope: string;
}

/**
 * Each chart gets an App of its own: cdk8s resolves and validates a whole App for every chart it
 * renders, so sharing one App would make a synth quadratic in the number of charts.
 */
function isolated<T extends Chart>(build: (app: App) => T): () => T {
  return () => build(new App());
}

/** The namespace baseline and every app of one environment. */
export function environmentCharts(platform: Platform, env: Environment): ChartOutput[] {
  const dir = outputLayout.environmentDir(env.name);
  const charts: ChartOutput[] = [];
  if (env.managesNamespace) {
    const chart = isolated((app) => new EnvironmentChart(app, `${env.name}-namespace`, { platform, env }));
    charts.push({ build: chart, dir, scope: env.name });
  }
  for (const gateway of platform.traffic.gateways.filter((g) => g.env === env.name)) {
    const chart = isolated((app) => new GatewayChart(app, `${env.name}-gateway`, { platform: platform.name, gateway }));
    charts.push({ build: chart, dir, scope: env.name });
  }
  for (const instance of platform.instances(env)) {
    const chart = isolated((app) => new AppChart(app, `${env.name}-${instance.app.name}`, { instance, platform }));
    charts.push({ build: chart, dir, scope: env.name });
  }
  return charts;
}

/** The objects each cluster has once, in `kubernetes/clusters/<cluster>/`, scope `cluster-<cluster>`. */
export function clusterCharts(platform: Platform): ChartOutput[] {
  return platform.clusters.map((cluster) => ({
    build: isolated((app) => new ClusterChart(app, `cluster-${cluster.name}`, { platform, cluster })),
    dir: outputLayout.clusterDir(cluster.name),
    scope: clusterScope(cluster.name),
  }));
}


/** Kinds the add-on charts create cluster-wide, listed one by one (docs/argocd.md). */
export const ADDON_CLUSTER_RESOURCES: readonly { group: string; kind: string }[] = [
  { group: '', kind: 'Namespace' },
  { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
  { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration' },
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration' },
  { group: 'scheduling.k8s.io', kind: 'PriorityClass' },
];

/** The namespaced kinds the Argo CD chart installs in its own namespace, listed one by one. */
const ARGOCD_INSTALL_KINDS: readonly { group: string; kind: string }[] = [
  { group: '', kind: 'ConfigMap' },
  { group: '', kind: 'Secret' },
  { group: '', kind: 'Service' },
  { group: '', kind: 'ServiceAccount' },
  { group: 'apps', kind: 'Deployment' },
  { group: 'apps', kind: 'StatefulSet' },
  { group: 'rbac.authorization.k8s.io', kind: 'Role' },
  { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
  { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
  { group: 'policy', kind: 'PodDisruptionBudget' },
  // The chart's redis-secret-init hook.
  { group: 'batch', kind: 'Job' },
];

/** The cluster-scoped kinds the Argo CD chart installs: its CRDs and ClusterRoles. */
const ARGOCD_INSTALL_CLUSTER_KINDS: readonly { group: string; kind: string }[] = [
  { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
];

function uniqueKinds(kinds: readonly { group: string; kind: string }[]): { group: string; kind: string }[] {
  return [...new Map(kinds.map((k) => [`${k.group}/${k.kind}`, k])).values()];
}

/** The one argocd sync wave before every other: an Application's project and cluster exist before it syncs. */
const FIRST_WAVE = { [SYNC_WAVE_ANNOTATION]: '-1' };

/**
 * Per Argo CD instance (docs/argocd.md): `kubernetes/bootstrap/<cluster>/` (its AppProjects, the
 * cluster Secrets of the remote clusters it manages, and the root app: one `kubectl apply -f`), and
 * `kubernetes/argocd/<cluster>/`, which the root app syncs: the Application that keeps the bootstrap
 * directory in step with git, and one Application per selected environment and per cluster it manages.
 */
export function argocdCharts(platform: Platform, selected: readonly Environment[]): ChartOutput[] {
  const outputs: ChartOutput[] = [];
  for (const instance of platform.argocd) {
    outputs.push({ build: isolated((app) => bootstrapChart(app, platform, instance)), dir: outputLayout.bootstrapDir(instance.cluster.name), scope: SHARED_SCOPES.argocd });
    const dir = outputLayout.argocdDir(instance.cluster.name);
    outputs.push({ build: isolated((app) => {
      const chart = new Chart(app, `argocd-${instance.cluster.name}`, { disableResourceNameHashes: true });
      new ArgoApplication(chart, 'Bootstrap', {
        name: naming.bootstrapApplication(platform.name),
        namespace: instance.namespace,
        project: instance.projects.argocd,
        repoUrl: platform.gitops.repoUrl,
        revision: platform.gitops.revision,
        path: outputLayout.bootstrapDir(instance.cluster.name),
        destination: { server: IN_CLUSTER_SERVER, namespace: instance.namespace },
        syncPolicy: SyncPolicy.automated({ prune: true, selfHeal: true }).toArgo(),
      });
      return chart;
    }), dir, scope: SHARED_SCOPES.argocd });
    for (const target of instance.targets) {
      for (const env of selected.filter((e) => e.cluster === target.cluster.name)) {
        const chart = isolated((app) => {
          const c = new Chart(app, `argocd-${env.name}`, { disableResourceNameHashes: true });
          environmentApplication(c, platform, env, instance, target.server);
          return c;
        });
        outputs.push({ build: chart, dir, scope: env.name });
      }
      const cluster = target.cluster;
      const chart = isolated((app) => {
        const c = new Chart(app, `argocd-cluster-${cluster.name}`, { disableResourceNameHashes: true });
        new ArgoApplication(c, 'Application', {
          name: naming.clusterApplication(cluster.name),
          namespace: instance.namespace,
          project: instance.projects.apps,
          repoUrl: platform.gitops.repoUrl,
          revision: platform.gitops.revision,
          path: outputLayout.clusterDir(cluster.name),
          destination: { server: target.server, namespace: platform.addons.monitoringNamespace },
          // A cluster's shared objects (issuers, its alerts and their routing) are plumbing, not a
          // release: they sync on their own, so a new cluster comes up from the bootstrap alone.
          syncPolicy: SyncPolicy.automated().toArgo(),
          labels: { 'app.kubernetes.io/part-of': platform.name, cluster: cluster.name },
        });
        return c;
      });
      outputs.push({ build: chart, dir, scope: clusterScope(cluster.name) });
    }
  }
  return outputs;
}

/** What `kubectl apply -f kubernetes/bootstrap/<cluster>/` installs on an Argo CD that runs nothing else yet. */
function bootstrapChart(app: App, platform: Platform, instance: ArgoCdInstance): Chart {
  const chart = new Chart(app, `bootstrap-${instance.cluster.name}`, { disableResourceNameHashes: true });
  const repo = platform.gitops.repoUrl;
  const remotes = instance.targets.filter((t) => t.remote !== undefined);
  // Argo CD's own objects: only in its namespace, only its kinds; no app can create one. Argo CD
  // manages its own install too (an add-on in its namespace), so its chart's kinds are listed.
  const selfInstall = clusterAddons(platform, instance.cluster).filter((a) => a.namespace === instance.namespace);
  new ArgoProject(chart, 'ArgoCdProject', {
    name: instance.projects.argocd,
    namespace: instance.namespace,
    description: `Argo CD's own objects on ${instance.cluster.name}: Applications, AppProjects${remotes.length > 0 ? ', cluster Secrets' : ''}${selfInstall.length > 0 ? ' and its own install' : ''}`,
    sourceRepos: [...new Set([repo, ...selfInstall.map((a) => a.spec.repoUrl)])],
    destinations: [{ server: IN_CLUSTER_SERVER, namespace: instance.namespace }],
    clusterResources: selfInstall.length > 0 ? ARGOCD_INSTALL_CLUSTER_KINDS : [],
    namespaceResources: uniqueKinds([
      { group: 'argoproj.io', kind: 'Application' },
      { group: 'argoproj.io', kind: 'AppProject' },
      ...(remotes.length > 0 ? [{ group: '', kind: 'Secret' }] : []),
      ...(selfInstall.length > 0 ? ARGOCD_INSTALL_KINDS : []),
    ]),
    annotations: FIRST_WAVE,
  });
  const envs = instance.targets.flatMap((t) => t.cluster.environments.map((env) => ({ env, server: t.server })));
  new ArgoProject(chart, 'AppsProject', {
    name: instance.projects.apps,
    namespace: instance.namespace,
    description: `The ${platform.name} platform's environments and cluster objects on ${instance.targets.map((t) => t.cluster.name).join(', ')}`,
    sourceRepos: [repo],
    destinations: uniqueDestinations([
      ...envs.map(({ env, server }) => ({ server, namespace: env.namespace })),
      ...instance.targets.map((t) => ({ server: t.server, namespace: platform.addons.monitoringNamespace })),
      // The Istio gateways' Gateway and Certificate live in the gateway's namespace.
      ...platform.traffic.gateways.flatMap((g) => instance.targets.filter((t) => t.cluster.name === g.cluster).map((t) => ({ server: t.server, namespace: g.namespace }))),
    ]),
    // Secret stores are namespaced: the project creates no cluster-scoped store.
    clusterResources: [
      { group: '', kind: 'Namespace' },
      { group: 'cert-manager.io', kind: 'ClusterIssuer' },
    ],
    roles: teamRoles(platform, instance, envs.map((e) => e.env)),
    syncWindows: envs.map(({ env }) => syncWindow(env, naming.application(env.name))).filter((w) => w !== undefined),
    annotations: FIRST_WAVE,
  });
  new ArgoProject(chart, 'AddonsProject', {
    name: instance.projects.addons,
    namespace: instance.namespace,
    description: `The cluster add-ons of ${instance.targets.map((t) => t.cluster.name).join(', ')}`,
    sourceRepos: addonRepos(platform, instance),
    destinations: uniqueDestinations(instance.targets.flatMap((t) => addonNamespaces(platform, t.cluster.name).map((namespace) => ({ server: t.server, namespace })))),
    clusterResources: ADDON_CLUSTER_RESOURCES,
    annotations: FIRST_WAVE,
  });
  for (const target of remotes) {
    new ArgoClusterSecret(chart, `Cluster-${target.cluster.name}`, {
      name: target.remote?.secretName ?? '',
      namespace: instance.namespace,
      clusterName: target.cluster.name,
      server: target.server,
      annotations: FIRST_WAVE,
    });
  }
  new ArgoApplication(chart, 'Root', {
    name: naming.rootApplication(platform.name),
    namespace: instance.namespace,
    project: instance.projects.argocd,
    repoUrl: repo,
    revision: platform.gitops.revision,
    path: outputLayout.argocdDir(instance.cluster.name),
    destination: { server: IN_CLUSTER_SERVER, namespace: instance.namespace },
    syncPolicy: SyncPolicy.automated({ prune: true, selfHeal: true }).toArgo(),
  });
  return chart;
}

/**
 * The namespaces the add-ons of a cluster are installed in (`clusterAddons`), and `kube-system`,
 * where charts also write (istio-cni's agent, kube-prometheus-stack's exporters' Services).
 */
export function addonNamespaces(platform: Platform, cluster: string): string[] {
  const c = platform.clusters.find((x) => x.name === cluster);
  // Argo CD's own install goes through Argo CD's own project, which alone reaches its namespace.
  const installed = c === undefined ? [] : clusterAddons(platform, c).map((a) => a.namespace).filter((ns) => ns !== platform.gitops.argoNamespace);
  return [...new Set([...installed, 'kube-system'])].sort();
}

/** The Helm repositories of the add-ons of the clusters an instance manages: all its add-ons' project may read. */
function addonRepos(platform: Platform, instance: ArgoCdInstance): string[] {
  return [...new Set(instance.targets.flatMap((t) => clusterAddons(platform, t.cluster).filter((a) => a.namespace !== instance.namespace).map((a) => a.spec.repoUrl)))].sort();
}

/**
 * One role per team: get and sync the Applications of the environments its apps run in, on this
 * instance. Applications are per environment, so a team syncs the whole environment's directory.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/projects/#project-roles
 */
function teamRoles(platform: Platform, instance: ArgoCdInstance, envs: readonly Environment[]): { name: string; description: string; policies: string[]; groups: string[] }[] {
  const project = instance.projects.apps;
  return platform.teams.flatMap((team) => {
    const apps = envs.filter((env) => platform.instances(env).some((i) => i.app.kubernetes.team === team.name)).map((env) => naming.application(env.name));
    if (apps.length === 0) return [];
    const role = `team-${team.name}`;
    return [{
      name: role,
      description: `${team.name}: get and sync the Applications its apps run in`,
      policies: apps.flatMap((a) => ['get', 'sync'].map((action) => `p, proj:${project}:${role}, applications, ${action}, ${project}/${a}, allow`)),
      groups: [team.group],
    }];
  });
}

function environmentApplication(scope: Construct, platform: Platform, env: Environment, instance: ArgoCdInstance, server: string): ArgoApplication {
  const argo = platform.gitops;
  return new ArgoApplication(scope, 'Application', {
    name: naming.application(env.name),
    namespace: instance.namespace,
    project: instance.projects.apps,
    repoUrl: argo.repoUrl,
    revision: argo.revision,
    path: outputLayout.environmentDir(env.name),
    destination: { server, namespace: env.namespace },
    syncPolicy: env.sync.toArgo(),
    labels: { 'app.kubernetes.io/part-of': platform.name, environment: env.name },
    ignoreDifferences: ignoreDifferences(platform.instances(env)),
  });
}

function uniqueDestinations(list: readonly { server: string; namespace: string }[]): { server: string; namespace: string }[] {
  const seen = new Map<string, { server: string; namespace: string }>();
  for (const d of list) seen.set(`${d.server} ${d.namespace}`, d);
  return [...seen.values()];
}
