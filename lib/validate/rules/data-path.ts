import { asArray, asString, at, strMap } from '../../manifest/json-access';
import { labelSelectorMatches } from '../../manifest/label-selector';
import { podLabels, podSpec } from '../../manifest/workload';
import { parseCidr } from '../../model/cidr';
import { CLOUD_SQL_PROXY } from '../../model/cloud-sql-proxy';
import { WORKLOAD_IDENTITY_ANNOTATION } from '../../model/workload-identity';
import { block, blocks, clusterOf, type Container, containers, type K8sObject, meshedNamespace, namespaceOf, providerProject, resources, type RuleContext, type TfStack, workloads } from './types';

/** One egress rule of a NetworkPolicy that selects the pod: its TCP/UDP port numbers and where it goes. */
export interface EgressRule {
  readonly ports: readonly number[];
  /** The `ipBlock` CIDRs it allows; `undefined` when it allows any destination (no `to`). */
  readonly cidrs?: readonly string[];
}

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
  /** The egress rules of the NetworkPolicies of its namespace that select its pods. */
  readonly egress: readonly EgressRule[];
  /** The `iam.gke.io/gcp-service-account` annotation of its Kubernetes service account. */
  readonly serviceAccountEmail?: string;
  /** Its namespace has `istio-injection: enabled`. */
  readonly meshed: boolean;
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
    const rules = ctx.objects
      .filter((o) => o.kind === 'NetworkPolicy' && sameNamespace(o, w) && labelSelectorMatches(at(o.body, 'spec', 'podSelector'), labels))
      .flatMap((o) => asArray(at(o.body, 'spec', 'egress')));
    const egress = rules.map((rule): EgressRule => {
      const to = asArray(at(rule, 'to'));
      return {
        ports: asArray(at(rule, 'ports')).map((p) => at(p, 'port')).filter((p): p is number => typeof p === 'number'),
        cidrs: to.length === 0 ? undefined : to.map((t) => asString(at(t, 'ipBlock', 'cidr')) ?? '').filter((c) => c !== ''),
      };
    });
    const egressPorts = new Set(egress.flatMap((r) => r.ports));
    const spec = podSpec(w);
    const ksaName = asString(at(spec, 'serviceAccountName')) ?? 'default';
    const ns = namespaceOf(ctx, w);
    const cluster = clusterOf(ctx, w);
    const ksa = ctx.objects.find((o) => o.kind === 'ServiceAccount' && o.name === ksaName && namespaceOf(ctx, o) === ns && clusterOf(ctx, o) === cluster);
    return {
      workload: w, proxy, connectionName: positional[positional.length - 1], config, egressPorts, egress,
      serviceAccountEmail: asString(at(ksa?.body, 'metadata', 'annotations', WORKLOAD_IDENTITY_ANNOTATION)),
      meshed: meshedNamespace(ctx, w) === true,
    };
  });
}

/** The proxy's `--flag=value` and `--flag` arguments, by flag name without the dashes. */
export function proxyFlags(proxy: Container): ReadonlyMap<string, string> {
  const flags = new Map<string, string>();
  for (const arg of asArray(proxy.body.args).map((a) => asString(a) ?? '').filter((a) => a.startsWith('--'))) {
    const eq = arg.indexOf('=');
    flags.set(eq < 0 ? arg.slice(2) : arg.slice(2, eq), eq < 0 ? 'true' : arg.slice(eq + 1));
  }
  return flags;
}

/** The UID a container runs as: its own securityContext's, else its pod's. */
export function runAsUser(w: K8sObject, c: Container): number | undefined {
  const own = at(c.body, 'securityContext', 'runAsUser');
  if (typeof own === 'number') return own;
  const pod = at(podSpec(w), 'securityContext', 'runAsUser');
  return typeof pod === 'number' ? pod : undefined;
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
  /** Cloud SQL: the names of its `CLOUD_IAM_SERVICE_ACCOUNT` users. */
  readonly iamUsers: readonly string[];
  /** Cloud SQL: it has the database flag `cloudsql.iam_authentication` set to `on`. */
  readonly iamAuthentication: boolean;
}

