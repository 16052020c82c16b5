import { App, Chart } from 'cdk8s';
import { type AddonName } from '../../model/addon-catalog';
import { clusterAddons, type ClusterAddon } from '../../model/cluster-addons';
import { naming } from '../../model/naming';
import { argocdPlacement } from '../../model/argocd';
import { clusterScope, outputLayout } from '../../model/output-layout';
import { type Platform } from '../../model/platform';
import { SyncPolicy } from '../../model/sync-policy';
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

/** The Helm release: the add-on's name, or the Gateway's for a gateway. */
function releaseName(addon: ClusterAddon): string {
  return addon.gateway?.name ?? addon.spec.release ?? addon.name;
}

/**
 * One chart per cluster with an Argo CD Application per add-on the cluster needs (`clusterAddons`),
 * each a Helm chart at its pinned version with typed values, in the add-ons' project of the Argo CD
 * instance that manages the cluster and in that instance's directory (`argocdPlacement`).
 */
export function addonCharts(platform: Platform): ChartOutput[] {
  return platform.clusters.map((cluster) => {
    const { instance, target } = argocdPlacement(platform.argocd, cluster.name);
    return {
    build: () => {
      const chart = new Chart(new App(), `addons-${cluster.name}`, { disableResourceNameHashes: true });
      // The add-ons are the cluster's plumbing, not a release: they sync on their own everywhere, so a
      // new cluster comes up from the bootstrap alone. Nothing is pruned without a person.
      const sync = SyncPolicy.automated({ prune: false });
      for (const addon of clusterAddons(platform, cluster)) {
        const name = addonApplicationName(cluster.name, addon);
        new ArgoHelmApplication(chart, name, {
          name,
          namespace: instance.namespace,
          // Argo CD's own install lives in its namespace, which only Argo CD's project reaches.
          project: addon.namespace === instance.namespace ? instance.projects.argocd : instance.projects.addons,
          chart: addon.spec,
          releaseName: releaseName(addon),
          values: ADDON_VALUES[addon.name]({ platform, cluster, addon }),
          destination: { server: target.server, namespace: addon.namespace },
          syncPolicy: sync.toArgo(),
          syncWave: ADDON_WAVES[addon.name],
          // Argo CD's own namespace exists before its Application does.
          createNamespace: addon.namespace !== instance.namespace,
          ignoreDifferences: addon.spec.ignoreDifferences,
          labels: { 'app.kubernetes.io/part-of': platform.name, cluster: cluster.name, addon: addon.name },
        });
      }
      return chart;
    },
    dir: outputLayout.argocdDir(instance.cluster.name),
    scope: clusterScope(cluster.name),
    };
  });
}
