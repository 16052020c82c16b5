import { Chart } from 'cdk8s';
import { type Construct } from 'constructs';
import { type Platform } from '../model/platform';
import { type Environment } from '../model/environment';
import { teamsWithAccess } from '../model/rbac';
import { GOOGLE_FRONT_END_RANGES } from '../model/google-ranges';
import { HTTP01_SOLVER } from '../model/traffic';
import { AlertReceivers } from './alert-receivers';
import { NamespaceBaseline } from './baseline/namespace-baseline';
import { AccessLevel, TeamAccess } from './baseline/team-access';
import { Http01SolverPolicy } from './exposure/http01-solver-policy';
import { NamespaceSecretStoreObjects } from './secrets/namespace-secret-store';
import { applySyncWaves } from './sync-wave';

/** Props of {@link EnvironmentChart}. */
export interface EnvironmentChartProps {
  readonly platform: Platform;
  /** An environment that manages its namespace. */
  readonly env: Environment;
}

/**
 * What an environment's namespace holds before any app: the namespace baseline (Pod Security,
 * quota, limits, default-deny network policy), each team's access, the namespace's secret store
 * with its service account, and where its alerts go.
 */
export class EnvironmentChart extends Chart {
  constructor(scope: Construct, id: string, props: EnvironmentChartProps) {
    const { platform, env } = props;
    super(scope, id, { namespace: env.namespace, disableResourceNameHashes: true });
    if (!env.quota || !env.teamAccess) {
      throw new Error(`env ${env.name}: an environment that manages its namespace needs quota and teamAccess`);
    }
    const labels = { 'app.kubernetes.io/part-of': platform.name };
    new NamespaceBaseline(this, 'Baseline', {
      namespace: env.namespace,
      labels,
      quota: env.quota,
      defaultResources: env.resources,
      mesh: env.progressive ? { namespace: env.progressive.istioNamespace } : undefined,
    });
    // cert-manager runs the HTTP-01 solver in the Certificate's namespace, which this chart owns for
    // every environment sharing it (the canary shares production's).
    if (platform.namespaceSharers(env).some((e) => platform.instances(e).some((i) => i.ingress?.challenge === 'http01'))) {
      new Http01SolverPolicy(this, 'Http01Solver', {
        name: HTTP01_SOLVER.policyName,
        labels,
        solverLabels: HTTP01_SOLVER.podLabels,
        port: HTTP01_SOLVER.port,
        sources: GOOGLE_FRONT_END_RANGES,
      });
    }
    const access = env.teamAccess === 'edit' ? AccessLevel.EDIT : AccessLevel.VIEW;
    for (const team of teamsWithAccess(platform.teams, platform.apps)) {
      new TeamAccess(this, `Team-${team.name}`, { team: team.name, group: team.group, access });
    }

    // The namespace's own secret store, which the canary sharing it uses too. Its account is the
    // identity Terraform grants exactly the secrets of this namespace.
    const secretStore = platform.secretStore(env);
    const { store } = new NamespaceSecretStoreObjects(this, 'SecretStore', { store: secretStore, cluster: env.clusterConfig, labels });
    // Where the namespace's alerts go: production's pages, the others post to chat (docs/alerting.md).
    new AlertReceivers(this, 'Alerts', {
      namespace: env.namespace,
      labels,
      monitoringLabels: platform.addons.monitoringLabels,
      alerting: platform.addons.alerting,
      routing: env.alertRouting,
      secrets: secretStore.alertReceivers,
      store,
    });
    applySyncWaves(this);
  }
}
