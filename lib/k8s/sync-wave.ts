import { ApiObject, type Chart } from 'cdk8s';

/**
 * ArgoCD sync waves: the namespace baseline first, then config and secrets, then migrations, then
 * workloads, then the objects that send traffic to them.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/sync-waves/
 */
export enum SyncWave {
  BASELINE = 0,
  CONFIG = 1,
  MIGRATION = 2,
  WORKLOAD = 3,
  TRAFFIC = 4,
}

export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/** The wave of each kind the platform emits. A kind missing here fails the synth, so none slips through unordered. */
const WAVES: Readonly<Record<string, SyncWave>> = {
  Namespace: SyncWave.BASELINE,
  ResourceQuota: SyncWave.BASELINE,
  LimitRange: SyncWave.BASELINE,
  NetworkPolicy: SyncWave.BASELINE,
  Role: SyncWave.BASELINE,
  RoleBinding: SyncWave.BASELINE,
  ServiceAccount: SyncWave.BASELINE,
  ClusterIssuer: SyncWave.BASELINE,
  // mTLS and the allowed callers are in place before any pod of the namespace starts.
  PeerAuthentication: SyncWave.BASELINE,
  AuthorizationPolicy: SyncWave.BASELINE,
  SecretStore: SyncWave.BASELINE,
  ConfigMap: SyncWave.CONFIG,
  ExternalSecret: SyncWave.CONFIG,
  Certificate: SyncWave.CONFIG,
  FrontendConfig: SyncWave.CONFIG,
  // Before the Service that names it, so ingress-gce never builds the default `GET /` health check.
  BackendConfig: SyncWave.CONFIG,
  AlertmanagerConfig: SyncWave.CONFIG,
  AnalysisTemplate: SyncWave.CONFIG,
  Job: SyncWave.MIGRATION,
  Deployment: SyncWave.WORKLOAD,
  CronJob: SyncWave.WORKLOAD,
  Rollout: SyncWave.WORKLOAD,
  Service: SyncWave.WORKLOAD,
  HorizontalPodAutoscaler: SyncWave.WORKLOAD,
  PodDisruptionBudget: SyncWave.WORKLOAD,
  ServiceMonitor: SyncWave.WORKLOAD,
  PodMonitor: SyncWave.WORKLOAD,
  PrometheusRule: SyncWave.WORKLOAD,
  Ingress: SyncWave.TRAFFIC,
  DestinationRule: SyncWave.TRAFFIC,
  VirtualService: SyncWave.TRAFFIC,
  Gateway: SyncWave.TRAFFIC,
};

const OVERRIDES = new WeakMap<ApiObject, SyncWave>();

/**
 * Syncs one object in another wave than its kind's: a route an Argo Rollout manages must exist
 * before the Rollout, which is invalid without it.
 */
export function overrideSyncWave(object: ApiObject, wave: SyncWave): void {
  OVERRIDES.set(object, wave);
}

/** Annotates every object of a chart with the sync wave of its kind, or its override. */
export function applySyncWaves(chart: Chart): void {
  for (const construct of chart.node.findAll()) {
    if (!(construct instanceof ApiObject)) continue;
    const wave = WAVES[construct.kind];
    if (wave === undefined) {
      throw new Error(`no ArgoCD sync wave for kind ${construct.kind} (${construct.node.path}); fix: add it to lib/k8s/sync-wave.ts`);
    }
    construct.metadata.addAnnotation(SYNC_WAVE_ANNOTATION, String(OVERRIDES.get(construct) ?? wave));
  }
}
