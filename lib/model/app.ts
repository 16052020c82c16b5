import { RULE_IDS } from './rule-ids';
import { type Checks } from './checks';
import { type Environment, checkResources } from './environment';
import { checkDataConfigKeys } from './data-config';
import { type AppConfig, type AppNeeds, type ExposureConfig, type PortConfig, type TeamConfig } from './config';
import { type AppKubernetesSettings, ENV_VAR, resolveAppKubernetes } from './kubernetes-settings';
import { naming } from './naming';
import { type Delivery, resolveDelivery } from './delivery';
import { resolveSlo, type Slo } from './slo';

/** A repository path component list (OCI distribution spec), without tag or digest. */
const IMAGE_NAME = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

/** An app with its defaults applied. */
export interface App {
  readonly name: string;
  readonly image: string;
  readonly ports: readonly PortConfig[];
  readonly exposure: ExposureConfig;
  readonly needs: AppNeeds;
  readonly args?: readonly string[];
  readonly config: Readonly<Record<string, string>>;
  /** Team, probes, secrets and alert thresholds. */
  readonly kubernetes: AppKubernetesSettings;
  /** Rules of `npm run validate` the app waives, with their reasons. */
  readonly waivers: readonly { readonly rule: string; readonly reason: string }[];
  readonly delivery: Delivery;
  /** Undefined for an app that serves no HTTP. */
  readonly slo?: Slo;
}

export function resolveApps(configs: readonly AppConfig[], envs: readonly Environment[], teams: readonly TeamConfig[], root: Checks): App[] {
  root.unique('apps[].name', configs.map((a) => a.name));
  const names = configs.map((a) => a.name);
  const longestSuffix = Math.max(0, ...envs.map((e) => e.nameSuffix.length));
  return configs.map((a): App => {
    const checks: Checks = root.within({ app: a.name });
    // Room for the environment suffix and the longest suffix of a derived name ("-slo-dashboard").
    checks.dnsLabel('name', a.name, 63 - longestSuffix - naming.longestDerivedSuffix());
    const ports = a.ports ?? [];
    checks.unique('ports[].name', ports.map((p) => p.name));
    checks.unique('ports[].port', ports.map((p) => String(p.port)));
    ports.forEach((p, i) => {
      checks.require(/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(p.name) && p.name.length <= 15, `ports[${i}].name`, p.name,
        'is not an IANA service name (lower-case letters, digits and "-", at most 15 characters)', 'use a name such as "http" or "metrics"');
      checks.intInRange(`ports[${i}].port`, p.port, 1, 65535, 'choose a port from 1 to 65535');
    });
    const exposure = a.exposure ?? { type: 'none' };
    if (exposure.type !== 'none') {
      checks.oneOf('exposure.port', exposure.port, ports.map((p) => p.name));
    }
    if (exposure.type === 'public') {
      checks.require(exposure.host !== '', 'exposure.host', exposure.host, 'is empty: a public app needs a host',
        'set exposure.host to a DNS label such as "shop"');
      checks.dnsLabel('exposure.host', exposure.host);
    }
    if (exposure.type === 'internal' && exposure.host !== undefined) {
      checks.require(!exposure.host.includes('.'), 'exposure.host', exposure.host,
        'asks for a full host name: an internal app only gets a host under internal.<baseDomain>, never a public one',
        `give a host label such as "${exposure.host.split('.')[0]}", or make the app public`);
      checks.dnsLabel('exposure.host', exposure.host);
    }
    const needs = a.needs ?? {};
    (needs.dependsOn ?? []).forEach((dep, i) => {
      checks.oneOf(`needs.dependsOn[${i}]`, dep, names.filter((n) => n !== a.name));
      const target = configs.find((c) => c.name === dep);
      checks.require((target?.exposure?.type ?? 'none') !== 'none', `needs.dependsOn[${i}]`, dep,
        'names an app nobody can call (its exposure is "none")', `give "${dep}" an exposure of type "cluster" or remove the dependency`);
    });
    if (exposure.type === 'internal') {
      for (const env of envs) {
        const envChecks: Checks = checks.within({ env: env.name });
        envChecks.require(env.clusterConfig.network.proxyOnlyCidr !== undefined, 'exposure.type', exposure.type,
          `needs an internal load balancer, and cluster "${env.cluster}" has no proxy-only subnet`,
          `set clusters.${env.cluster}.network.proxyOnlyCidr (a /23), or expose the app another way`);
      }
    }
    if (needs.database) {
      checks.require(needs.database.migrateCommand.length > 0, 'needs.database.migrateCommand', needs.database.migrateCommand,
        'is empty', 'give the command that migrates the schema, such as ["./manage", "migrate"]');
    }
    if (needs.cache?.memoryGb !== undefined) {
      checks.intInRange('needs.cache.memoryGb', needs.cache.memoryGb, 1, 300);
    }
    for (const [envName, override] of Object.entries(a.overrides ?? {})) {
      const env = envs.find((e) => e.name === envName);
      checks.require(env !== undefined, 'overrides', envName, 'is not known', `use one of ${envs.map((e) => e.name).join(', ')}`);
      const envChecks = checks.within({ env: envName });
      if (override.replicas !== undefined) {
        envChecks.intInRange(`overrides.${envName}.replicas`, override.replicas, env.minReplicas, 100,
          `set replicas to at least ${env.minReplicas}, the minimum of environment "${envName}"`);
      }
      if (override.resources) checkResources(envChecks, `overrides.${envName}.resources`, override.resources);
      checkDataConfigKeys(override.config ?? {}, `overrides.${envName}.config`, envChecks);
      if (override.maxReplicas !== undefined) {
        envChecks.intInRange(`overrides.${envName}.maxReplicas`, override.maxReplicas, override.replicas ?? env.replicas.replicas, 1000,
          `set maxReplicas to at least the replicas (${override.replicas ?? env.replicas.replicas})`);
      }
    }
    (a.waivers ?? []).forEach((w, i) => {
      checks.oneOf(`waivers[${i}].rule`, w.rule, RULE_IDS);
      checks.require(w.reason.trim() !== '', `waivers[${i}].reason`, w.reason, 'is empty: a waiver needs its reason', 'say why the app may break this rule');
    });
    for (const key of Object.keys(a.config ?? {})) {
      checks.require(ENV_VAR.test(key), 'config', key, 'is not an environment variable name',
        'use upper-case letters, digits and "_", such as LOG_LEVEL');
    }
    checkDataConfigKeys(a.config ?? {}, 'config', checks);
    if (a.image !== undefined) {
      // A path inside the platform's repository, as the OCI distribution spec names repositories: no
      // tag or digest (releases set those), no registry, no `..` climbing out of the repository.
      checks.require(IMAGE_NAME.test(a.image) && a.image.length <= 128, 'image', a.image,
        'is not an image name inside the platform\'s repository', 'give a lower-case path such as "inventory-api" or "tools/migrate", without registry, tag or digest');
    }
    const delivery = resolveDelivery(a.delivery, exposure, envs.some((e) => e.canary !== undefined), checks);
    const slo = resolveSlo(a.slo, exposure, checks);
    return {
      name: a.name,
      image: a.image ?? a.name,
      delivery,
      slo,
      kubernetes: resolveAppKubernetes(a, ports, exposure, teams, checks),
      ports,
      exposure,
      needs,
      args: a.args,
      config: a.config ?? {},
      waivers: a.waivers ?? [],
    };
  });
}
