import { CLOUD_SQL_PROXY } from '../../model/cloud-sql-proxy';
import { dataInstances, dataPaths } from './data-path';
import { containers, finding, type Finding, type RuleContext, tfFinding } from './types';

const DATABASE_KEYS = ['DATABASE_HOST', 'DATABASE_PORT', 'DATABASE_NAME', 'DATABASE_USER'] as const;

/**
 * Apps reach their data, and no data instance is orphaned. Every Cloud SQL instance a stack creates
 * is the connection name of some workload's Cloud SQL Auth Proxy, and every Memorystore instance is
 * some workload's REDIS_HOST (the name of the DNS record that points at it). Every workload that runs
 * the proxy names an instance some stack creates, runs it as a native sidecar (an init container
 * with `restartPolicy: Always`) before `migrate`, gets DATABASE_HOST/PORT/NAME/USER from its
 * ConfigMap, and may leave on the instance port 3307; one with REDIS_HOST also has REDIS_PORT, a
 * Redis DNS name some stack creates, and may leave on that port. The Terraform checks are skipped
 * when the output holds no stack.
 */
export function joinData(ctx: RuleContext): Finding[] {
  const paths = dataPaths(ctx);
  const instances = dataInstances(ctx);
  const stacks = ctx.stacks.length > 0;
  const findings: Finding[] = [];

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
      const missing = DATABASE_KEYS.filter((k) => p.config[k] === undefined);
      if (missing.length > 0) {
        findings.push(finding(o, 'join-data', `runs ${CLOUD_SQL_PROXY.containerName}, but its ConfigMap has no ${missing.join(', ')}`,
          'give the app its data settings from the model (dataConfig)'));
      }
      if (!p.egressPorts.has(CLOUD_SQL_PROXY.instancePort)) {
        findings.push(finding(o, 'join-data', `runs ${CLOUD_SQL_PROXY.containerName}, but no NetworkPolicy lets it leave on port ${CLOUD_SQL_PROXY.instancePort}`,
          `open egress to the private services range on ${CLOUD_SQL_PROXY.instancePort}`));
      }
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
