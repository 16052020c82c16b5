import { type AddonName } from '../../model/addon-catalog';
import { type Cluster } from '../../model/cluster';
import { type ClusterAddon } from '../../model/cluster-addons';
import { type Platform } from '../../model/platform';
import { type HelmValues } from '../argocd/helm-application';
import { DASHBOARD_SIDECAR_LABELS } from '../monitoring/grafana-dashboard';

/** What the values of one add-on are made from. */
export interface AddonValuesContext {
  readonly platform: Platform;
  readonly cluster: Cluster;
  readonly addon: ClusterAddon;
}

/** Argo CD's tracking method: by annotation, so the `app.kubernetes.io/instance` labels the Services select by stay the platform's. */
export const ARGOCD_TRACKING = { key: 'application.resourceTrackingMethod', method: 'annotation' } as const;

/**
 * Restores the health of an Application, which Argo CD 1.8 dropped: without it the app-of-apps does
 * not wait for the add-ons' wave before syncing the environments.
 * @see https://argo-cd.readthedocs.io/en/release-2.14/operator-manual/health/#argocd-app
 */
const APPLICATION_HEALTH_LUA = [
  'hs = {}',
  'hs.status = "Progressing"',
  'hs.message = ""',
  'if obj.status ~= nil and obj.status.health ~= nil then',
  '  hs.status = obj.status.health.status',
  '  if obj.status.health.message ~= nil then hs.message = obj.status.health.message end',
  'end',
  'return hs',
  '',
].join('\n');

/** Loki's single-binary mode on the pod's disk: one replica, no object store (docs/addons.md). */
const LOKI_SCHEMA = { from: '2024-04-01', store: 'tsdb', object_store: 'filesystem', schema: 'v13', index: { prefix: 'index_', period: '24h' } };

/** The Alloy pipeline: every pod's logs, read through the API server, pushed to Loki's gateway. */
function alloyConfig(lokiPush: string): string {
  return [
    'discovery.kubernetes "pods" {',
    '  role = "pod"',
    '  selectors {',
    '    role  = "pod"',
    '    field = "spec.nodeName=" + coalesce(sys.env("HOSTNAME"), constants.hostname)',
    '  }',
    '}',
    'discovery.relabel "pods" {',
    '  targets = discovery.kubernetes.pods.targets',
    '  rule {',
    '    source_labels = ["__meta_kubernetes_namespace"]',
    '    target_label  = "namespace"',
    '  }',
    '  rule {',
    '    source_labels = ["__meta_kubernetes_pod_name"]',
    '    target_label  = "pod"',
    '  }',
    '  rule {',
    '    source_labels = ["__meta_kubernetes_pod_container_name"]',
    '    target_label  = "container"',
    '  }',
    '  rule {',
    '    source_labels = ["__meta_kubernetes_pod_label_app_kubernetes_io_name"]',
    '    target_label  = "app"',
    '  }',
    '}',
    'loki.source.kubernetes "pods" {',
    '  targets    = discovery.relabel.pods.output',
    '  forward_to = [loki.write.default.receiver]',
    '}',
    'loki.write "default" {',
    '  endpoint {',
    `    url = "${lokiPush}"`,
    '  }',
    '}',
    '',
  ].join('\n');
}

type ValuesOf = (ctx: AddonValuesContext) => HelmValues;

/**
 * The values of each add-on: only what the rest of the output depends on, each with its source.
 * One function per add-on, so a missing one fails to compile.
 */
