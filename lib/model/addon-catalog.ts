/**
 * The cluster add-ons: every Helm chart Argo CD installs on a cluster, with its repository and its
 * pinned version, and which add-on runs the controller of each custom kind the output emits. This
 * file is the one owner of both: the charts (lib/k8s/addons/) and the validate rule
 * `join-addon-controller` read them from here. See docs/addons.md.
 */

/** Every add-on, by the name its Application carries. */
export const ADDON_NAMES = [
  'argo-cd',
  'argo-rollouts',
  'istio-base',
  'istio-cni',
  'istiod',
  'istio-gateway',
  'cert-manager',
  'external-secrets',
  'kube-prometheus-stack',
  'loki',
  'alloy',
] as const;

export type AddonName = (typeof ADDON_NAMES)[number];

/** A Helm chart as Argo CD installs it: `spec.source.{repoURL, chart, targetRevision}`. */
export interface AddonChart {
  /** The Helm repository. */
  readonly repoUrl: string;
  /** The chart's name in that repository. */
  readonly chart: string;
  /** The exact chart version: never a range, `*` or `latest`. */
  readonly version: string;
}

/** Where an add-on goes and which clusters need it. */
export interface AddonSpec extends AddonChart {
  /**
   * Which clusters get it: `every` cluster, the `meshed` ones (a cluster that runs an environment with
   * `progressiveDelivery` or a canary), one per Istio ingress `gateway` of the cluster, or the
   * clusters that run an Argo CD instance (`argocd`: a cluster managed from another has none).
   */
  readonly on: 'every' | 'meshed' | 'gateway' | 'argocd';
  /**
   * The namespace it is installed in. `argocd` is `gitops.argoNamespace`, `monitoring`
   * `addons.monitoringNamespace`, `cert-manager` `addons.certManagerNamespace`, `gateway` the
   * gateway's own namespace; any other value is the namespace itself.
   */
  readonly namespace: string;
  /**
   * The Helm release name, from which the chart names its objects.
   * @default - the add-on's name
   */
  readonly release?: string;
  /**
   * Fields a controller rewrites after the sync, which Argo CD must not report as drift.
   * @default - none
   */
  readonly ignoreDifferences?: readonly { readonly group: string; readonly kind: string; readonly jqPathExpressions: readonly string[] }[];
}

const ARGO = 'https://argoproj.github.io/argo-helm';
const ISTIO = 'https://istio-release.storage.googleapis.com/charts';
const GRAFANA = 'https://grafana.github.io/helm-charts';
/** Istio's charts are released together and must run one version (https://istio.io/latest/docs/setup/install/helm/). */
const ISTIO_VERSION = '1.24.2';

/**
 * The platform's default add-ons. A version is overridden in `addons.charts` of the PlatformConfig;
 * the model refuses a range there.
 */
