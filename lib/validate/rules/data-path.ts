import { asArray, asString, at, strMap } from '../../manifest/json-access';
import { labelSelectorMatches } from '../../manifest/label-selector';
import { podLabels } from '../../manifest/workload';
import { CLOUD_SQL_PROXY } from '../../model/cloud-sql-proxy';
import { block, containers, type Container, type K8sObject, providerProject, resources, type RuleContext, type TfStack, workloads } from './types';

/** A workload's way to its data, read from the output: the proxy, its ConfigMap, its egress. */
export interface DataPath {
  readonly workload: K8sObject;
  /** The Cloud SQL Auth Proxy container, wherever it is. */
  readonly proxy?: Container;
  /** The instance connection name the proxy is given (its one positional argument). */
  readonly connectionName?: string;
  /** The data of the ConfigMaps its containers read, merged. */
  readonly config: Readonly<Record<string, string>>;
  /** TCP ports its NetworkPolicies open for egress. */
  readonly egressPorts: ReadonlySet<number>;
}

/** The data path of every workload of the output. */
export function dataPaths(ctx: RuleContext): DataPath[] {
  return workloads(ctx).map((w) => {
    const all = containers(w);
    const proxy = all.find((c) => c.name === CLOUD_SQL_PROXY.containerName);
    const positional = asArray(proxy?.body.args).map((a) => asString(a) ?? '').filter((a) => a !== '' && !a.startsWith('-'));
    const names = new Set(all.flatMap((c) => asArray(c.body.envFrom).map((e) => asString(at(e, 'configMapRef', 'name'))).filter((n): n is string => n !== undefined)));
    const config = Object.assign({}, ...ctx.objects
      .filter((o) => o.kind === 'ConfigMap' && o.dir === w.dir && names.has(o.name))
      .map((o) => strMap(o.body.data))) as Record<string, string>;
    const labels = podLabels(w);
    const egressPorts = new Set(ctx.objects
      .filter((o) => o.kind === 'NetworkPolicy' && sameNamespace(o, w) && labelSelectorMatches(at(o.body, 'spec', 'podSelector'), labels))
      .flatMap((o) => asArray(at(o.body, 'spec', 'egress')))
      .flatMap((rule) => asArray(at(rule, 'ports')).map((p) => at(p, 'port')))
      .filter((p): p is number => typeof p === 'number'));
    return { workload: w, proxy, connectionName: positional[positional.length - 1], config, egressPorts };
  });
}

function sameNamespace(a: K8sObject, b: K8sObject): boolean {
  return asString(at(a.body, 'metadata', 'namespace')) === asString(at(b.body, 'metadata', 'namespace'));
}

/** A Cloud SQL instance or Memorystore instance a stack creates. */
export interface DataInstance {
  readonly stack: TfStack;
  readonly type: 'google_sql_database_instance' | 'google_redis_instance';
  readonly address: string;
  readonly name: string;
  /** `PROJECT:REGION:NAME` for Cloud SQL; the names of the DNS records that point at it for Redis. */
  readonly keys: readonly string[];
}

/** Every data instance the output's stacks create, with what a workload names it by. */
export function dataInstances(ctx: RuleContext): DataInstance[] {
  return ctx.stacks.flatMap((s): DataInstance[] => {
    const provider = block(at(s.body, 'provider', 'google'));
    const sql = resources(s, 'google_sql_database_instance').map(([address, r]): DataInstance => {
      const name = asString(r.name) ?? address;
      const project = asString(r.project) ?? providerProject(s);
      const region = asString(r.region) ?? asString(provider?.region);
      return { stack: s, type: 'google_sql_database_instance', address, name, keys: [`${project}:${region}:${name}`] };
    });
    const records = resources(s, 'google_dns_record_set');
    const redis = resources(s, 'google_redis_instance').map(([address, r]): DataInstance => {
      const ref = `\${google_redis_instance.${address}.host}`;
      const hosts = records
        .filter(([, rec]) => asArray(rec.rrdatas).includes(ref))
        .map(([, rec]) => (asString(rec.name) ?? '').replace(/\.$/, ''));
      return { stack: s, type: 'google_redis_instance', address, name: asString(r.name) ?? address, keys: hosts };
    });
    return [...sql, ...redis];
  });
}
