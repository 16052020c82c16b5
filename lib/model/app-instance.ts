import { type Checks } from './checks';
import { type App } from './app';
import { type Environment } from './environment';
import { type AppConfig } from './config';
import { dataConfig } from './data-config';
import { type DatabaseBackups, resolveDatabaseBackups } from './database-backups';
import { type AppGcpResources, resolveGcpResources } from './gcp-resources';
import { ImageRef } from './image-ref';
import { naming } from './naming';
import { ANALYSIS_INTERVAL, type InstanceDelivery, type Track } from './delivery';
import { type AppRelease, effectiveRelease, type ReleasesConfig } from './releases';
import { type ResourceProfile } from './resources';
import { type OwnIngress, ownIngressChallenge, ownIngressKind } from './own-ingress';

/** Everything one app needs to render in one environment. */
export interface AppInstance {
  readonly app: App;
  readonly env: Environment;
  /** The name of the app's objects in this environment. */
  readonly name: string;
  readonly replicas: number;
  /** The autoscaler's maximum; equal to `replicas` when the app does not scale. */
  readonly maxReplicas: number;
  readonly resources: ResourceProfile;
  readonly image: ImageRef;
  /** The public or internal host name, when the app is exposed. */
  readonly host?: string;
  /**
   * Settings merged from the app and its override for this environment, and the data settings the
   * platform derives from its database and cache ({@link dataConfig}), which the app may not set.
   */
  readonly config: Readonly<Record<string, string>>;
  /** The app's Google Cloud resources here: identity, database, cache, static IP. */
  readonly gcp: AppGcpResources;
  /** How a release replaces the workload here. */
  readonly delivery: InstanceDelivery;
  /** Which Istio subset the pods belong to, when production shares its route with a candidate. */
  readonly track?: Track;
  /** External hosts enter through the Istio gateway instead of a GKE Ingress. */
  readonly meshIngress: boolean;
  /** The app's own GKE Ingress, when it has one; every plane reads this, none decides it again. */
  readonly ingress?: OwnIngress;
  /**
   * The restore drill and dumps of the app's database: only in the production environment
   * (`Environment.production`) and only where it owns the data (`gcp.ownsData`), so once per
   * production database; never on the canary, which uses production's (docs/backups.md).
   */
  readonly backups?: DatabaseBackups;
}

export function resolveInstance(
  platform: string,
  app: App,
  configs: readonly AppConfig[],
  env: Environment,
  release: AppRelease,
  repository: string,
  meshIngress: boolean,
  root: Checks,
): Omit<AppInstance, 'delivery' | 'track' | 'meshIngress'> {
  const override = configs.find((c) => c.name === app.name)?.overrides?.[env.name] ?? {};
  const name = naming.workload(app.name, env.nameSuffix);
  const host = naming.host(app.exposure, app.name, env.baseDomain);
  const ingressKind = ownIngressKind(app.exposure, meshIngress);
  const cluster = env.clusterConfig;
  const gcp = resolveGcpResources(
    {
      platform,
      app: app.name,
      needs: app.needs,
      env: env.name,
      dataOwner: env.dataOwner,
      project: env.project,
      region: env.region,
      namespace: env.namespace,
      workloadName: name,
      cluster: cluster.name,
      privateServicesCidr: cluster.network.privateServicesCidr,
      ingress: ingressKind,
      secrets: app.kubernetes.secrets,
    },
    root.within({ app: app.name, env: env.name }),
  );
  // Both are set when ingressKind is: the kind implies an exposed app, and resolveGcpResources reserves its address.
  const ingress = ingressKind !== undefined && host !== undefined && gcp.staticIp !== undefined
    ? { kind: ingressKind, host, staticIp: gcp.staticIp, challenge: ownIngressChallenge(ingressKind) }
    : undefined;
  const databaseNeed = app.needs.database;
  const backups = env.production && gcp.ownsData && gcp.database !== undefined && databaseNeed !== undefined
    ? resolveDatabaseBackups({
        project: env.project,
        region: env.region,
        live: gcp.database,
        config: databaseNeed.backups,
        version: databaseNeed.version,
        tier: env.database?.tier,
        network: cluster.name,
        namespace: env.namespace,
        workloadName: name,
      }, root.within({ app: app.name, env: env.name }))
    : undefined;
  return {
    app,
    env,
    name,
    replicas: override.replicas ?? env.replicas.replicas,
    maxReplicas: Math.max(override.maxReplicas ?? env.maxReplicas, override.replicas ?? env.replicas.replicas),
    resources: override.resources ?? env.resources,
    image: new ImageRef(repository, app.image, release.tag, release.digest),
    host,
    config: { ...app.config, ...override.config, ...dataConfig(gcp) },
    gcp,
    ingress,
    backups,
  };
}

/**
 * How `app` is released in `env`. The candidate's weight is the release state's (`promote --step`)
 * or the configured one while the candidate runs another release than production, and 0 otherwise.
 */
export function instanceDelivery(app: App, env: Environment, envs: readonly Environment[], releases: ReleasesConfig): Pick<AppInstance, 'delivery' | 'track'> {
  const canaryEnv = envs.find((e) => e.canary?.production === env.name);
  if (env.canary) {
    const production = envs.find((e) => e.name === env.canary?.production) as Environment;
    return {
      delivery: {
        type: 'candidate',
        stableInstance: naming.workload(app.name, production.nameSuffix),
        bakeTime: env.canary.bakeTime,
        maxErrorRateIncrease: env.canary.maxErrorRateIncrease,
        maxLatencyIncrease: env.canary.maxLatencyIncrease,
        minRequests: env.canary.minRequests,
        interval: ANALYSIS_INTERVAL,
      },
      track: 'canary',
    };
  }
  const strategy = app.delivery.strategy;
  if (env.progressive === undefined || strategy.type === 'rolling') return { delivery: { type: 'rolling' } };
  if (strategy.type !== 'canary' || !app.delivery.canaryEnvironment || canaryEnv?.canary === undefined) return { delivery: strategy };
  const candidate = effectiveRelease(releases.environments[canaryEnv.name], app.name);
  const stable = effectiveRelease(releases.environments[env.name], app.name);
  const live = candidate.tag !== stable.tag || candidate.digest !== stable.digest;
  const weight = live ? (releases.environments[canaryEnv.name].canaryWeight ?? canaryEnv.canary.weight) : 0;
  return {
    delivery: { ...strategy, candidate: { instance: naming.workload(app.name, canaryEnv.nameSuffix), weight } },
    track: 'stable',
  };
}

/** Two apps' resources must not share a name in one project (`a-b` in `c` and `a` in `b-c`). */
export function checkGcpNamesUnique(instances: readonly AppInstance[], checks: Checks): void {
  const owners = new Map<string, AppInstance>();
  for (const instance of instances) {
    const { identity, database, cache, staticIp } = instance.gcp;
    const names = new Set([identity?.accountId, database?.instanceName, cache?.instanceName, staticIp?.name]);
    for (const name of names) {
      if (name === undefined) continue;
      const key = `${instance.env.project}/${name}`;
      const owner = owners.get(key);
      if (owner !== undefined && owner.app !== instance.app) {
        checks.within({ app: instance.app.name, env: instance.env.name }).fail('name', instance.app.name,
          `gives its Google Cloud resources the name "${name}", which app "${owner.app.name}" uses in env "${owner.env.name}"`,
          'rename one of the two apps');
      }
      owners.set(key, instance);
    }
  }
}
