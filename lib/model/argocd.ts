import { type Cluster, IN_CLUSTER_SERVER } from './cluster';
import { type Environment } from './environment';
import { gcpNaming } from './gcp-resources';
import { WorkloadIdentity } from './workload-identity';
import { type Checks } from './checks';

/**
 * The Argo CD topology (docs/argocd.md). By default each cluster runs its own Argo CD, which manages
 * only that cluster, in-cluster: production is run from production, with no path across VPCs. A
 * cluster with `argocdManagedBy` is managed by another cluster's Argo CD instead, which registers
 * it with a declarative cluster Secret.
 */

/** The label that makes a Secret in Argo CD's namespace a cluster registration. */
export const ARGOCD_CLUSTER_SECRET_LABEL = 'argocd.argoproj.io/secret-type';

/** The AppProjects of one Argo CD instance, by purpose. */
export interface ArgoCdProjects {
  /** Argo CD's own objects (Applications, AppProjects, cluster Secrets), in Argo CD's namespace only. */
  readonly argocd: string;
  /** The environments' and clusters' manifests: never Argo CD's namespace. */
  readonly apps: string;
  /** The cluster add-ons (Helm charts with their CRDs, webhooks and cluster roles). */
  readonly addons: string;
}

/** A cluster one Argo CD instance manages, and how that instance reaches it. */
export interface ArgoCdTarget {
  readonly cluster: Cluster;
  /** The API server address the instance's Applications name as their destination. */
  readonly server: string;
  /** Set when the cluster is another than the instance's own: it needs a cluster Secret. */
  readonly remote?: {
    /** The cluster Secret's name and the cluster's name in Argo CD. */
    readonly secretName: string;
  };
}

/** One Argo CD instance: the cluster it runs on, where its objects live, what it manages. */
export interface ArgoCdInstance {
  /** The cluster Argo CD runs on; its objects go to `kubernetes/argocd/<cluster>/` and `kubernetes/bootstrap/<cluster>/`. */
  readonly cluster: Cluster;
  readonly namespace: string;
  readonly projects: ArgoCdProjects;
  /** The clusters it manages, its own first. */
  readonly targets: readonly ArgoCdTarget[];
  /**
   * The Google service account its application controller and server act as through Workload
   * Identity, granted the GKE role on each remote cluster's project; set when it manages a remote
   * cluster.
   * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/declarative-setup/#gke
   */
  readonly identity?: WorkloadIdentity;
}

/** The Kubernetes service accounts of Argo CD that talk to clusters (the Helm chart's names). */
export const ARGOCD_CLUSTER_CLIENTS = ['argocd-application-controller', 'argocd-server'] as const;

/** The AppProject names of a platform's Argo CD instances. */
export function argocdProjects(platform: string): ArgoCdProjects {
  return { argocd: `${platform}-argocd`, apps: platform, addons: `${platform}-addons` };
}

/** Every Argo CD instance of the platform, in the order of the clusters they run on. */
export function argocdInstances(platform: { readonly name: string; readonly clusters: readonly Cluster[]; readonly gitops: { readonly argoNamespace: string } }): ArgoCdInstance[] {
  const projects = argocdProjects(platform.name);
  return platform.clusters
    .filter((c) => c.argocdManagedBy === c.name)
    .map((home) => {
      const targets = platform.clusters
        .filter((c) => c.argocdManagedBy === home.name)
        .sort((a, b) => Number(b === home) - Number(a === home))
        .map((cluster): ArgoCdTarget => (cluster === home
          ? { cluster, server: IN_CLUSTER_SERVER }
          : { cluster, server: cluster.argoServer, remote: { secretName: `cluster-${cluster.name}` } }));
      const remote = targets.some((t) => t.remote !== undefined);
      const identity = remote
        ? new WorkloadIdentity(home.project, gcpNaming.argocdAccount(home.name), { namespace: platform.gitops.argoNamespace, name: ARGOCD_CLUSTER_CLIENTS[0] })
        : undefined;
      return { cluster: home, namespace: platform.gitops.argoNamespace, projects, targets, identity };
    });
}

/**
 * Where a cluster's Applications go: the instance that manages it, the destination server they
 * name, and the project for platform add-ons. The add-on Applications read this.
 */
export function argocdPlacement(instances: readonly ArgoCdInstance[], cluster: string): { readonly instance: ArgoCdInstance; readonly target: ArgoCdTarget } {
  for (const instance of instances) {
    const target = instance.targets.find((t) => t.cluster.name === cluster);
    if (target !== undefined) return { instance, target };
  }
  throw new Error(`cluster "${cluster}" has no Argo CD; fix: set argocdManagedBy to a cluster that runs one`);
}

/** The sync window of an environment as Argo CD's AppProject spells it, or undefined. */
export function syncWindow(env: Environment, application: string): { kind: 'allow'; schedule: string; duration: string; timeZone: string; manualSync: true; applications: string[] } | undefined {
  const w = env.syncWindow;
  if (w === undefined) return undefined;
  return { kind: 'allow', schedule: w.schedule, duration: w.duration, timeZone: w.timeZone ?? 'UTC', manualSync: true, applications: [application] };
}

/** A sync window Argo CD can parse: a five-field cron schedule and a Go duration such as `9h` or `1h30m`. */
export function checkSyncWindows(envs: readonly Environment[], root: Checks): void {
  for (const env of envs) {
    const w = env.syncWindow;
    if (w === undefined) continue;
    const checks: Checks = root.within({ env: env.name });
    checks.require(w.schedule.trim().split(/\s+/).length === 5, 'syncWindow.schedule', w.schedule, 'is not a five-field cron expression', "write it as minute hour day month weekday, such as '0 8 * * 1-5'");
    checks.require(/^(\d+h)?(\d+m)?$/.test(w.duration) && w.duration !== '', 'syncWindow.duration', w.duration, 'is not a duration in hours and minutes', "write it such as '9h' or '1h30m'");
  }
}
