import type { RuleId } from '../../model/rule-ids';
import { outputLayout } from '../../model/output-layout';

/** A JSON-like object. */
export type Obj = Readonly<Record<string, unknown>>;

/** One parsed Kubernetes object of the output. */
export interface K8sObject {
  readonly file: string;
  /** The file's directory, such as `kubernetes/prod`. */
  readonly dir: string;
  readonly kind: string;
  readonly name: string;
  /** Its `app.kubernetes.io/name` label, if any. */
  readonly app?: string;
  readonly body: Obj;
}

/** One parsed Terraform stack. */
export interface TfStack {
  readonly file: string;
  /** The stack's directory name, such as `bootstrap`. */
  readonly stack: string;
  readonly body: Obj;
}

/** What every rule sees. */
export interface RuleContext {
  readonly files: readonly string[];
  readonly objects: readonly K8sObject[];
  readonly stacks: readonly TfStack[];
  /** Environment names (directories under `kubernetes/`) that are production. */
  readonly productionEnvs: readonly string[];
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

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value at a path of keys and indexes, or undefined. */
export function at(v: unknown, ...keys: readonly (string | number)[]): unknown {
  let cur: unknown = v;
  for (const k of keys) {
    if (typeof k === 'number') cur = Array.isArray(cur) ? cur[k] : undefined;
    else cur = isObj(cur) ? cur[k] : undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

export function arr(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function strMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isObj(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

/** A Terraform attribute block: cdktf renders nested blocks as objects, HCL JSON may use one-element arrays. */
export function block(v: unknown): Obj | undefined {
  if (Array.isArray(v)) return isObj(v[0]) ? v[0] : undefined;
  return isObj(v) ? v : undefined;
}

export function blocks(v: unknown): readonly Obj[] {
  if (Array.isArray(v)) return v.filter(isObj);
  return isObj(v) ? [v] : [];
}

export const ref = (o: K8sObject): string => `${o.kind}/${o.name}`;

export function finding(o: K8sObject, rule: RuleId, message: string, fix: string): Finding {
  return { file: o.file, object: ref(o), rule, message, fix, app: o.app };
}

/** Every resource of a type in a stack, as [name, body]. */
export function resources(stack: TfStack, type: string): [string, Obj][] {
  const all = at(stack.body, 'resource', type);
  if (Array.isArray(all)) return all.filter(isObj).flatMap((o) => Object.entries(o)).filter((e): e is [string, Obj] => isObj(e[1]));
  return isObj(all) ? Object.entries(all).filter((e): e is [string, Obj] => isObj(e[1])) : [];
}

export function tfFinding(stack: TfStack, type: string, name: string, rule: RuleId, message: string, fix: string): Finding {
  return { file: stack.file, object: `${type}.${name}`, rule, message, fix };
}

/** The project of the stack's google provider, for resources that do not name one. */
export function providerProject(stack: TfStack): string | undefined {
  return str(block(at(stack.body, 'provider', 'google'))?.project);
}

/** Kinds with a pod template; an Argo Rollout is a Deployment with another update strategy. */
export const WORKLOAD_KINDS = ['Deployment', 'Rollout', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob'];

/** The pod template spec of a workload, if it is one. */
export function podSpec(o: K8sObject): Obj | undefined {
  if (!WORKLOAD_KINDS.includes(o.kind)) return undefined;
  const spec = o.kind === 'CronJob' ? at(o.body, 'spec', 'jobTemplate', 'spec', 'template', 'spec') : at(o.body, 'spec', 'template', 'spec');
  return isObj(spec) ? spec : undefined;
}

export function podLabels(o: K8sObject): Record<string, string> {
  return strMap(o.kind === 'CronJob' ? at(o.body, 'spec', 'jobTemplate', 'spec', 'template', 'metadata', 'labels') : at(o.body, 'spec', 'template', 'metadata', 'labels'));
}

export interface Container {
  readonly name: string;
  readonly init: boolean;
  readonly body: Obj;
}

export function containers(o: K8sObject): Container[] {
  const spec = podSpec(o);
  if (!spec) return [];
  const list = (key: string, init: boolean): Container[] =>
    arr(spec[key]).filter(isObj).map((c) => ({ name: str(c.name) ?? '?', init, body: c }));
  return [...list('initContainers', true), ...list('containers', false)];
}

/** `container "app"` or `init container "migrate"`. */
export const cname = (c: Container): string => `${c.init ? 'init container' : 'container'} "${c.name}"`;

/** True when every label of the selector is on the pod labels (an empty selector matches nothing). */
export function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const keys = Object.keys(selector);
  return keys.length > 0 && keys.every((k) => labels[k] === selector[k]);
}

export const workloads = (ctx: RuleContext, dir?: string): K8sObject[] =>
  ctx.objects.filter((o) => podSpec(o) !== undefined && (dir === undefined || o.dir === dir));

/** The environment of a file in an environment's directory, as the output layout reads it. */
export function envOf(o: K8sObject): string | undefined {
  const place = outputLayout.parse(o.file);
  return place?.plane === 'kubernetes' && place.dir === 'environment' ? place.env : undefined;
}

/** The API group of an apiVersion: `argoproj.io` of `argoproj.io/v1alpha1`, empty for the core group. */
export function apiGroup(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
}

/**
 * True when a Kubernetes LabelSelector (`matchLabels` and `matchExpressions`) matches the labels.
 * Unlike {@link selects}, an empty selector matches everything, as in a NetworkPolicy podSelector.
 */
export function labelSelectorMatches(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  if (!isObj(selector)) return false;
  const byLabel = Object.entries(strMap(selector.matchLabels)).every(([k, v]) => labels[k] === v);
  return byLabel && arr(selector.matchExpressions).every((e) => {
    const key = str(at(e, 'key')) ?? '';
    const values = arr(at(e, 'values'));
    const has = Object.hasOwn(labels, key);
    switch (at(e, 'operator')) {
      case 'In': return has && values.includes(labels[key]);
      case 'NotIn': return !has || !values.includes(labels[key]);
      case 'Exists': return has;
      case 'DoesNotExist': return !has;
      default: return false;
    }
  });
}

/** Where the ArgoCD Application that syncs a directory applies it. */
interface Destination {
  /** The cluster's server or name; empty when no Application of the output syncs the directory. */
  readonly cluster: string;
  readonly namespace?: string;
}

const destinations = new WeakMap<readonly K8sObject[], ReadonlyMap<string, Destination>>();

function destinationOf(ctx: RuleContext, dir: string): Destination {
  let byDir = destinations.get(ctx.objects);
  if (!byDir) {
    const map = new Map<string, Destination>();
    for (const a of ctx.objects.filter((o) => o.kind === 'Application')) {
      const dest = at(a.body, 'spec', 'destination');
      const cluster = str(at(dest, 'server')) ?? str(at(dest, 'name')) ?? '';
      const sources = [at(a.body, 'spec', 'source'), ...arr(at(a.body, 'spec', 'sources'))];
      for (const p of sources.map((s) => str(at(s, 'path'))).filter((p): p is string => p !== undefined)) {
        map.set(p.replace(/\/+$/, ''), { cluster, namespace: str(at(dest, 'namespace')) });
      }
    }
    byDir = map;
    destinations.set(ctx.objects, byDir);
  }
  return byDir.get(dir) ?? { cluster: '' };
}

/** The namespace an object is applied to: its own, else its Application's destination, else `default`. */
export function namespaceOf(ctx: RuleContext, o: K8sObject): string {
  return str(at(o.body, 'metadata', 'namespace')) ?? destinationOf(ctx, o.dir).namespace ?? 'default';
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
