import { ADDON_NAMES, type AddonName, type AddonSpec } from './addon-catalog';
import { type Cluster } from './cluster';
import { type Platform } from './platform';
import { type MeshGateway } from './traffic';

/** One add-on as one cluster gets it: an Argo CD Application with a Helm source. */
export interface ClusterAddon {
  readonly name: AddonName;
  readonly spec: AddonSpec;
  /** The namespace it is installed in, resolved from the platform's settings. */
  readonly namespace: string;
  /** Set on an `istio-gateway`: the gateway it runs. */
  readonly gateway?: MeshGateway;
}

/** True when the cluster runs an environment in the Istio mesh: one with progressive delivery or a canary. */
export function isMeshedCluster(cluster: Cluster): boolean {
  return cluster.environments.some((e) => e.mesh !== undefined || e.progressive !== undefined);
}

/**
 * The add-ons a cluster needs, in the catalog's order (docs/addons.md): `every` add-on everywhere,
 * Istio and Argo Rollouts only where an environment is meshed, one Istio gateway per Gateway the
 * cluster's environments emit, and Argo CD where an instance runs.
 */
export function clusterAddons(platform: Platform, cluster: Cluster): ClusterAddon[] {
  const addons = platform.addons;
  const namespaceOf = (spec: AddonSpec): string => {
    switch (spec.namespace) {
      case 'argocd': return platform.gitops.argoNamespace;
      case 'monitoring': return addons.monitoringNamespace;
      case 'cert-manager': return addons.certManagerNamespace;
      default: return spec.namespace;
    }
  };
  const meshed = isMeshedCluster(cluster);
  const runsArgoCd = platform.argocd.some((i) => i.cluster.name === cluster.name);
  return ADDON_NAMES.flatMap((name): ClusterAddon[] => {
    const spec = addons.charts[name];
    if (spec.on === 'every' || (spec.on === 'meshed' && meshed) || (spec.on === 'argocd' && runsArgoCd)) return [{ name, spec, namespace: namespaceOf(spec) }];
    if (spec.on === 'gateway') {
      return platform.traffic.gateways.filter((g) => g.cluster === cluster.name).map((gateway) => ({ name, spec, namespace: gateway.namespace, gateway }));
    }
    return [];
  });
}
