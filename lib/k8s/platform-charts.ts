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


/** The platform's AppProject, the root app-of-apps and one Application per selected environment. */
export function argocdCharts(platform: Platform, selected: readonly Environment[]): ChartOutput[] {
  const argo = platform.gitops;
  const shared = isolated((app) => {
    const chart = new Chart(app, 'argocd', { disableResourceNameHashes: true });
    const destinations = uniqueDestinations([
      { server: IN_CLUSTER_SERVER, namespace: argo.argoNamespace },
      ...platform.environments.map((e) => ({ server: e.clusterConfig.argoServer, namespace: e.namespace })),
      ...platform.clusters.map((c) => ({ server: c.argoServer, namespace: platform.addons.monitoringNamespace })),
      // The Istio gateways' Gateway and Certificate live in the gateway's namespace.
      ...platform.traffic.gateways.map((g) => ({ server: platform.clusters.find((c) => c.name === g.cluster)?.argoServer ?? IN_CLUSTER_SERVER, namespace: g.namespace })),
    ]);
    new ArgoProject(chart, 'Project', {
      name: platform.name,
      namespace: argo.argoNamespace,
      description: `Every environment of the ${platform.name} platform`,
      sourceRepos: [argo.repoUrl],
      destinations,
      // Secret stores are namespaced: the project creates no cluster-scoped store.
      clusterResources: [
        { group: '', kind: 'Namespace' },
        { group: 'cert-manager.io', kind: 'ClusterIssuer' },
      ],
    });
    return chart;
  });
  const root = isolated((app) => {
    const chart = new Chart(app, 'bootstrap', { disableResourceNameHashes: true });
    new ArgoApplication(chart, 'Root', {
      name: naming.rootApplication(platform.name),
      namespace: argo.argoNamespace,
      project: platform.name,
      repoUrl: argo.repoUrl,
      revision: argo.revision,
      path: outputLayout.argocdDir(),
      destination: { server: IN_CLUSTER_SERVER, namespace: argo.argoNamespace },
      syncPolicy: SyncPolicy.automated({ prune: true, selfHeal: true }).toArgo(),
    });
    return chart;
  });
  const outputs: ChartOutput[] = [
    { build: shared, dir: outputLayout.argocdDir(), scope: SHARED_SCOPES.argocd },
    { build: root, dir: outputLayout.bootstrapDir(), scope: SHARED_SCOPES.argocd },
  ];
  for (const env of selected) {
    const chart = isolated((app) => {
      const c = new Chart(app, `argocd-${env.name}`, { disableResourceNameHashes: true });
      environmentApplication(c, platform, env);
      return c;
    });
    outputs.push({ build: chart, dir: outputLayout.argocdDir(), scope: env.name });
  }
  for (const cluster of platform.clusters) {
    const chart = isolated((app) => {
      const c = new Chart(app, `argocd-cluster-${cluster.name}`, { disableResourceNameHashes: true });
      new ArgoApplication(c, 'Application', {
        name: naming.clusterApplication(cluster.name),
        namespace: argo.argoNamespace,
        project: platform.name,
        repoUrl: argo.repoUrl,
        revision: argo.revision,
        path: outputLayout.clusterDir(cluster.name),
        destination: { server: cluster.argoServer, namespace: platform.addons.monitoringNamespace },
        // A cluster's shared objects sync on their own only if every environment on it does.
        syncPolicy: (cluster.environments.every((e) => e.sync.isAutomated) ? SyncPolicy.automated() : SyncPolicy.manual()).toArgo(),
        labels: { 'app.kubernetes.io/part-of': platform.name, cluster: cluster.name },
      });
      return c;
    });
    outputs.push({ build: chart, dir: outputLayout.argocdDir(), scope: clusterScope(cluster.name) });
  }
  return outputs;
}

function environmentApplication(scope: Construct, platform: Platform, env: Environment): ArgoApplication {
  const argo = platform.gitops;
  return new ArgoApplication(scope, 'Application', {
    name: naming.application(env.name),
    namespace: argo.argoNamespace,
    project: platform.name,
    repoUrl: argo.repoUrl,
    revision: argo.revision,
    path: outputLayout.environmentDir(env.name),
    destination: { server: env.clusterConfig.argoServer, namespace: env.namespace },
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
