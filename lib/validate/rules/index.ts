import type { RuleId } from '../../model/rule-ids';
import { alertPaging } from './alert-paging';
import { analysisTraffic } from './analysis-traffic';
import { backupDrill } from './backup-drill';
import { dumpRetention } from './dump-retention';
import { canaryCapacity } from './canary-capacity';
import { canaryData } from './canary-data';
import { gcpApis } from './gcp-apis';
import { gcpGke } from './gcp-gke';
import { gcpRegistryCleanup } from './gcp-registry-cleanup';
import { gcpSqlBackups } from './gcp-sql-backups';
import { gcpStateBucket } from './gcp-state-bucket';
import { imageTag } from './image-tag';
import { ingressTls, publicExposure } from './ingress';
import { joinAddonController } from './join-addon-controller';
import { joinArgocdPath } from './join-argocd-path';
import { joinArgocdTracking } from './join-argocd-tracking';
import { argocdProjectScope, joinArgocdProject } from './join-argocd-project';
import { joinHostPath } from './join-host-path';
import { joinMeshWebhook } from './join-mesh-webhook';
import { joinData } from './join-data';
import { joinImageRegistry } from './join-image-registry';
import { joinRbacGroups } from './join-rbac-groups';
import { joinMeshPolicy } from './join-mesh-policy';
import { joinIngressBackend } from './join-ingress-backend';
import { joinRollout } from './join-rollout';
import { joinScaleTarget } from './join-scale-target';
import { joinSecretAccess } from './join-secret-access';
import { joinServiceMonitor } from './join-service-monitor';
import { joinServiceSelector } from './join-service-selector';
import { joinTrafficRoute } from './join-traffic-route';
import { joinWorkloadIdentity } from './join-workload-identity';
import { namespaceQuota } from './namespace-quota';
import { pdb } from './pdb';
import { probes } from './probes';
import { prodReplicas } from './prod-replicas';
import { resources } from './resources';
import { secretData } from './secret-data';
import { dropCapabilities, nonRoot, readOnlyRoot } from './security-context';
import type { Rule } from './types';

/** Every rule beyond the schemas, by id, in the order they report. */
export const RULES: Readonly<Record<RuleId, Rule>> = {
  'image-tag': imageTag,
  probes,
  resources,
  'non-root': nonRoot,
  'read-only-root': readOnlyRoot,
  'drop-capabilities': dropCapabilities,
  pdb,
  'prod-replicas': prodReplicas,
  'ingress-tls': ingressTls,
  'public-exposure': publicExposure,
  'secret-data': secretData,
  'gcp-state-bucket': gcpStateBucket,
  'gcp-gke': gcpGke,
  'gcp-registry-cleanup': gcpRegistryCleanup,
  'gcp-sql-backups': gcpSqlBackups,
  'join-workload-identity': joinWorkloadIdentity,
  'join-image-registry': joinImageRegistry,
  'join-argocd-path': joinArgocdPath,
  'join-service-selector': joinServiceSelector,
  'join-scale-target': joinScaleTarget,
  'join-ingress-backend': joinIngressBackend,
  'join-service-monitor': joinServiceMonitor,
  'join-rollout': joinRollout,
  'join-traffic-route': joinTrafficRoute,
  'analysis-traffic': analysisTraffic,
  'canary-capacity': canaryCapacity,
  'join-host-path': joinHostPath,
  'join-mesh-webhook': joinMeshWebhook,
  'join-rbac-groups': joinRbacGroups,
  'namespace-quota': namespaceQuota,
  'join-mesh-policy': joinMeshPolicy,
  'join-secret-access': joinSecretAccess,
  'join-data': joinData,
  'canary-data': canaryData,
  'join-addon-controller': joinAddonController,
  'join-argocd-tracking': joinArgocdTracking,
  'join-argocd-project': joinArgocdProject,
  'argocd-project-scope': argocdProjectScope,
  'alert-paging': alertPaging,
  'gcp-apis': gcpApis,
  'backup-drill': backupDrill,
  'dump-retention': dumpRetention,
};
