import { LABEL_KEYS } from '../../k8s/labels';
import { strMap } from '../../manifest/json-access';
import { isScaledWorkload, podLabels } from '../../manifest/workload';
import { gcpNaming } from '../../model/gcp-resources';
import { CLOUD_SQL_PROXY } from '../../model/cloud-sql-proxy';
import { type Track, TRACK_LABEL } from '../../model/delivery';
import { dataInstances, dataPaths } from './data-path';
import { envOf, finding, type Finding, type RuleContext } from './types';

const CANARY: Track = 'canary';

/**
 * The canary serves production's users, so it uses production's data: a canary-track workload (pod
 * label `track=canary`) connects to the same Cloud SQL instance and the same Redis host as the
 * stable workload of its app in its namespace, and no stack creates a data instance under the
 * canary's own name (`<app>-<canary env>`).
 */
export function canaryData(ctx: RuleContext): Finding[] {
  const paths = dataPaths(ctx);
  const instances = dataInstances(ctx);
  return paths.flatMap((p): Finding[] => {
    const o = p.workload;
    const labels = podLabels(o);
    if (labels[TRACK_LABEL] !== CANARY) return [];
    const app = labels[LABEL_KEYS.name];
    const ns = strMap(o.body.metadata).namespace;
    // The app's serving workload: its CronJobs (production's backup jobs, docs/backups.md) run no proxy.
    const stable = paths.find((s) => s !== p && isScaledWorkload(s.workload) && podLabels(s.workload)[LABEL_KEYS.name] === app && podLabels(s.workload)[TRACK_LABEL] !== CANARY
      && strMap(s.workload.body.metadata).namespace === ns);
    const findings: Finding[] = [];
    if (stable) {
      if (p.connectionName !== stable.connectionName) {
        findings.push(finding(o, 'canary-data', `connects ${CLOUD_SQL_PROXY.containerName} to "${p.connectionName ?? 'none'}", but production's ${stable.workload.kind}/${stable.workload.name} uses "${stable.connectionName ?? 'none'}"`,
          'give the canary environment production as its data owner: it serves production\'s users'));
      }
      if (p.config.REDIS_HOST !== stable.config.REDIS_HOST) {
        findings.push(finding(o, 'canary-data', `has REDIS_HOST "${p.config.REDIS_HOST ?? 'none'}", but production's ${stable.workload.kind}/${stable.workload.name} has "${stable.config.REDIS_HOST ?? 'none'}"`,
          'give the canary environment production as its data owner: it serves production\'s users'));
      }
    }
    const env = envOf(o);
    const own = app !== undefined && env !== undefined ? gcpNaming.appResource(app, env) : undefined;
    for (const i of instances.filter((x) => x.name === own)) {
      findings.push(finding(o, 'canary-data', `has its own ${i.type === 'google_sql_database_instance' ? 'Cloud SQL' : 'Memorystore'} instance "${i.name}" in ${i.stack.file} (${i.type}.${i.address})`,
        'create no data instance for the canary: it uses production\'s'));
    }
    return findings;
  });
}
