import { Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { z } from 'zod';
import { ADDON_NAMES } from './addon-catalog';
import { ConfigError } from './config-error';
import type * as C from './config';
import { type GcpRegion } from './gcp-region';
import { parseReleases, valueAt } from './releases';
import { SyncPolicy } from './sync-policy';

/*
 * The shape of PlatformConfig at run time. The run path bundles with esbuild and never type-checks,
 * so a typo (`replica: 8`) would otherwise be ignored. Every object is strict: an unknown key fails
 * with the closest known one. Leaves are checked only for their kind (string, number, class
 * instance); ranges, names and enums stay with the model's own Checks, which give better fixes.
 * test/model/config-schema.test.ts checks with `tsc` that this schema and config.ts agree.
 */

/** A string the model checks further (an enum, a region): typed as `T` so the schema matches config.ts. */
const str = <T extends string = string>(): z.ZodType<T> => z.custom<T>((v) => typeof v === 'string', 'expected a string');
const num = z.number();
const bool = z.boolean();
const strings = z.array(z.string()).readonly();
const stringMap = z.record(z.string(), z.string()).readonly();
// Class instances are accepted as they are, never taken apart.
// (z.instanceof does not type-check with their private constructors.)
const duration = z.custom<Duration>((v) => v instanceof Duration, 'expected a cdk8s Duration, such as Duration.minutes(5)');
const size = z.custom<Size>((v) => v instanceof Size, 'expected a cdk8s Size, such as Size.mebibytes(256)');
const cpu = z.custom<Cpu>((v) => v instanceof Cpu, 'expected a cdk8s-plus Cpu, such as Cpu.millis(250)');
const syncPolicy = z.custom<SyncPolicy>((v) => v instanceof SyncPolicy, 'expected SyncPolicy.automated() or SyncPolicy.manual()');

const resourceProfile = z.strictObject({
  name: z.string(),
  cpu: z.strictObject({ request: cpu, limit: cpu }).readonly(),
  memory: z.strictObject({ request: size, limit: size }).readonly(),
}).readonly();

const alertRouting = z.strictObject({
  page: bool.optional(),
  pageSeverities: z.array(str<C.AlertSeverity>()).readonly().optional(),
}).readonly();

const cluster = z.strictObject({
  name: z.string(),
  project: z.string(),
  region: str<GcpRegion>(),
  network: z.strictObject({
    nodesCidr: z.string(),
    podsCidr: z.string(),
    servicesCidr: z.string(),
    controlPlaneCidr: z.string(),
    privateServicesCidr: z.string().optional(),
    vpnCidrs: strings,
    proxyOnlyCidr: z.string().optional(),
  }).readonly(),
  nodePool: z.strictObject({
    machineType: z.string().optional(),
    minNodes: num,
    maxNodes: num,
    diskSizeGb: num.optional(),
  }).readonly(),
  releaseChannel: str<'RAPID' | 'REGULAR' | 'STABLE'>().optional(),
  deletionProtection: bool.optional(),
  maintenanceStartTime: z.string().optional(),
  argoServer: z.string().optional(),
  argocdManagedBy: z.string().optional(),
  alerts: alertRouting.optional(),
}).readonly();

const environment = z.strictObject({
  name: z.string(),
  project: z.string(),
  region: str<GcpRegion>(),
  cluster: z.string(),
  namespace: z.string(),
  managesNamespace: bool.optional(),
  nameSuffix: z.string().optional(),
  replicas: z.strictObject({ replicas: num, maxReplicas: num.optional(), minReplicas: num.optional() }).readonly(),
  resources: resourceProfile,
  sync: syncPolicy,
  syncWindow: z.strictObject({ schedule: z.string(), duration: z.string(), timeZone: z.string().optional() }).readonly().optional(),
  baseDomain: z.string(),
  database: z.strictObject({
    tier: z.string().optional(),
    backupRetentionDays: num.optional(),
    pointInTimeRecovery: bool.optional(),
    highAvailability: bool.optional(),
    deletionProtection: bool.optional(),
  }).readonly().optional(),
  cache: z.strictObject({ tier: str<'BASIC' | 'STANDARD_HA'>().optional() }).readonly().optional(),
  quota: z.strictObject({ cpuRequests: cpu, cpuLimits: cpu, memoryRequests: size, memoryLimits: size, pods: num }).readonly().optional(),
  teamAccess: str<'edit' | 'view'>().optional(),
  production: bool.optional(),
  progressiveDelivery: z.strictObject({
    istioGateway: z.string().optional(),
    istioNamespace: z.string().optional(),
    gatewaySelector: stringMap.optional(),
    sidecarResources: resourceProfile.optional(),
  }).readonly().optional(),
  canary: z.strictObject({
    weight: num.optional(),
    bakeTime: duration.optional(),
    maxErrorRateIncrease: num.optional(),
    maxLatencyIncrease: num.optional(),
    minRequests: num.optional(),
  }).readonly().optional(),
  alerts: alertRouting.optional(),
}).readonly();

const exposure = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('public'), host: z.string(), port: z.string() }).readonly(),
  z.strictObject({ type: z.literal('internal'), host: z.string().optional(), port: z.string() }).readonly(),
  z.strictObject({ type: z.literal('cluster'), port: z.string() }).readonly(),
  z.strictObject({ type: z.literal('none') }).readonly(),
]);

