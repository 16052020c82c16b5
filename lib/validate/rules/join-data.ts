import { isRecord } from '../../manifest/json-access';
import { CLOUD_SQL_PROXY } from '../../model/cloud-sql-proxy';
import { DATABASE_CONFIG_KEYS } from '../../model/data-config';
import { PRIVATE_GOOGLE_APIS_CIDR } from '../../model/google-ranges';
import { ISTIO_PROXY_UID } from '../../model/mesh-sidecar';
import { cidrAddresses, type DataPath, dataInstances, dataPaths, hasPrivateGoogleApis, proxyFlags, runAsUser } from './data-path';
import { containers, finding, type Finding, namespaceOf, type RuleContext, tfFinding } from './types';

/** The flags without which the proxy logs in with no identity or leaves the private network. */
const REQUIRED_FLAGS = ['auto-iam-authn', 'private-ip'] as const;
/**
 * Where the proxy listens unless told otherwise.
 * @see https://github.com/GoogleCloudPlatform/cloud-sql-proxy/blob/main/docs/cmd/cloud-sql-proxy.md
 */
const PROXY_DEFAULTS = { address: '127.0.0.1', port: '5432' } as const;
const DNS_PORT = 53;

/**
 * Apps reach their data, and no data instance is orphaned. Every Cloud SQL instance a stack creates
 * is the connection name of some workload's Cloud SQL Auth Proxy, and every Memorystore instance is
 * some workload's REDIS_HOST (the name of the DNS record that points at it). Every workload that runs
 * the proxy names an instance some stack creates, runs it as a native sidecar (an init container
 * with `restartPolicy: Always`) before `migrate`, gets DATABASE_HOST/PORT/NAME/USER/ROLE from its
 * ConfigMap, and may leave on the instance port 3307; one with REDIS_HOST also has REDIS_PORT, a
 * Redis DNS name some stack creates, and may leave on that port. The Terraform checks are skipped
 * when the output holds no stack.
 */
