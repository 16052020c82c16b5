import { type Checks } from './checks';
import { ADDON_NAMES, type AddonName, type AddonSpec, DEFAULT_ADDONS, PINNED_VERSION } from './addon-catalog';
import { isHttpUrl } from './http-url';
import { cpuMillis } from './resources';
import { type AddonChartOverride, type AlertingConfig, type AppConfig, type ClusterAddonsConfig, type ExposureConfig, type NamespaceQuotaConfig, type PortConfig, type TeamConfig } from './config';

/** The add-ons the manifests rely on, with defaults applied. */
export interface Addons {
  readonly monitoringNamespace: string;
  readonly monitoringLabels: Readonly<Record<string, string>>;
  readonly certManagerNamespace: string;
  /** The name of each namespace's SecretStore and of the service account it reads Secret Manager as. */
  readonly secretStore: string;
  /** The Prometheus that release analyses query. */
  readonly prometheusUrl: string;
  readonly alerting: AlertingConfig;
  /** Every add-on's chart, with the config's overrides applied. */
  readonly charts: Readonly<Record<AddonName, AddonSpec>>;
}

/** Probes with defaults applied. */
export interface ResolvedProbes {
  readonly port: string;
  readonly livenessPath: string;
  readonly readinessPath: string;
}

/** The Kubernetes-side settings of an app, with defaults applied. */
export interface AppKubernetesSettings {
  readonly team: string;
  readonly probes: ResolvedProbes;
  readonly secrets: readonly { readonly env: string; readonly key: string; readonly version?: string }[];
  readonly alerts: { readonly errorRatio: number; readonly latencySeconds: number };
  /** The port Prometheus scrapes, when the app declares one named `metrics`. */
  readonly metricsPort?: string;
}

/** An environment variable name as the platform accepts it: upper case, digits and `_`. */
export const ENV_VAR = /^[A-Z_][A-Z0-9_]*$/;

export function resolveAddons(config: ClusterAddonsConfig, checks: Checks): Addons {
  const monitoringNamespace = config.monitoringNamespace ?? 'monitoring';
  const addons = {
    monitoringNamespace,
    monitoringLabels: config.monitoringLabels ?? { release: 'kube-prometheus-stack' },
    certManagerNamespace: config.certManagerNamespace ?? 'cert-manager',
    secretStore: config.secretStore ?? 'gcp-secret-manager',
    prometheusUrl: config.prometheusUrl ?? `http://prometheus-operated.${monitoringNamespace}.svc:9090`,
    alerting: config.alerting,
    charts: resolveAddonCharts(config.charts ?? {}, checks),
  };
  checks.dnsLabel('addons.monitoringNamespace', addons.monitoringNamespace);
  checks.dnsLabel('addons.certManagerNamespace', addons.certManagerNamespace);
  checks.dnsLabel('addons.secretStore', addons.secretStore);
  checks.require(isHttpUrl(addons.prometheusUrl), 'addons.prometheusUrl', addons.prometheusUrl,
    'is not an http(s) URL', 'write it as http://prometheus-operated.monitoring.svc:9090');
  checks.oneOf('addons.alerting.paging', addons.alerting.paging, ['pagerduty', 'opsgenie']);
  checks.require(/^#[a-z0-9_-]+$/.test(addons.alerting.slackChannel), 'addons.alerting.slackChannel', addons.alerting.slackChannel,
    'is not a Slack channel', 'write it as #channel-name');
  return addons;
}

/** The catalog with the config's overrides; a version must be exact, as Argo CD would follow a range. */
function resolveAddonCharts(overrides: Partial<Readonly<Record<AddonName, AddonChartOverride>>>, checks: Checks): Record<AddonName, AddonSpec> {
  for (const name of Object.keys(overrides)) checks.oneOf('addons.charts', name, ADDON_NAMES);
  const charts = {} as Record<AddonName, AddonSpec>;
  for (const name of ADDON_NAMES) {
    const o = overrides[name] ?? {};
    const spec = { ...DEFAULT_ADDONS[name], ...(o.repoUrl !== undefined ? { repoUrl: o.repoUrl } : {}), ...(o.version !== undefined ? { version: o.version } : {}) };
    checks.require(PINNED_VERSION.test(spec.version), `addons.charts.${name}.version`, spec.version,
      'is not an exact version: Argo CD would install whatever the range matches at the next sync', `pin one version, such as ${DEFAULT_ADDONS[name].version}`);
    checks.require(isHttpUrl(spec.repoUrl), `addons.charts.${name}.repoUrl`, spec.repoUrl, 'is not an http(s) URL', `give the Helm repository, such as ${DEFAULT_ADDONS[name].repoUrl}`);
    charts[name] = spec;
  }
  return charts;
}