const analysis = z.strictObject({ successRate: num.optional(), p95Latency: duration.optional(), minRequests: num.optional() }).readonly();
const steps = z.array(z.strictObject({ weight: num, pause: duration.optional() }).readonly()).readonly();
const strategy = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('canary'), steps: steps.optional(), analysis: analysis.optional() }).readonly(),
  z.strictObject({ type: z.literal('rolloutIstio'), steps: steps.optional(), analysis: analysis.optional() }).readonly(),
  z.strictObject({ type: z.literal('blueGreen'), autoPromotion: bool.optional(), analysis: analysis.optional() }).readonly(),
  z.strictObject({ type: z.literal('rolling') }).readonly(),
]);

const appOverride = z.strictObject({
  replicas: num.optional(),
  maxReplicas: num.optional(),
  resources: resourceProfile.optional(),
  config: stringMap.optional(),
}).readonly();

const app = z.strictObject({
  name: z.string(),
  team: z.string(),
  probes: z.strictObject({ port: z.string().optional(), livenessPath: z.string().optional(), readinessPath: z.string().optional() }).readonly().optional(),
  secrets: z.array(z.strictObject({ env: z.string(), key: z.string(), version: z.string().optional() }).readonly()).readonly().optional(),
  alerts: z.strictObject({ errorRatio: num.optional(), latencySeconds: num.optional() }).readonly().optional(),
  image: z.string().optional(),
  ports: z.array(z.strictObject({ name: z.string(), port: num }).readonly()).readonly().optional(),
  exposure: exposure.optional(),
  needs: z.strictObject({
    database: z.strictObject({
      version: str<'POSTGRES_14' | 'POSTGRES_15' | 'POSTGRES_16'>().optional(),
      migrateCommand: strings,
      backups: z.strictObject({
        drill: z.strictObject({ tables: strings, schedule: z.string().optional(), maxDriftPercent: num.optional() }).readonly(),
        dumps: z.strictObject({ retentionMonths: num.optional(), schedule: z.string().optional() }).readonly().optional(),
      }).readonly(),
    }).readonly().optional(),
    cache: z.strictObject({ memoryGb: num.optional() }).readonly().optional(),
    dependsOn: strings.optional(),
  }).readonly().optional(),
  args: strings.optional(),
  config: stringMap.optional(),
  overrides: z.record(z.string(), appOverride).readonly().optional(),
  waivers: z.array(z.strictObject({ rule: z.string(), reason: z.string() }).readonly()).readonly().optional(),
  delivery: z.strictObject({ strategy: strategy.optional(), canaryEnvironment: bool.optional() }).readonly().optional(),
  slo: z.strictObject({
    availability: num,
    latency: z.strictObject({ target: num, threshold: duration }).readonly().optional(),
    window: duration.optional(),
  }).readonly().optional(),
}).readonly();

/** `releases` has its own schema (lib/model/releases.ts); here it is only passed through to it. */
const releases = z.custom<C.PlatformConfig['releases']>((v) => typeof v === 'object' && v !== null, 'expected the releases');