export function joinData(ctx: RuleContext): Finding[] {
  const paths = dataPaths(ctx);
  const instances = dataInstances(ctx);
  const stacks = ctx.stacks.length > 0;
  const findings: Finding[] = [];

  for (const i of instances.filter((x) => x.type === 'google_sql_database_instance' && !x.iamAuthentication)) {
    findings.push(tfFinding(i.stack, i.type, i.address, 'join-data', `is Cloud SQL instance "${i.name}" without the database flag cloudsql.iam_authentication=on, so no IAM database user can log in`,
      'keep the flag PostgresDatabase sets in settings.database_flags'));
  }
  if (ctx.objects.length > 0) {
    for (const i of instances) {
      const named = i.type === 'google_sql_database_instance'
        ? paths.some((p) => p.connectionName !== undefined && i.keys.includes(p.connectionName))
        : paths.some((p) => p.config.REDIS_HOST !== undefined && i.keys.includes(p.config.REDIS_HOST));
      if (!named) {
        findings.push(i.type === 'google_sql_database_instance'
          ? tfFinding(i.stack, i.type, i.address, 'join-data', `is Cloud SQL instance "${i.keys[0]}", which no workload's ${CLOUD_SQL_PROXY.containerName} connects to`,
            'give the app that owns it needs.database, or remove the instance')
          : tfFinding(i.stack, i.type, i.address, 'join-data', `is Memorystore instance "${i.name}", which no workload's REDIS_HOST names (${i.keys.join(', ') || 'no DNS record points at it'})`,
            'give the app that owns it needs.cache, or remove the instance'));
      }
    }
  }

  for (const p of paths) {
    const o = p.workload;
    if (p.proxy) {
      if (stacks && !instances.some((i) => i.type === 'google_sql_database_instance' && p.connectionName !== undefined && i.keys.includes(p.connectionName))) {
        findings.push(finding(o, 'join-data', `runs ${CLOUD_SQL_PROXY.containerName} for "${p.connectionName ?? ''}", which no Terraform stack creates`,
          'connect to the instance the cluster stack creates for the app\'s data owner'));
      }
      const inits = containers(o).filter((c) => c.init);
      const proxyAt = inits.findIndex((c) => c.name === CLOUD_SQL_PROXY.containerName);
      const migrateAt = inits.findIndex((c) => c.name === 'migrate');
      if (proxyAt < 0 || p.proxy.body.restartPolicy !== 'Always' || (migrateAt >= 0 && migrateAt < proxyAt)) {
        findings.push(finding(o, 'join-data', `runs ${CLOUD_SQL_PROXY.containerName} other than as a native sidecar before "migrate"`,
          'make it an init container with restartPolicy: Always, listed before migrate'));
      }
      const missing = DATABASE_CONFIG_KEYS.filter((k) => p.config[k] === undefined);
      if (missing.length > 0) {
        findings.push(finding(o, 'join-data', `runs ${CLOUD_SQL_PROXY.containerName}, but its ConfigMap has no ${missing.join(', ')}`,
          'give the app its data settings from the model (dataConfig)'));
      }
      if (!p.egressPorts.has(CLOUD_SQL_PROXY.instancePort)) {
        findings.push(finding(o, 'join-data', `runs ${CLOUD_SQL_PROXY.containerName}, but no NetworkPolicy lets it leave on port ${CLOUD_SQL_PROXY.instancePort}`,
          `open egress to the private services range on ${CLOUD_SQL_PROXY.instancePort}`));
      }
      findings.push(...proxyMeaning(ctx, p, instances.find((i) => i.type === 'google_sql_database_instance' && p.connectionName !== undefined && i.keys.includes(p.connectionName))));
    }
    if ((p.proxy || p.config.REDIS_HOST !== undefined) && !p.egressPorts.has(DNS_PORT)) {
      findings.push(finding(o, 'join-data', `reaches its data by name, but no NetworkPolicy of its namespace lets it leave on port ${DNS_PORT}, so nothing resolves`,
        'keep the namespace\'s allow-dns NetworkPolicy (NamespaceBaseline), which selects every pod'));
    }
    const redisHost = p.config.REDIS_HOST;
    if (redisHost !== undefined) {
      const port = Number(p.config.REDIS_PORT);
      if (p.config.REDIS_PORT === undefined) {
        findings.push(finding(o, 'join-data', 'has REDIS_HOST but no REDIS_PORT in its ConfigMap', 'give the app its data settings from the model (dataConfig)'));
      } else if (!p.egressPorts.has(port)) {
        findings.push(finding(o, 'join-data', `uses Redis on port ${port}, but no NetworkPolicy lets it leave on that port`, `open egress to the private services range on ${port}`));
      }
      if (stacks && !instances.some((i) => i.type === 'google_redis_instance' && i.keys.includes(redisHost))) {
        findings.push(finding(o, 'join-data', `has REDIS_HOST "${redisHost}", which no Terraform DNS record of a Memorystore instance names`,
          'use the cache host the model derives, which the cluster stack records in its private zone'));
      }
    }
  }
  return findings;
}

/**
 * What the proxy's settings mean, not only that they exist: it logs in as the pod's own Google
 * service account, whose IAM database user exists on the instance it connects to; the ConfigMap
 * points at where it listens; it runs with its identity and private-IP flags and a startup probe
 * (else `migrate` races it); in a meshed namespace it runs as Istio's proxy UID; and its way to the
 * Cloud SQL Admin API is private.googleapis.com alone, which its stack resolves.
 */