export const ADDON_VALUES: Readonly<Record<AddonName, ValuesOf>> = {
  // https://github.com/argoproj/argo-helm/tree/main/charts/argo-cd (configs.cm is argocd-cm)
  'argo-cd': () => ({
    configs: {
      cm: {
        // https://argo-cd.readthedocs.io/en/stable/user-guide/resource_tracking/
        [ARGOCD_TRACKING.key]: ARGOCD_TRACKING.method,
        'resource.customizations.health.argoproj.io_Application': APPLICATION_HEALTH_LUA,
      },
    },
  }),
  // https://github.com/argoproj/argo-helm/tree/main/charts/argo-rollouts
  'argo-rollouts': () => ({ installCRDs: true }),
  // https://istio.io/latest/docs/setup/install/helm/
  'istio-base': () => ({ defaultRevision: 'default' }),
  // GKE keeps CNI binaries in a non-standard place: global.platform=gke
  // (https://istio.io/latest/docs/ambient/install/platform-prerequisites/#google-kubernetes-engine-gke).
  'istio-cni': () => ({ global: { platform: 'gke' } }),
  'istiod': () => ({
    global: { platform: 'gke' },
    pilot: {
      // Pods' redirection is set up by the CNI node agent, not a NET_ADMIN init container, so meshed
      // pods pass the `restricted` Pod Security level (https://istio.io/latest/docs/setup/additional-setup/cni/).
      cni: { enabled: true },
      // The proxy starts as a native sidecar before the app's init containers (the migration), so
      // their traffic, redirected by the CNI, has a proxy to go to.
      env: { ENABLE_NATIVE_SIDECARS: 'true' },
    },
  }),
  'istio-gateway': ({ addon }) => {
    const gateway = addon.gateway;
    if (gateway === undefined) throw new Error(`add-on ${addon.name} has no gateway; fix: build it from Platform.traffic.gateways`);
    return {
      // The pods' labels are what the Gateway object selects.
      labels: { ...gateway.selector },
      service: {
        type: 'LoadBalancer',
        // https://cloud.google.com/kubernetes-engine/docs/concepts/service-load-balancer-parameters
        annotations: { 'networking.gke.io/load-balancer-ip-addresses': gateway.staticIp.name },
      },
    };
  },
  // https://cert-manager.io/docs/installation/helm/ and docs/traffic.md "Install values for cert-manager"
  'cert-manager': ({ cluster }) => ({
    crds: { enabled: true, keep: true },
    serviceAccount: {
      name: cluster.certManagerIdentity.kubernetesServiceAccount.name,
      annotations: { 'iam.gke.io/gcp-service-account': cluster.certManagerIdentity.email },
    },
    extraArgs: ['--dns01-recursive-nameservers-only', '--dns01-recursive-nameservers=8.8.8.8:53,1.1.1.1:53'],
  }),
  // https://external-secrets.io/latest/introduction/getting-started/
  'external-secrets': () => ({ installCRDs: true }),
  // https://github.com/prometheus-community/helm-charts/tree/main/charts/kube-prometheus-stack
  'kube-prometheus-stack': ({ platform }) => {
    const matchLabels = { ...platform.addons.monitoringLabels };
    return {
      crds: { enabled: true },
      prometheus: {
        prometheusSpec: {
          retention: '30d',
          // The monitors and rules of every namespace that carry the monitoring labels.
          serviceMonitorSelectorNilUsesHelmValues: false,
          serviceMonitorSelector: { matchLabels },
          serviceMonitorNamespaceSelector: {},
          podMonitorSelectorNilUsesHelmValues: false,
          podMonitorSelector: { matchLabels },
          podMonitorNamespaceSelector: {},
          ruleSelectorNilUsesHelmValues: false,
          ruleSelector: { matchLabels },
          ruleNamespaceSelector: {},
        },
      },
      alertmanager: {
        alertmanagerSpec: {
          alertmanagerConfigSelector: { matchLabels },
          alertmanagerConfigNamespaceSelector: {},
        },
      },
      grafana: {
        sidecar: {
          // https://github.com/grafana/helm-charts/tree/main/charts/grafana#sidecar-for-dashboards
          dashboards: { enabled: true, ...sidecarLabel(), searchNamespace: 'ALL' },
        },
      },
    };
  },
  // https://grafana.com/docs/loki/latest/setup/install/helm/install-monolithic/
  'loki': () => ({
    deploymentMode: 'SingleBinary',
    loki: {
      auth_enabled: false,
      commonConfig: { replication_factor: 1 },
      storage: { type: 'filesystem' },
      schemaConfig: { configs: [LOKI_SCHEMA] },
    },
    singleBinary: { replicas: 1 },
    read: { replicas: 0 },
    write: { replicas: 0 },
    backend: { replicas: 0 },
  }),
  // https://grafana.com/docs/alloy/latest/configure/kubernetes/
  'alloy': ({ platform }) => ({
    controller: { type: 'daemonset' },
    alloy: {
      configMap: { create: true, content: alloyConfig(`http://loki-gateway.${platform.addons.monitoringNamespace}.svc/loki/api/v1/push`) },
    },
  }),
};

/** The sidecar's `label`/`labelValue`: the one label the generated dashboards carry. */
function sidecarLabel(): { label: string; labelValue: string } {
  const entries = Object.entries(DASHBOARD_SIDECAR_LABELS);
  if (entries.length !== 1) throw new Error('the Grafana sidecar selects one label; fix: give DASHBOARD_SIDECAR_LABELS one entry');
  const [label, labelValue] = entries[0];
  return { label, labelValue };
}
