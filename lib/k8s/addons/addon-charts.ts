import { App, Chart } from 'cdk8s';
import { type AddonName } from '../../model/addon-catalog';
import { clusterAddons, type ClusterAddon } from '../../model/cluster-addons';
import { naming } from '../../model/naming';
import { clusterScope, outputLayout, SHARED_SCOPES } from '../../model/output-layout';
import { type Platform } from '../../model/platform';
import { SyncPolicy } from '../../model/sync-policy';
import { type ArgoDestination, ArgoProject } from '../argocd/app-project';
import { ArgoHelmApplication } from '../argocd/helm-application';
import { type ChartOutput } from '../platform-charts';
import { ADDON_VALUES } from './addon-values';

/**
 * The Argo CD sync waves of the add-on Applications, before every environment's and cluster's
 * Application (wave 0): CRDs and controllers first, then what needs Istio's control plane.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/sync-waves/
 */
export const ADDON_WAVES: Readonly<Record<AddonName, number>> = {
  'argo-cd': -10,
  'argo-rollouts': -10,
  'istio-base': -10,
  'cert-manager': -10,
  'external-secrets': -10,
  'kube-prometheus-stack': -10,
  'loki': -10,
  // istiod validates against istio-base's CRDs; the CNI agent must run before meshed pods start.
  'istio-cni': -9,
  'istiod': -9,
  // The gateway's pods are injected by istiod.
  'istio-gateway': -8,
  'alloy': -8,
};

/** The Application's name: `addon-<cluster>-<add-on>`, and the gateway's env for a gateway. */
export function addonApplicationName(cluster: string, addon: ClusterAddon): string {
  return naming.addonApplication(cluster, addon.name, addon.gateway?.env);
}

/**
 * The add-ons' own AppProject: their charts' repositories, every namespace of each cluster and
 * every cluster-scoped kind (CRDs, ClusterRoles, webhooks). The platform's project stays fenced to
 * its Git repository and the apps' namespaces.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/projects/
 */
function addonProject(platform: Platform): ChartOutput {
  return {
    build: () => {
      const chart = new Chart(new App(), 'argocd-addons', { disableResourceNameHashes: true });
      const all = platform.clusters.flatMap((cluster) => clusterAddons(platform, cluster));
      // Any namespace: charts also write outside their release's (kube-prometheus-stack's exporters'
      // Services in kube-system), and `*/*` cluster-scoped kinds already make the project cluster-admin.
      const destinations: ArgoDestination[] = [...new Set(platform.clusters.map((c) => c.argoServer))].map((server) => ({ server, namespace: '*' }));
      new ArgoProject(chart, 'Project', {
        name: naming.addonProject(platform.name),
        namespace: platform.gitops.argoNamespace,
        description: `The cluster add-ons of the ${platform.name} platform`,
        sourceRepos: [...new Set(all.map((a) => a.spec.repoUrl))].sort(),
        destinations,
        clusterResources: [{ group: '*', kind: '*' }],
      });
      return chart;
    },
    dir: outputLayout.argocdDir(),
    scope: SHARED_SCOPES.argocd,
  };
}

/** The Helm release: the add-on's name, or the Gateway's for a gateway. */
function releaseName(addon: ClusterAddon): string {
  return addon.gateway?.name ?? addon.name;
}

/**
 * The add-ons' AppProject, and one chart per cluster with an Argo CD Application per add-on the cluster needs
 * (`clusterAddons`), each a Helm chart at its pinned version with typed values. Written, for now,
 * into the Argo CD directory with the cluster's scope.
 */
export function addonCharts(platform: Platform): ChartOutput[] {
  const argo = platform.gitops;
  return [addonProject(platform), ...platform.clusters.map((cluster) => ({
    build: () => {
      const chart = new Chart(new App(), `addons-${cluster.name}`, { disableResourceNameHashes: true });
      // Add-ons sync on their own only if every environment on the cluster does, like the cluster's objects.
      const sync = cluster.environments.every((e) => e.sync.isAutomated) ? SyncPolicy.automated({ prune: false }) : SyncPolicy.manual();
      for (const addon of clusterAddons(platform, cluster)) {
        const name = addonApplicationName(cluster.name, addon);
        new ArgoHelmApplication(chart, name, {
          name,
          namespace: argo.argoNamespace,
          project: naming.addonProject(platform.name),
          chart: addon.spec,
          releaseName: releaseName(addon),
          values: ADDON_VALUES[addon.name]({ platform, cluster, addon }),
          destination: { server: cluster.argoServer, namespace: addon.namespace },
          syncPolicy: sync.toArgo(),
          syncWave: ADDON_WAVES[addon.name],
          labels: { 'app.kubernetes.io/part-of': platform.name, cluster: cluster.name, addon: addon.name },
        });
      }
      return chart;
    },
    dir: outputLayout.argocdDir(),
    scope: clusterScope(cluster.name),
  }))];
}
