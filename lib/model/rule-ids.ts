/** The id of every rule `npm run validate` runs beyond the schemas; an app may waive one of these. */
export const RULE_IDS = [
  'image-tag',
  'probes',
  'resources',
  'non-root',
  'read-only-root',
  'drop-capabilities',
  'pdb',
  'prod-replicas',
  'ingress-tls',
  'public-exposure',
  'secret-data',
  'gcp-state-bucket',
  'gcp-gke',
  'gcp-registry-cleanup',
  'gcp-sql-backups',
  'join-workload-identity',
  'join-image-registry',
  'join-argocd-path',
  'join-service-selector',
  'join-scale-target',
  'join-ingress-backend',
  'join-service-monitor',
  'join-rollout',
  'join-traffic-route',
  'analysis-traffic',
  'canary-capacity',
  // Traffic: every host resolves, has TLS from an issuer that can solve for it, and reaches a Service.
  'join-host-path',
  // Capacity and access
  'join-rbac-groups',
  'namespace-quota',
  // mesh security
  'join-mesh-policy',
  // Secrets per environment (docs/secrets.md)
  'join-secret-access',
  // Apps reach their data; the canary uses production's (docs/data.md).
  'join-data',
  'canary-data',
  // Traffic as the controllers act on it: Istio's injection webhook reachable on private clusters (docs/traffic.md).
  'join-mesh-webhook',
  // Cluster add-ons: every custom kind has its controller installed, pinned; Argo CD tracks by annotation (docs/addons.md).
  'join-addon-controller',
  'join-argocd-tracking',
  // Argo CD: every Application's project and cluster exist in time; no project reaches Argo CD's own objects (docs/argocd.md).
  'join-argocd-project',
  'argocd-project-scope',
  // Alerting: only production pages, and every alert reaches a receiver (docs/alerting.md).
  'alert-paging',
  // A fresh project: each stack enables the APIs of what it declares (docs/opentofu.md).
  'gcp-apis',
  // Backups: every production database has a monthly restore drill and dumps kept 6 to 12 months (docs/backups.md).
  'backup-drill',
  'dump-retention',
] as const;

export type RuleId = (typeof RULE_IDS)[number];