export const DEFAULT_ADDONS: Readonly<Record<AddonName, AddonSpec>> = {
  // Argo CD v2.13; the chart sets argocd-cm from configs.cm.
  // Release `argocd`, as the first install (docs/argocd.md): the chart then names its objects
  // argocd-*, the same ones, instead of installing a second Argo CD beside the first.
  'argo-cd': { repoUrl: ARGO, chart: 'argo-cd', version: '7.7.11', on: 'argocd', namespace: 'argocd', release: 'argocd' },
  // Argo Rollouts v1.7.2, with its CRDs (installCRDs).
  'argo-rollouts': { repoUrl: ARGO, chart: 'argo-rollouts', version: '2.37.8', on: 'meshed', namespace: 'argo-rollouts' },
  // Istio's CRDs and cluster roles, before any other Istio chart.
  // istiod sets the validating webhook's failurePolicy once it serves, so Argo CD must not revert it
  // (https://istio.io/latest/docs/ops/best-practices/deployment/ "Argo CD").
  'istio-base': {
    repoUrl: ISTIO, chart: 'base', version: ISTIO_VERSION, on: 'meshed', namespace: 'istio-system',
    ignoreDifferences: [{ group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration', jqPathExpressions: ['.webhooks[]?.failurePolicy'] }],
  },
  // The node agent that sets up the pods' traffic redirection instead of a privileged init container.
  // In kube-system: GKE admits its system-node-critical pods only in a namespace with a quota for them
  // (https://istio.io/latest/docs/ambient/install/platform-prerequisites/).
  'istio-cni': { repoUrl: ISTIO, chart: 'cni', version: ISTIO_VERSION, on: 'meshed', namespace: 'kube-system' },
  'istiod': { repoUrl: ISTIO, chart: 'istiod', version: ISTIO_VERSION, on: 'meshed', namespace: 'istio-system' },
  'istio-gateway': { repoUrl: ISTIO, chart: 'gateway', version: ISTIO_VERSION, on: 'gateway', namespace: 'gateway' },
  'cert-manager': { repoUrl: 'https://charts.jetstack.io', chart: 'cert-manager', version: 'v1.16.2', on: 'every', namespace: 'cert-manager' },
  // 0.16 introduced the external-secrets.io/v1 API the manifests use; 0.17 stopped serving v1beta1.
  'external-secrets': { repoUrl: 'https://charts.external-secrets.io', chart: 'external-secrets', version: '2.6.0', on: 'every', namespace: 'external-secrets' },
  // Prometheus Operator v0.79 with Prometheus, Alertmanager and Grafana.
  'kube-prometheus-stack': { repoUrl: 'https://prometheus-community.github.io/helm-charts', chart: 'kube-prometheus-stack', version: '67.4.0', on: 'every', namespace: 'monitoring' },
  'loki': { repoUrl: GRAFANA, chart: 'loki', version: '6.24.0', on: 'every', namespace: 'monitoring' },
  // Grafana Alloy ships the pods' logs to Loki.
  'alloy': { repoUrl: GRAFANA, chart: 'alloy', version: '0.10.0', on: 'every', namespace: 'monitoring' },
};

/** An exact chart version: `1.2.3` or `v1.2.3`, with an optional pre-release; no range, `*` or `latest`. */
export const PINNED_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

/**
 * The add-ons that must run on a cluster for it to act on a custom kind, by `group/kind`: the
 * chart that installs its CRD and its controller. An empty list is a kind GKE serves itself.
 */
export const KIND_CONTROLLERS: Readonly<Record<string, readonly AddonName[]>> = {
  'argoproj.io/Rollout': ['argo-rollouts'],
  'argoproj.io/AnalysisTemplate': ['argo-rollouts'],
  'argoproj.io/Application': ['argo-cd'],
  'argoproj.io/AppProject': ['argo-cd'],
  'networking.istio.io/VirtualService': ['istio-base', 'istiod'],
  'networking.istio.io/DestinationRule': ['istio-base', 'istiod'],
  'networking.istio.io/Gateway': ['istio-base', 'istiod'],
  'security.istio.io/PeerAuthentication': ['istio-base', 'istiod'],
  'security.istio.io/AuthorizationPolicy': ['istio-base', 'istiod'],
  'cert-manager.io/Certificate': ['cert-manager'],
  'cert-manager.io/ClusterIssuer': ['cert-manager'],
  'cert-manager.io/Issuer': ['cert-manager'],
  'external-secrets.io/ExternalSecret': ['external-secrets'],
  'external-secrets.io/SecretStore': ['external-secrets'],
  'external-secrets.io/ClusterSecretStore': ['external-secrets'],
  'monitoring.coreos.com/ServiceMonitor': ['kube-prometheus-stack'],
  'monitoring.coreos.com/PodMonitor': ['kube-prometheus-stack'],
  'monitoring.coreos.com/PrometheusRule': ['kube-prometheus-stack'],
  'monitoring.coreos.com/AlertmanagerConfig': ['kube-prometheus-stack'],
  // GKE's own CRDs: https://cloud.google.com/kubernetes-engine/docs/how-to/ingress-configuration
  'cloud.google.com/BackendConfig': [],
  'networking.gke.io/FrontendConfig': [],
};

/** True for a group the Kubernetes API server serves itself (core, `apps`, `*.k8s.io`). */
export function isBuiltInGroup(group: string): boolean {
  return !group.includes('.') || group.endsWith('.k8s.io');
}

/**
 * The first chart version of an add-on that serves an API version the manifests use: an older
 * release has the kind, but not that version, and the API server refuses the objects.
 */
export const API_VERSION_SINCE: Readonly<Record<string, { readonly addon: AddonName; readonly version: string }>> = {
  'external-secrets.io/v1': { addon: 'external-secrets', version: '0.16.0' },
};

/** Compares two exact versions (`v1.2.3`, `1.2.3-rc.1`) by their numbers: negative, zero or positive. */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string): number[] => v.replace(/^v/, '').split('-')[0].split('.').map(Number);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}
