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
  // Apps reach their data; the canary uses production's (docs/data.md).
  'join-data',
  'canary-data',
] as const;

export type RuleId = (typeof RULE_IDS)[number];