export function checkTeams(teams: readonly TeamConfig[], checks: Checks): void {
  checks.require(teams.length > 0, 'teams', [], 'is empty', 'declare the teams that own apps, each with its group');
  checks.unique('teams[].name', teams.map((t) => t.name));
  teams.forEach((t, i) => {
    checks.dnsLabel(`teams[${i}].name`, t.name, 50);
    checks.require(t.group.trim() !== '', `teams[${i}].group`, t.group, 'is empty', 'name the group the team\'s people are in');
  });
}

/** A namespace quota must allow something, or no pod could ever start. */
export function checkQuota(quota: NamespaceQuotaConfig, checks: Checks): void {
  checks.intInRange('quota.pods', quota.pods, 1, 10000);
  for (const [field, cpu] of [['quota.cpuRequests', quota.cpuRequests], ['quota.cpuLimits', quota.cpuLimits]] as const) {
    checks.require(cpuMillis(cpu) > 0, field, cpu.amount, 'is not positive: the namespace could run nothing', 'give a CPU amount such as Cpu.units(4)');
  }
  for (const [field, size] of [['quota.memoryRequests', quota.memoryRequests], ['quota.memoryLimits', quota.memoryLimits]] as const) {
    checks.require(size.toMebibytes() > 0, field, `${size.toMebibytes()}Mi`, 'is not positive: the namespace could run nothing', 'give a size such as Size.gibibytes(8)');
  }
  checks.require(quota.memoryLimits.toMebibytes() >= quota.memoryRequests.toMebibytes(), 'quota.memoryLimits',
    `${quota.memoryLimits.toMebibytes()}Mi`, `is below quota.memoryRequests (${quota.memoryRequests.toMebibytes()}Mi)`,
    'raise memoryLimits to at least memoryRequests');
}

/** The Kubernetes-side settings of one app; `checks` is scoped to the app. */
export function resolveAppKubernetes(
  app: AppConfig,
  ports: readonly PortConfig[],
  exposure: ExposureConfig,
  teams: readonly TeamConfig[],
  checks: Checks,
): AppKubernetesSettings {
  checks.oneOf('team', app.team, teams.map((t) => t.name));
  const portNames = ports.map((p) => p.name);
  checks.require(ports.length > 0, 'ports', [], 'is empty: the kubelet needs a port to probe',
    'declare at least one port, such as { name: "metrics", port: 9090 }');
  const defaultPort = exposure.type === 'none' ? portNames[0] : exposure.port;
  const probes = {
    port: app.probes?.port ?? defaultPort,
    livenessPath: app.probes?.livenessPath ?? '/healthz',
    readinessPath: app.probes?.readinessPath ?? '/readyz',
  };
  checks.oneOf('probes.port', probes.port, portNames);
  for (const [field, path] of [['probes.livenessPath', probes.livenessPath], ['probes.readinessPath', probes.readinessPath]] as const) {
    checks.require(path.startsWith('/'), field, path, 'is not an absolute path', 'start it with "/", such as /healthz');
  }
  const secrets = app.secrets ?? [];
  checks.unique('secrets[].env', secrets.map((s) => s.env));
  secrets.forEach((s, i) => {
    checks.require(ENV_VAR.test(s.env), `secrets[${i}].env`, s.env, 'is not an environment variable name',
      'use upper-case letters, digits and "_", such as STRIPE_API_KEY');
    checks.require(typeof s.key === 'string' && s.key.trim() !== '', `secrets[${i}].key`, s.key,
      `is missing: secret ${s.env} names no Secret Manager secret`, 'set key to the name of the secret in Secret Manager');
  });
  const alerts = { errorRatio: app.alerts?.errorRatio ?? 0.05, latencySeconds: app.alerts?.latencySeconds ?? 1 };
  checks.require(alerts.errorRatio > 0 && alerts.errorRatio < 1, 'alerts.errorRatio', alerts.errorRatio, 'is not between 0 and 1',
    'give the share of failing requests, such as 0.05');
  checks.require(alerts.latencySeconds > 0, 'alerts.latencySeconds', alerts.latencySeconds, 'is not positive', 'give seconds, such as 0.5');
  return { team: app.team, probes, secrets, alerts, metricsPort: portNames.includes('metrics') ? 'metrics' : undefined };
}
