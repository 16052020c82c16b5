import { ISTIO_INJECTION_LABEL } from '../../k8s/baseline/namespace-baseline';
import { asArray, asString, at, isRecord, type JsonRecord } from '../../manifest/json-access';
import type { Manifest } from '../../manifest/manifest';
import { podSpec } from '../../manifest/workload';
import type { RuleId } from '../../model/rule-ids';
import { outputLayout } from '../../model/output-layout';
import { IN_CLUSTER_SERVER } from '../../model/cluster';

/** One parsed Kubernetes object of the output, and where it is. */
export interface K8sObject extends Manifest {
  readonly file: string;
  /** The file's directory, such as `kubernetes/prod`. */
  readonly dir: string;
  /** `metadata.name`, or `?` when the object has none: findings name every object. */
  readonly name: string;
  /** Its `app.kubernetes.io/name` label, if any: the app whose waivers apply. */
  readonly app?: string;
}

/** One parsed Terraform stack. */
export interface TfStack {
  readonly file: string;
  /** The stack's directory name, such as `bootstrap`. */
  readonly stack: string;
  readonly body: JsonRecord;
}

/** What every rule sees. */
export interface RuleContext {
  readonly files: readonly string[];
  readonly objects: readonly K8sObject[];
  readonly stacks: readonly TfStack[];
  /** Environment names (directories under `kubernetes/`) that are production. */
  readonly productionEnvs: readonly string[];
  /** Images from outside the platform's registry the platform runs on purpose: exactly these references. */
  readonly platformImages: readonly string[];
}

/** A violation as a rule reports it, with the app it belongs to for waivers. */
export interface Finding {
  readonly file: string;
  readonly object: string;
  readonly rule: RuleId;
  readonly message: string;
  readonly fix: string;
  readonly app?: string;
}

export type Rule = (ctx: RuleContext) => Finding[];

/** A Terraform attribute block: cdktf renders nested blocks as objects, HCL JSON may use one-element arrays. */
export function block(v: unknown): JsonRecord | undefined {
  if (Array.isArray(v)) return isRecord(v[0]) ? v[0] : undefined;
  return isRecord(v) ? v : undefined;
}

export function blocks(v: unknown): readonly JsonRecord[] {
  if (Array.isArray(v)) return v.filter(isRecord);
  return isRecord(v) ? [v] : [];
}

export const ref = (o: K8sObject): string => `${o.kind}/${o.name}`;

export function finding(o: K8sObject, rule: RuleId, message: string, fix: string): Finding {
  return { file: o.file, object: ref(o), rule, message, fix, app: o.app };
}

/** Every resource of a type in a stack, as [name, body]. */
export function resources(stack: TfStack, type: string): [string, JsonRecord][] {
  const all = at(stack.body, 'resource', type);
  if (Array.isArray(all)) return all.filter(isRecord).flatMap((o) => Object.entries(o)).filter((e): e is [string, JsonRecord] => isRecord(e[1]));
  return isRecord(all) ? Object.entries(all).filter((e): e is [string, JsonRecord] => isRecord(e[1])) : [];
}

export function tfFinding(stack: TfStack, type: string, name: string, rule: RuleId, message: string, fix: string): Finding {
  return { file: stack.file, object: `${type}.${name}`, rule, message, fix };
}

/** The project of the stack's google provider, for resources that do not name one. */
export function providerProject(stack: TfStack): string | undefined {
  return asString(block(at(stack.body, 'provider', 'google'))?.project);
}

export interface Container {
  readonly name: string;
  readonly init: boolean;
  readonly body: JsonRecord;
}

export function containers(o: K8sObject): Container[] {
  const spec = podSpec(o);
  if (!spec) return [];
  const list = (key: string, init: boolean): Container[] =>
    asArray(spec[key]).filter(isRecord).map((c) => ({ name: asString(c.name) ?? '?', init, body: c }));
  return [...list('initContainers', true), ...list('containers', false)];
}

/** `container "app"` or `init container "migrate"`. */
export const cname = (c: Container): string => `${c.init ? 'init container' : 'container'} "${c.name}"`;

export const workloads = (ctx: RuleContext, dir?: string): K8sObject[] =>
  ctx.objects.filter((o) => podSpec(o) !== undefined && (dir === undefined || o.dir === dir));

