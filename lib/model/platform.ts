import { Checks } from './checks';
import { type App, resolveApps } from './app';
import { type AppInstance, checkGcpNamesUnique, instanceDelivery, resolveInstance } from './app-instance';
import { type Cluster, resolveClusters } from './cluster';
import { type Environment, resolveEnvironments } from './environment';
import { type GitOpsConfig, type PlatformConfig, type RegistryConfig, type StateConfig, type TeamConfig } from './config';
import { GCP_REGIONS } from './gcp-region';
import { ImageRef } from './image-ref';
import { type Addons, checkTeams, resolveAddons } from './kubernetes-settings';
import { type CandidateCapacity, candidateCapacity, entersThroughMesh, replicasForWeight } from './delivery';
import { resolveTraffic, type Traffic } from './traffic';
import { checkSecurityGroup, clusterBindsGroups } from './rbac';
import { type NamespaceSecretStore, resolveClusterSecretStores, resolveSecretStores } from './secret-store';
import { checkServiceAccountsUnique } from './service-accounts';
import { type ArgoCdInstance, argocdInstances, checkSyncWindows } from './argocd';
import { type CiSettings, resolveCi } from './ci';
import { resolveOperationsImage } from './database-backups';
import { checkConfigShape } from './config-schema';

/** The validated platform model that both planes render from. */
export class Platform {
  public readonly name: string;
  public readonly state: StateConfig;
  public readonly registry: RegistryConfig;
  public readonly gitops: Required<GitOpsConfig>;
  public readonly clusters: readonly Cluster[];
  /** In promotion order. */
  public readonly environments: readonly Environment[];
  /**
   * The production environment, decided here once: the one marked `production`, else the last in
   * promotion order. Diff, validate, release and promote all read it.
   */
  public readonly production: Environment;
  public readonly apps: readonly App[];
  public readonly teams: readonly TeamConfig[];
  /** The security group of Google Groups for RBAC; set whenever there are teams. */
  public readonly rbacSecurityGroup?: string;
  public readonly addons: Addons;
  /** DNS zones and records, the Istio gateways and the ACME account: how hosts are reached. */
  public readonly traffic: Traffic;
  /** The Argo CD instances, each with the clusters it manages (docs/argocd.md); `argocdPlacement` finds a cluster's. */
  public readonly argocd: readonly ArgoCdInstance[];
  /** One secret store per namespace: each environment owner's, then each cluster's monitoring namespace's. See {@link NamespaceSecretStore}. */
  public readonly secretStores: readonly NamespaceSecretStore[];
  /** CI's Workload Identity Federation and service accounts, when `ci` is configured. */
  public readonly ci?: CiSettings;
  /** The image of the production databases' restore drills and dumps (`PlatformConfig.operationsImage`). */
  public readonly operationsImage: string;
  private readonly instancesByEnv: ReadonlyMap<string, readonly AppInstance[]>;