/** Every data instance the output's stacks create, with what a workload names it by. */
export function dataInstances(ctx: RuleContext): DataInstance[] {
  return ctx.stacks.flatMap((s): DataInstance[] => {
    const provider = block(at(s.body, 'provider', 'google'));
    const users = resources(s, 'google_sql_user').filter(([, u]) => u.type === 'CLOUD_IAM_SERVICE_ACCOUNT');
    const sql = resources(s, 'google_sql_database_instance').map(([address, r]): DataInstance => {
      const name = asString(r.name) ?? address;
      const project = asString(r.project) ?? providerProject(s);
      const region = asString(r.region) ?? asString(provider?.region);
      const iamUsers = users
        .filter(([, u]) => u.instance === `\${google_sql_database_instance.${address}.name}` || u.instance === name)
        .map(([, u]) => asString(u.name) ?? '');
      const iamAuthentication = blocks(block(r.settings)?.database_flags)
        .some((f) => f.name === 'cloudsql.iam_authentication' && f.value === 'on');
      return { stack: s, type: 'google_sql_database_instance', address, name, keys: [`${project}:${region}:${name}`], iamUsers, iamAuthentication };
    });
    const records = resources(s, 'google_dns_record_set');
    const redis = resources(s, 'google_redis_instance').map(([address, r]): DataInstance => {
      const ref = `\${google_redis_instance.${address}.host}`;
      const hosts = records
        .filter(([, rec]) => asArray(rec.rrdatas).includes(ref))
        .map(([, rec]) => (asString(rec.name) ?? '').replace(/\.$/, ''));
      return { stack: s, type: 'google_redis_instance', address, name: asString(r.name) ?? address, keys: hosts, iamUsers: [], iamAuthentication: false };
    });
    return [...sql, ...redis];
  });
}

/**
 * The stack resolves Google APIs to `private.googleapis.com` on its own network: a private
 * `googleapis.com.` zone visible to one of its `google_compute_network`s, with `A
 * private.googleapis.com.` → every address of `range` and `CNAME *.googleapis.com.` → it.
 * @see https://cloud.google.com/vpc/docs/configure-private-google-access#config-domain
 */
export function hasPrivateGoogleApis(s: TfStack, addresses: readonly string[]): boolean {
  const records = resources(s, 'google_dns_record_set');
  return resources(s, 'google_dns_managed_zone').some(([address, z]) => {
    const onNetwork = asString(z.visibility) === 'private' && blocks(block(z.private_visibility_config)?.networks)
      .some((n) => (asString(n.network_url) ?? '').startsWith('${google_compute_network.'));
    const inZone = records.filter(([, r]) => r.managed_zone === `\${google_dns_managed_zone.${address}.name}` || r.managed_zone === z.name);
    const a = inZone.some(([, r]) => r.name === 'private.googleapis.com.' && r.type === 'A'
      && addresses.every((ip) => asArray(r.rrdatas).includes(ip)));
    const cname = inZone.some(([, r]) => r.name === '*.googleapis.com.' && r.type === 'CNAME' && asArray(r.rrdatas).includes('private.googleapis.com.'));
    return z.dns_name === 'googleapis.com.' && onNetwork && a && cname;
  });
}

/** Every address of an IPv4 CIDR, dotted (for the small ranges of Google's private endpoints). */
export function cidrAddresses(text: string): string[] {
  const range = parseCidr(text);
  const out: string[] = [];
  for (let a = range?.first ?? 1; a <= (range?.last ?? 0); a++) out.push([24, 16, 8, 0].map((shift) => Math.floor(a / 2 ** shift) % 256).join('.'));
  return out;
}
