import { type ExposureConfig } from './config';

/** Every suffix a derived object name adds to a workload's name; app names leave room for the longest. */
const DERIVED_SUFFIXES = ['-config', '-secrets', '-tls', '-dashboard', '-analysis', '-error-budget', '-slo', '-slo-dashboard', '-preview', '-restore-drill', '-db-dump'] as const;

/**
 * The one place object and file names are made. Names are readable, stable across runs and
 * environments, and carry no hash, so `diff -r dev stage` lines files up one to one.
 */
export const naming = {
  /** The name of an app's workload objects in an environment: `inventory-api`, `inventory-api-canary`. */
  workload(app: string, nameSuffix: string): string {
    return `${app}${nameSuffix}`;
  },
  /** The ConfigMap carrying an app's plain settings. */
  configMap(workload: string): string {
    return `${workload}-config`;
  },
  /** The Secret External Secrets fills for an app. */
  secret(workload: string): string {
    return `${workload}-secrets`;
  },
  /** The Secret holding an app's TLS certificate, and the Certificate that fills it. */
  tls(workload: string): string {
    return `${workload}-tls`;
  },
  /** The ConfigMap carrying an app's Grafana dashboard. */
  dashboard(workload: string): string {
    return `${workload}-dashboard`;
  },
  /** The AnalysisTemplate a workload's Rollout runs while it releases. */
  analysis(workload: string): string {
    return `${workload}-analysis`;
  },
  /** The AnalysisTemplate that fails while an app's error budget is spent; every Rollout of the app uses it. */
  errorBudget(workload: string): string {
    return `${workload}-error-budget`;
  },
  /** The PrometheusRule of an app's SLO: its recording rules and burn-rate alerts. */
  slo(workload: string): string {
    return `${workload}-slo`;
  },
  /** The ConfigMap carrying an app's SLO dashboard. */
  sloDashboard(workload: string): string {
    return `${workload}-slo-dashboard`;
  },
  /** The Service a blue-green Rollout starts the new version behind. */
  preview(workload: string): string {
    return `${workload}-preview`;
  },
  /** The private subdomain of an environment's internal hosts: `internal.dev.shop.example.com`. */
  internalHostDomain(baseDomain: string): string {
    return `internal.${baseDomain}`;
  },
  /**
   * An exposed app's host: `<host>.<baseDomain>` when public, `<host or app>.<internalHostDomain>`
   * when internal; undefined when the app is not exposed outside the cluster.
   */
  host(exposure: ExposureConfig, app: string, baseDomain: string): string | undefined {
    if (exposure.type === 'public') return `${exposure.host}.${baseDomain}`;
    if (exposure.type === 'internal') return `${exposure.host ?? app}.${naming.internalHostDomain(baseDomain)}`;
    return undefined;
  },
  /** The length of the longest suffix a derived name adds. */
  longestDerivedSuffix(): number {
    return Math.max(...DERIVED_SUFFIXES.map((s) => s.length));
  },
  /** The ArgoCD Application of a cluster's shared objects. */
  clusterApplication(cluster: string): string {
    return `cluster-${cluster}`;
  },
  /** The ArgoCD Application of an environment. */
  application(env: string): string {
    return `app-${env}`;
  },
  /** The Argo CD Application of one add-on on a cluster; `instance` tells apart an add-on installed more than once (a gateway per environment). */
  addonApplication(cluster: string, addon: string, instance?: string): string {
    return `addon-${cluster}-${addon}${instance === undefined ? '' : `-${instance}`}`;
  },
  /** The root app-of-apps Application. */
  rootApplication(platform: string): string {
    return `${platform}-root`;
  },
  /** The Application that keeps an Argo CD instance's bootstrap directory (its projects, cluster Secrets, root app) in step with git. */
  bootstrapApplication(platform: string): string {
    return `${platform}-bootstrap`;
  },
  /** The Terraform stack of a cluster. */
  clusterStack(cluster: string): string {
    return `cluster-${cluster}`;
  },
  /** The Terraform stack that creates the state bucket. */
  bootstrapStack(): string {
    return 'bootstrap';
  },
  /**
   * The file of one Kubernetes object: `deployment-inventory-api.yaml`. The kind is lower-cased, so
   * files group by kind in a listing.
   */
  manifestFile(kind: string, name: string): string {
    return `${kind.toLowerCase()}-${name}.yaml`;
  },
} as const;