  constructor(config: PlatformConfig) {
    const checks: Checks = new Checks();
    checks.dnsLabel('name', config.name, 30);
    this.name = config.name;
    this.state = checkState(config.state, checks);
    this.ci = resolveCi(config.ci, config.name, config.state.project, checks);
    checks.oneOf('registry.region', config.registry.region, GCP_REGIONS);
    if (config.registry.keepReleases !== undefined) {
      checks.intInRange('registry.keepReleases', config.registry.keepReleases, 3, 5);
    }
    this.registry = config.registry;
    this.gitops = { revision: 'main', argoNamespace: 'argocd', ...config.gitops };
    this.operationsImage = resolveOperationsImage(config.operationsImage, checks);

    this.addons = resolveAddons(config.addons, checks);
    const clusters = resolveClusters(config.clusters, checks, this.addons.certManagerNamespace);
    this.environments = resolveEnvironments(config.environments, clusters, checks);
    this.production = this.environments.find((e) => e.production) as Environment;
    checkTeams(config.teams, checks);
    this.teams = config.teams;
    this.rbacSecurityGroup = checkSecurityGroup(config.rbacSecurityGroup, config.teams, checks);
    this.apps = resolveApps(config.apps, this.environments, config.teams, checks);
    this.clusters = clusters.map((c) => {
      const withEnvs = { ...c, environments: this.environments.filter((e) => e.cluster === c.name) };
      return clusterBindsGroups(withEnvs, this.teams, this.apps) ? { ...withEnvs, rbacSecurityGroup: this.rbacSecurityGroup } : withEnvs;
    });

    this.argocd = argocdInstances(this);
    checkSyncWindows(this.environments, checks);

    const repository = ImageRef.repositoryPath(this.registry);
    const byEnv = new Map<string, AppInstance[]>();
    for (const env of this.environments) {
      const releases = config.releases.environments[env.name];
      const envChecks: Checks = checks.within({ env: env.name });
      envChecks.require(
        releases !== undefined,
        `apps/releases.json:environments.${env.name}`,
        undefined,
        `has no release for environment "${env.name}"`,
        `add "${env.name}": { "tag": "v0.1.0" } to apps/releases.json`,
      );
      for (const appName of Object.keys(releases.apps ?? {})) {
        envChecks.oneOf(`apps/releases.json:environments.${env.name}.apps`, appName, this.apps.map((a) => a.name));
      }
      // The canary environment runs only the apps whose candidates go through it.
      const apps = env.canary ? this.apps.filter((a) => a.delivery.canaryEnvironment) : this.apps;
      byEnv.set(
        env.name,
        apps.map((app) => {
          const release = { tag: releases.tag, ...releases.apps?.[app.name] };
          const delivery = instanceDelivery(app, env, this.environments, config.releases);
          const meshIngress = entersThroughMesh(delivery.delivery);
          return { ...resolveInstance(this.name, app, config.apps, env, release, repository, meshIngress, checks), ...delivery, meshIngress };
        }),
      );
    }
    this.instancesByEnv = byEnv;
    checkGcpNamesUnique([...byEnv.values()].flat(), checks);
    this.traffic = resolveTraffic(config.addons.acme, this.environments, (env) => byEnv.get(env.name) ?? [], checks);
    this.secretStores = [
      ...resolveSecretStores(this.environments, (env) => this.instances(env), (env) => this.namespaceSharers(env), this.addons, checks),
      ...resolveClusterSecretStores(this.clusters, this.addons, checks),
    ];
    checkServiceAccountsUnique(this.clusters, this.secretStores, [...byEnv.values()].flat(), checks);
    this.checkCandidateCapacity(config.releases, checks);
  }

  /**
   * What the candidates of the canary environment `env` can carry together: the least of their
   * capacities, or undefined when `env` runs no candidate.
   */
  public candidateCapacity(env: Environment): CandidateCapacity | undefined {
    if (env.canary === undefined) return undefined;
    const production = this.environment(env.canary.production) as Environment;
    const capacities = this.instances(env).map((candidate) => {
      const stable = this.instances(production).find((i) => i.app === candidate.app) as AppInstance;
      return candidateCapacity(candidate.app.name, candidate.maxReplicas, stable.maxReplicas);
    });
    return capacities.sort((a, b) => a.maxWeight - b.maxWeight)[0];
  }