/** The environment of a file in an environment's directory, as the output layout reads it. */
export function envOf(o: K8sObject): string | undefined {
  const place = outputLayout.parse(o.file);
  return place?.plane === 'kubernetes' && place.dir === 'environment' ? place.env : undefined;
}

/** Where the ArgoCD Application that syncs a directory applies it. */
interface Destination {
  /** The cluster's server or name; empty when no Application of the output syncs the directory. */
  readonly cluster: string;
  readonly namespace?: string;
}

const destinations = new WeakMap<readonly K8sObject[], ReadonlyMap<string, Destination>>();

/**
 * One name per cluster: the in-cluster address means the cluster of the Argo CD instance whose
 * directory holds the Application (`in-cluster@<instance>`); every other address is global.
 */
export function destinationCluster(application: K8sObject, server: string): string {
  const place = outputLayout.parse(application.file);
  return server === IN_CLUSTER_SERVER && place?.plane === 'kubernetes' && (place.dir === 'argocd' || place.dir === 'bootstrap') ? `in-cluster@${place.instance}` : server;
}

function destinationOf(ctx: RuleContext, dir: string): Destination {
  let byDir = destinations.get(ctx.objects);
  if (!byDir) {
    const map = new Map<string, Destination>();
    for (const a of ctx.objects.filter((o) => o.kind === 'Application')) {
      const dest = at(a.body, 'spec', 'destination');
      const cluster = destinationCluster(a, asString(at(dest, 'server')) ?? asString(at(dest, 'name')) ?? '');
      const sources = [at(a.body, 'spec', 'source'), ...asArray(at(a.body, 'spec', 'sources'))];
      for (const p of sources.map((s) => asString(at(s, 'path'))).filter((p): p is string => p !== undefined)) {
        map.set(p.replace(/\/+$/, ''), { cluster, namespace: asString(at(dest, 'namespace')) });
      }
    }
    byDir = map;
    destinations.set(ctx.objects, byDir);
  }
  return byDir.get(dir) ?? { cluster: '' };
}

/** The namespace an object is applied to: its own, else its Application's destination, else `default`. */
export function namespaceOf(ctx: RuleContext, o: K8sObject): string {
  return o.namespace ?? destinationOf(ctx, o.dir).namespace ?? 'default';
}

/** The cluster an object is applied to (its Application's destination); empty when unknown. */
export function clusterOf(ctx: RuleContext, o: K8sObject): string {
  return destinationOf(ctx, o.dir).cluster;
}

/**
 * The objects of a kind in a namespace of the cluster `o` is applied to (of `o`'s own namespace by
 * default), whatever their directory: two environments, such as canary and prod, can share one
 * namespace, and Argo Rollouts and Istio resolve their references by namespace.
 */
export function inNamespace(ctx: RuleContext, o: K8sObject, kind: string, namespace = namespaceOf(ctx, o)): K8sObject[] {
  const cluster = clusterOf(ctx, o);
  return ctx.objects.filter((x) => x.kind === kind && namespaceOf(ctx, x) === namespace && clusterOf(ctx, x) === cluster);
}

/** The workloads (objects with a pod template) in a namespace of the cluster `o` is applied to. */
export function workloadsInNamespace(ctx: RuleContext, o: K8sObject, namespace = namespaceOf(ctx, o)): K8sObject[] {
  const cluster = clusterOf(ctx, o);
  return ctx.objects.filter((x) => podSpec(x) !== undefined && namespaceOf(ctx, x) === namespace && clusterOf(ctx, x) === cluster);
}

/**
 * Whether a namespace of the cluster `o` is applied to is in the Istio mesh (labelled for sidecar
 * injection): `o`'s own namespace by default, `o` itself for a Namespace. Undefined when the output
 * holds no such Namespace.
 */
export function meshedNamespace(ctx: RuleContext, o: K8sObject, namespace?: string): boolean | undefined {
  const cluster = clusterOf(ctx, o);
  const ns = o.kind === 'Namespace' && namespace === undefined
    ? o
    : ctx.objects.find((n) => n.kind === 'Namespace' && n.name === (namespace ?? namespaceOf(ctx, o)) && clusterOf(ctx, n) === cluster);
  return ns === undefined ? undefined : ns.labels[ISTIO_INJECTION_LABEL.name] === ISTIO_INJECTION_LABEL.value;
}