function proxyMeaning(ctx: RuleContext, p: DataPath, instance: ReturnType<typeof dataInstances>[number] | undefined): Finding[] {
  const o = p.workload;
  const proxy = p.proxy;
  if (proxy === undefined) return [];
  const name = CLOUD_SQL_PROXY.containerName;
  const findings: Finding[] = [];
  const add = (message: string, fix: string): void => { findings.push(finding(o, 'join-data', message, fix)); };

  // Cloud SQL names a service account's user by its email without `.gserviceaccount.com`.
  // https://cloud.google.com/sql/docs/postgres/add-manage-iam-users
  const user = p.config.DATABASE_USER;
  const ownUser = p.serviceAccountEmail?.replace(/\.gserviceaccount\.com$/, '');
  if (user !== undefined && user !== ownUser) {
    add(`has DATABASE_USER "${user}", but its service account acts as ${p.serviceAccountEmail ?? 'no Google service account'}, whose IAM database user is "${ownUser ?? 'none'}"`,
      'give DATABASE_USER the IAM database user of the app\'s own identity (dataConfig, WorkloadIdentity.sqlUser)');
  }
  if (user !== undefined && instance !== undefined && !instance.iamUsers.includes(user)) {
    add(`has DATABASE_USER "${user}", which no CLOUD_IAM_SERVICE_ACCOUNT google_sql_user of instance "${instance.name}" in ${instance.stack.file} names`,
      'grant the app\'s account on the instance it connects to (PostgresDatabase.grantConnect)');
  }

  const flags = proxyFlags(proxy);
  const port = flags.get('port') ?? PROXY_DEFAULTS.port;
  const address = flags.get('address') ?? PROXY_DEFAULTS.address;
  if (p.config.DATABASE_PORT !== undefined && p.config.DATABASE_PORT !== port) {
    add(`has DATABASE_PORT "${p.config.DATABASE_PORT}", but ${name} listens on port ${port}`, 'take DATABASE_PORT and --port from CLOUD_SQL_PROXY.port');
  }
  if (p.config.DATABASE_HOST !== undefined && p.config.DATABASE_HOST !== address) {
    add(`has DATABASE_HOST "${p.config.DATABASE_HOST}", but ${name} listens on ${address}`, 'take DATABASE_HOST and --address from CLOUD_SQL_PROXY.host');
  }
  const missing = REQUIRED_FLAGS.filter((f) => flags.get(f) === undefined || flags.get(f) === 'false');
  if (missing.length > 0) {
    add(`runs ${name} without ${missing.map((f) => `--${f}`).join(', ')}`,
      'keep the flags of cloudSqlProxyContainer: --auto-iam-authn logs in as the pod\'s account, --private-ip stays on the private network');
  }
  if (!isRecord(proxy.body.startupProbe)) {
    add(`runs ${name} without a startupProbe, so "migrate" can start before the proxy listens`,
      'give the proxy the startup probe of cloudSqlProxyContainer (cloud-sql-proxy wait)');
  }
  const uid = runAsUser(o, proxy);
  if (p.meshed && uid !== ISTIO_PROXY_UID) {
    add(`runs ${name} as UID ${uid ?? 'of its image'} in meshed namespace "${namespaceOf(ctx, o)}", so Istio redirects its connections to an Envoy that is not running yet`,
      `run it as UID ${ISTIO_PROXY_UID}, Istio's proxy UID, which Istio never redirects`);
  }

  const https = p.egress.filter((r) => r.ports.includes(CLOUD_SQL_PROXY.adminApiPort));
  const elsewhere = https.flatMap((r) => r.cidrs === undefined ? ['anywhere'] : r.cidrs.filter((c) => c !== PRIVATE_GOOGLE_APIS_CIDR));
  if (!https.some((r) => r.cidrs?.includes(PRIVATE_GOOGLE_APIS_CIDR)) || elsewhere.length > 0) {
    add(`runs ${name}, but its NetworkPolicies open port ${CLOUD_SQL_PROXY.adminApiPort} to ${elsewhere.length > 0 ? elsewhere.join(', ') : 'nowhere'}, not to private.googleapis.com (${PRIVATE_GOOGLE_APIS_CIDR}) alone`,
      `open egress on ${CLOUD_SQL_PROXY.adminApiPort} to PRIVATE_GOOGLE_APIS_CIDR only`);
  }
  if (instance !== undefined && !hasPrivateGoogleApis(instance.stack, cidrAddresses(PRIVATE_GOOGLE_APIS_CIDR))) {
    add(`runs ${name}, but ${instance.stack.file} has no private googleapis.com. zone on its network that sends *.googleapis.com to private.googleapis.com`,
      'create PrivateGoogleAccess in the cluster stack of every cluster that runs a database app');
  }
  return findings;
}