export const platformConfigSchema = z.strictObject({
  name: z.string(),
  state: z.strictObject({
    project: z.string(),
    bucket: z.string(),
    location: z.string(),
    keepVersions: num.optional(),
    softDeleteDays: num.optional(),
    kmsKeyName: z.string().optional(),
    bootstrapBackend: str<C.BootstrapBackend>().optional(),
  }).readonly(),
  registry: z.strictObject({ project: z.string(), region: str<GcpRegion>(), repository: z.string(), keepReleases: num.optional() }).readonly(),
  gitops: z.strictObject({ repoUrl: z.string(), revision: z.string().optional(), argoNamespace: z.string().optional() }).readonly(),
  clusters: z.array(cluster).readonly(),
  environments: z.array(environment).readonly(),
  apps: z.array(app).readonly(),
  releases,
  teams: z.array(z.strictObject({ name: z.string(), group: z.string() }).readonly()).readonly(),
  rbacSecurityGroup: z.string().optional(),
  operationsImage: z.string().optional(),
  addons: z.strictObject({
    monitoringNamespace: z.string().optional(),
    monitoringLabels: stringMap.optional(),
    acme: z.strictObject({ email: z.string(), server: z.string().optional() }).readonly(),
    certManagerNamespace: z.string().optional(),
    secretStore: z.string().optional(),
    prometheusUrl: z.string().optional(),
    alerting: z.strictObject({
      paging: str<'pagerduty' | 'opsgenie'>(),
      pagingKeySecret: z.string(),
      slackWebhookSecret: z.string(),
      slackChannel: z.string(),
    }).readonly(),
    charts: z.partialRecord(z.enum(ADDON_NAMES), z.strictObject({ repoUrl: z.string().optional(), version: z.string().optional() }).readonly())
      .readonly().optional(),
  }).readonly(),
  ci: z.strictObject({
    issuerUri: z.string().optional(),
    platformRepository: z.string(),
    imageRepositories: strings.optional(),
    refs: strings.optional(),
    poolId: z.string().optional(),
  }).readonly().optional(),
}).readonly();

/** The config as the schema sees it; test/model/config-schema.test.ts checks it equals {@link C.PlatformConfig}. */
export type SchemaPlatformConfig = z.infer<typeof platformConfigSchema>;

/**
 * Checks the whole config's shape before the model reads it: one line, exit 2, on the first unknown
 * key (with the closest known one) or value of the wrong kind; then the releases and the apps'
 * plain settings that look like credentials.
 */
export function checkConfigShape(config: unknown): void {
  const result = platformConfigSchema.safeParse(config);
  if (!result.success) {
    // An unknown key first: a misspelt required field also reports the real one as missing, and
    // "did you mean replicas?" is the fix for both.
    const issue = result.error.issues.find((i) => i.code === 'unrecognized_keys') ?? result.error.issues[0];
    const scope = scopeOf(config, issue.path);
    if (issue.code === 'unrecognized_keys') {
      const key = issue.keys[0];
      const known = knownKeys(platformConfigSchema, config, issue.path);
      const closest = closestName(key, known);
      throw new ConfigError({
        ...scope,
        field: fieldPath([...issue.path, key]),
        value: valueAt(config, [...issue.path, key]),
        problem: 'is not a known field',
        fix: `${closest === undefined ? '' : `did you mean ${closest}? `}known fields here: ${known.join(', ')}`,
      });
    }
    const bad = issue.code === 'invalid_key' ? issue.path.slice(0, -1) : issue.path;
    const known = issue.code === 'invalid_key' ? ADDON_NAMES.join(', ') : undefined;
    throw new ConfigError({
      ...scope,
      field: fieldPath(issue.path),
      value: valueAt(config, issue.path),
      problem: `is invalid (${issue.message})`,
      fix: known === undefined ? `correct ${fieldPath(bad)} (see lib/model/config.ts)` : `use one of ${known}`,
    });
  }
  parseReleases(result.data.releases);
  for (const a of result.data.apps) {
    checkPlainConfig(a.config, 'config', a.name);
    for (const [env, o] of Object.entries(a.overrides ?? {})) checkPlainConfig(o.config, `overrides.${env}.config`, a.name);
  }
}