  /** A candidate is never given more of production's traffic than its pods can serve. */
  private checkCandidateCapacity(releases: PlatformConfig['releases'], root: Checks): void {
    for (const env of this.environments) {
      const capacity = this.candidateCapacity(env);
      if (capacity === undefined || env.canary === undefined) continue;
      const checks: Checks = root.within({ env: env.name });
      const fix = (weight: number): string =>
        `let "${capacity.app}"'s candidate scale to at least ${replicasForWeight(weight, capacity.productionReplicas)} replicas (replicas.maxReplicas of environment "${env.name}", or the app's override), or lower the weight`;
      const why = `"${capacity.app}"'s candidate runs at most ${capacity.candidateReplicas} replica(s) beside production's ${capacity.productionReplicas}, so it can carry at most ${capacity.maxWeight}%`;
      checks.require(env.canary.weight <= capacity.maxWeight, 'canary.weight', env.canary.weight, `is above what the candidates can carry: ${why}`, fix(env.canary.weight));
      const weight = releases.environments[env.name]?.canaryWeight;
      if (weight !== undefined) {
        checks.require(weight <= capacity.maxWeight, `releases.json:environments.${env.name}.canaryWeight`, weight, `is above what the candidates can carry: ${why}`,
          `${fix(weight)}, or set it to at most ${capacity.maxWeight} in the output root's releases.json`);
      }
    }
  }

  /** The secret store of a cluster's monitoring namespace, for its alert receivers. */
  public clusterSecretStore(cluster: Cluster): NamespaceSecretStore {
    return this.secretStores.find((s) => s.cluster === cluster.name && s.owner === `cluster-${cluster.name}`) as NamespaceSecretStore;
  }

  /** The secret store of the namespace `env` runs in (the canary's is production's). */
  public secretStore(env: Environment): NamespaceSecretStore {
    const store = this.secretStores.find((s) => s.cluster === env.cluster && s.namespace === env.namespace);
    if (store === undefined) {
      throw new Error(`env "${env.name}": namespace "${env.namespace}" on cluster "${env.cluster}" has no secret store; fix: set managesNamespace: true on the environment that owns the namespace`);
    }
    return store;
  }

  /** Every environment that runs in the namespace of `env` on its cluster, `env` included: the canary shares production's. */
  public namespaceSharers(env: Environment): readonly Environment[] {
    return this.environments.filter((e) => e.cluster === env.cluster && e.namespace === env.namespace);
  }

  /** The environment called `name`, or undefined. */
  public environment(name: string): Environment | undefined {
    return this.environments.find((e) => e.name === name);
  }

  /** Every app as it runs in `env`, in the order the config lists them. */
  public instances(env: Environment): readonly AppInstance[] {
    return this.instancesByEnv.get(env.name) ?? [];
  }

  /** The release tags some environment runs, sorted: the images the registry must keep. */
  public releaseTags(): string[] {
    const tags = new Set<string>();
    for (const instances of this.instancesByEnv.values()) for (const i of instances) tags.add(i.image.tag);
    return [...tags].sort();
  }
}

/** Builds and validates the platform model; throws a one-line ConfigError on the first bad value. */
export function definePlatform(config: PlatformConfig): Platform {
  // The run path never type-checks config, so its shape is checked here first (docs/validate.md).
  checkConfigShape(config);
  return new Platform(config);
}

function checkState(state: StateConfig, checks: Checks): StateConfig {
  // Cloud Storage bucket names: 3 to 63 lower-case letters, digits, '-', '_' and '.', starting and
  // ending with a letter or digit, never starting with "goog" (https://cloud.google.com/storage/docs/buckets#naming).
  checks.require(/^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/.test(state.bucket) && !state.bucket.startsWith('goog'), 'state.bucket', state.bucket,
    'is not a Cloud Storage bucket name', 'use 3 to 63 lower-case letters, digits, "-", "_" or ".", starting and ending with a letter or digit');
  if (state.keepVersions !== undefined) checks.intInRange('state.keepVersions', state.keepVersions, 5, 10);
  if (state.softDeleteDays !== undefined) checks.intInRange('state.softDeleteDays', state.softDeleteDays, 7, 90);
  if (state.kmsKeyName !== undefined) {
    checks.require(/^projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/]+$/.test(state.kmsKeyName), 'state.kmsKeyName',
      state.kmsKeyName, 'is not a Cloud KMS key name', 'write it as projects/P/locations/L/keyRings/R/cryptoKeys/K, or leave it unset');
  }
  return state;
}

