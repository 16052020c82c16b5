import { Checks } from './checks';
import { type App, resolveApps } from './app';
import { type AppInstance, checkGcpNamesUnique, instanceDelivery, resolveInstance } from './app-instance';
import { type Cluster, resolveClusters } from './cluster';
import { type Environment, resolveEnvironments } from './environment';
import { type GitOpsConfig, type PlatformConfig, type RegistryConfig, type StateConfig, type TeamConfig } from './config';
import { GCP_REGIONS } from './gcp-region';
import { ImageRef } from './image-ref';
import { type Addons, checkTeams, resolveAddons } from './kubernetes-settings';
import { entersThroughMesh } from './delivery';
import { type NamespaceSecretStore, resolveSecretStores } from './secret-store';

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
  public readonly addons: Addons;
  /** One secret store per namespace: see {@link NamespaceSecretStore}. */
  public readonly secretStores: readonly NamespaceSecretStore[];
  private readonly instancesByEnv: ReadonlyMap<string, readonly AppInstance[]>;

  constructor(config: PlatformConfig) {
    const checks: Checks = new Checks();
    checks.dnsLabel('name', config.name, 30);
    this.name = config.name;
    this.state = checkState(config.state, checks);
    checks.oneOf('registry.region', config.registry.region, GCP_REGIONS);
    if (config.registry.keepReleases !== undefined) {
      checks.intInRange('registry.keepReleases', config.registry.keepReleases, 3, 5);
    }
    this.registry = config.registry;
    this.gitops = { revision: 'main', argoNamespace: 'argocd', ...config.gitops };

    this.addons = resolveAddons(config.addons, checks);
    const clusters = resolveClusters(config.clusters, checks);
    this.environments = resolveEnvironments(config.environments, clusters, checks);
    this.production = this.environments.find((e) => e.production) as Environment;
    this.clusters = clusters.map((c) => ({ ...c, environments: this.environments.filter((e) => e.cluster === c.name) }));
    checkTeams(config.teams, checks);
    this.teams = config.teams;
    this.apps = resolveApps(config.apps, this.environments, config.teams, checks);

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
    this.secretStores = resolveSecretStores(this.environments, (env) => this.instances(env), this.addons, checks);
  }

  /** The secret store of the namespace `env` runs in (the canary's is production's). */
  public secretStore(env: Environment): NamespaceSecretStore {
    const store = this.secretStores.find((s) => s.cluster === env.cluster && s.namespace === env.namespace);
    if (store === undefined) throw new Error(`env ${env.name}: namespace "${env.namespace}" has no secret store`);
    return store;
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
  return new Platform(config);
}

function checkState(state: StateConfig, checks: Checks): StateConfig {
  if (state.keepVersions !== undefined) checks.intInRange('state.keepVersions', state.keepVersions, 5, 10);
  if (state.softDeleteDays !== undefined) checks.intInRange('state.softDeleteDays', state.softDeleteDays, 7, 90);
  if (state.kmsKeyName !== undefined) {
    checks.require(/^projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/]+$/.test(state.kmsKeyName), 'state.kmsKeyName',
      state.kmsKeyName, 'is not a Cloud KMS key name', 'write it as projects/P/locations/L/keyRings/R/cryptoKeys/K, or leave it unset');
  }
  return state;
}