/** Names that say "credential"; such settings belong in `secrets` (Secret Manager), not in a ConfigMap. */
const CREDENTIAL_KEY = /PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL/i;
/** Values that are credentials whatever their key: PEM keys, AWS keys, GitHub, Slack and Stripe tokens, URLs with a password. */
const CREDENTIAL_VALUE = /-----BEGIN [A-Z ]*PRIVATE KEY-----|\bAKIA[0-9A-Z]{16}\b|\bgh[pousr]_[A-Za-z0-9]{30,}|\bxox[abpr]-|\b[sr]k_live_|:\/\/[^/\s:@]+:[^/\s@]+@/;

function checkPlainConfig(config: Readonly<Record<string, string>> | undefined, field: string, appName: string): void {
  for (const [key, value] of Object.entries(config ?? {})) {
    const byKey = CREDENTIAL_KEY.test(key);
    if (byKey || CREDENTIAL_VALUE.test(value)) {
      throw new ConfigError({
        app: appName,
        field: `${field}.${key}`,
        value: '(hidden)',
        problem: byKey ? 'looks like a credential by its name, and plain config ends up readable in a ConfigMap and in Git'
          : 'looks like a credential, and plain config ends up readable in a ConfigMap and in Git',
        fix: `move it to the app's secrets: { env: '${key}', key: '<secret in Secret Manager>' } (docs/secrets.md)`,
      });
    }
  }
}

/** The known keys of the strict object at `path`, walking the schema along the data. */
function knownKeys(schema: z.core.$ZodType, data: unknown, path: readonly PropertyKey[]): string[] {
  let node: z.core.$ZodType | undefined = schema;
  let cursor: unknown = data;
  let i = 0;
  while (node !== undefined) {
    const def: z.core.$ZodTypeDef = node._zod.def;
    if (def.type === 'optional' || def.type === 'readonly') {
      node = (def as unknown as { innerType: z.core.$ZodType }).innerType;
    } else if (def.type === 'union') {
      const options = (def as unknown as { options: readonly z.core.$ZodType[] }).options;
      const type = (cursor as { type?: unknown } | null)?.type;
      node = options.find((o) => keysOf(o).length > 0 && literalType(o) === type) ?? options[0];
    } else if (i >= path.length) {
      return keysOf(node);
    } else if (def.type === 'object') {
      const key = String(path[i++]);
      node = (def as unknown as { shape: Record<string, z.core.$ZodType> }).shape[key];
      cursor = (cursor as Record<string, unknown>)[key];
    } else if (def.type === 'array') {
      node = (def as unknown as { element: z.core.$ZodType }).element;
      cursor = (cursor as unknown[])[Number(path[i++])];
    } else if (def.type === 'record') {
      node = (def as unknown as { valueType: z.core.$ZodType }).valueType;
      cursor = (cursor as Record<string, unknown>)[String(path[i++])];
    } else {
      return [];
    }
  }
  return [];
}

function unwrap(node: z.core.$ZodType): z.core.$ZodType {
  const def = node._zod.def;
  return def.type === 'optional' || def.type === 'readonly' ? unwrap((def as unknown as { innerType: z.core.$ZodType }).innerType) : node;
}

function keysOf(node: z.core.$ZodType): string[] {
  const def = unwrap(node)._zod.def;
  return def.type === 'object' ? Object.keys((def as unknown as { shape: Record<string, unknown> }).shape) : [];
}

function literalType(node: z.core.$ZodType): unknown {
  const def = unwrap(node)._zod.def as unknown as { shape: Record<string, z.core.$ZodType> };
  const type = def.shape.type?._zod.def as unknown as { values?: readonly unknown[] } | undefined;
  return type?.values?.[0];
}

/** The known name nearest to `name` by edit distance, if it is near enough to be a typo. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = levenshtein(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** `apps[1].overrides.prod.replica`. */
function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('') || '(root)';
}

/** The app or environment a path is inside, by its name, so the message names it. */
function scopeOf(config: unknown, path: readonly PropertyKey[]): { app?: string; env?: string } {
  const name = valueAt(config, [...path.slice(0, 2), 'name']);
  if (typeof path[1] !== 'number' || typeof name !== 'string') return {};
  if (path[0] === 'apps') return { app: name };
  if (path[0] === 'environments') return { env: name };
  return {};
}

