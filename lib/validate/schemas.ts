/**
 * Validates Kubernetes objects against their upstream OpenAPI and CRD schemas, through the
 * kubernetes-models packages: `kubernetes-models` for the core kinds and `@kubernetes-models/*` for
 * cert-manager, External Secrets, the Prometheus Operator, Argo CD, Argo Rollouts, Istio and GKE.
 *
 * Each group/version's module is loaded the first time an object of that apiVersion is checked, so
 * a caller that validates only core kinds never loads Istio. The modules are loaded with a
 * synchronous `require` of a literal path, which both runners of this code resolve through the
 * packages' "import" condition: jest (jest.resolver.js) and the esbuild bundle of scripts/run.js.
 * This module is not for the synth path, which uses these packages for types only.
 */

import { isRecord } from '../manifest/json-access';
import { toManifest } from '../manifest/manifest';

/** One thing wrong with an object. */
export interface SchemaIssue {
  /**
   * `schema`: the object breaks its schema. `unregistered`: no schema is known for its apiVersion
   * and kind. `malformed`: it is not an object with a string apiVersion and kind.
   */
  readonly type: 'schema' | 'unregistered' | 'malformed';
  /** Where, as a JSON pointer into the object (`/spec/replicas`); empty for the whole object. */
  readonly path: string;
  /** What is wrong, where included: `spec/replicas must be integer`. */
  readonly message: string;
}

/** A kubernetes-models class: a top-level kind with its schema's validate function. */
interface ModelClass {
  new (data: object): { validate(): void };
  readonly apiVersion: string;
  readonly kind: string;
}

type ModuleLoader = () => unknown;

/**
 * The modules that hold the models of each apiVersion, in lookup order. A later module is loaded
 * only for a kind the earlier ones lack.
 */
const SOURCES: Readonly<Record<string, readonly ModuleLoader[]>> = {
  v1: [() => require('kubernetes-models/v1')],
  'apps/v1': [() => require('kubernetes-models/apps/v1')],
  'autoscaling/v2': [() => require('kubernetes-models/autoscaling/v2')],
  'batch/v1': [() => require('kubernetes-models/batch/v1')],
  'policy/v1': [() => require('kubernetes-models/policy/v1')],
  'networking.k8s.io/v1': [() => require('kubernetes-models/networking.k8s.io/v1')],
  'rbac.authorization.k8s.io/v1': [() => require('kubernetes-models/rbac.authorization.k8s.io/v1')],
  'cert-manager.io/v1': [() => require('@kubernetes-models/cert-manager/cert-manager.io/v1')],
  'external-secrets.io/v1': [() => require('@kubernetes-models/external-secrets/external-secrets.io/v1')],
  'external-secrets.io/v1beta1': [() => require('@kubernetes-models/external-secrets/external-secrets.io/v1beta1')],
  'monitoring.coreos.com/v1': [() => require('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1')],
  'monitoring.coreos.com/v1alpha1': [() => require('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1')],
  // Argo CD and Argo Rollouts share this group and version.
  'argoproj.io/v1alpha1': [
    () => require('@kubernetes-models/argo-cd/argoproj.io/v1alpha1'),
    () => require('@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1'),
  ],
  'networking.istio.io/v1': [() => require('@kubernetes-models/istio/networking.istio.io/v1')],
  'networking.istio.io/v1beta1': [() => require('@kubernetes-models/istio/networking.istio.io/v1beta1')],
  // PeerAuthentication and AuthorizationPolicy.
  'security.istio.io/v1': [() => require('@kubernetes-models/istio/security.istio.io/v1')],
  // GKE's FrontendConfig (HTTP to HTTPS redirect), ManagedCertificate and BackendConfig.
  'networking.gke.io/v1beta1': [() => require('@kubernetes-models/gke/networking.gke.io/v1beta1')],
  'networking.gke.io/v1': [() => require('@kubernetes-models/gke/networking.gke.io/v1')],
  'cloud.google.com/v1': [() => require('@kubernetes-models/gke/cloud.google.com/v1')],
};

/** The kinds each loaded module defines, by kind. */
const loaded = new Map<ModuleLoader, ReadonlyMap<string, ModelClass>>();
const loadedVersions = new Set<string>();

/** Every apiVersion with a registered module, sorted. */
export function registeredApiVersions(): string[] {
  return Object.keys(SOURCES).sort();
}

/** The apiVersions whose modules this process has loaded so far, sorted. */
export function loadedApiVersions(): string[] {
  return [...loadedVersions].sort();
}

/** Whether a schema is registered for the apiVersion and kind. Loads that group/version. */
export function isRegistered(apiVersion: string, kind: string): boolean {
  return modelFor(apiVersion, kind) !== undefined;
}

/**
 * Checks one object, as parsed from YAML or made by `chart.toJson()`, against the schema of its
 * apiVersion and kind. Returns no issue when the object is valid.
 */
export function validateObject(obj: unknown): SchemaIssue[] {
  if (!isRecord(obj) || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') {
    return [{ type: 'malformed', path: '', message: 'object must be a mapping with a string apiVersion and kind' }];
  }
  const { apiVersion, kind } = obj;
  const Model = modelFor(apiVersion, kind);
  if (!Model) {
    return [
      {
        type: 'unregistered',
        path: '',
        message: `unknown apiVersion/kind ${apiVersion}/${kind}: no schema is registered; fix: add its kubernetes-models module to lib/validate/schemas.ts`,
      },
    ];
  }
  try {
    new Model(obj).validate();
    return [];
  } catch (error) {
    const errors = ajvErrors(error);
    if (!errors) throw error;
    return summarize(errors);
  }
}

/** An issue and the object it was found in. */
export interface ObjectIssue extends SchemaIssue {
  /** `Kind/name`, or the object's position when it has neither. */
  readonly object: string;
}

/** Checks many objects, such as every object of a chart (`Testing.synth(chart)`). */
export function validateObjects(objects: Iterable<unknown>): ObjectIssue[] {
  const issues: ObjectIssue[] = [];
  let index = 0;
  for (const obj of objects) {
    const object = describeObject(obj, index++);
    for (const issue of validateObject(obj)) issues.push({ object, ...issue });
  }
  return issues;
}

function describeObject(obj: unknown, index: number): string {
  const m = toManifest(obj);
  return m?.name !== undefined ? `${m.kind}/${m.name}` : `object #${index}`;
}

function modelFor(apiVersion: string, kind: string): ModelClass | undefined {
  // Own keys only: an apiVersion such as "constructor" must not reach Object.prototype.
  const loaders = Object.hasOwn(SOURCES, apiVersion) ? SOURCES[apiVersion] : [];
  for (const load of loaders) {
    const model = kindsOf(load, apiVersion).get(kind);
    if (model) return model;
  }
  return undefined;
}

function kindsOf(load: ModuleLoader, apiVersion: string): ReadonlyMap<string, ModelClass> {
  const cached = loaded.get(load);
  if (cached) return cached;
  const kinds = new Map<string, ModelClass>();
  const mod = load();
  // A module exports each class twice (`Deployment`, `IoK8sApiAppsV1Deployment`); nested types
  // such as `DeploymentSpec` carry no static apiVersion and are skipped.
  for (const value of isRecord(mod) ? Object.values(mod) : []) {
    if (isModelClass(value) && value.apiVersion === apiVersion) kinds.set(value.kind, value);
  }
  loaded.set(load, kinds);
  loadedVersions.add(apiVersion);
  return kinds;
}

function isModelClass(value: unknown): value is ModelClass {
  return (
    typeof value === 'function' &&
    'apiVersion' in value &&
    typeof value.apiVersion === 'string' &&
    'kind' in value &&
    typeof value.kind === 'string'
  );
}

/** The part of an ajv error object this module reads. */
interface AjvError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly message: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/** The ajv errors of the kubernetes-models ValidationError; undefined for any other exception. */
function ajvErrors(error: unknown): AjvError[] | undefined {
  if (!isRecord(error)) return undefined;
  const list = error.errors;
  if (!Array.isArray(list)) return undefined;
  const items: readonly unknown[] = list;
  return items.filter(isRecord).map((e) => ({
    instancePath: typeof e.instancePath === 'string' ? e.instancePath : '',
    keyword: typeof e.keyword === 'string' ? e.keyword : '',
    message: typeof e.message === 'string' ? e.message : `fails the ${String(e.keyword)} rule`,
    params: isRecord(e.params) ? e.params : {},
  }));
}

/** A finding before it is written as a message: its place and what is wrong there. */
interface Finding {
  readonly path: string;
  readonly text: string;
}

/**
 * Turns ajv's errors into one issue per finding. The errors of the branches of an anyOf or oneOf
 * come just before its own error; they are folded into it, so an IntOrString reads
 * `limits/cpu must be number or must match format "quantity"`.
 */
function summarize(errors: readonly AjvError[]): SchemaIssue[] {
  const findings: Finding[] = [];
  for (const error of errors) {
    if (error.keyword === 'anyOf' || error.keyword === 'oneOf') {
      const branches: Finding[] = [];
      while (findings.length > 0 && isWithin(findings[findings.length - 1].path, error.instancePath)) {
        branches.unshift(findings.pop() as Finding);
      }
      const texts = unique(branches.map((b) => (b.path === error.instancePath ? b.text : `${b.path.slice(error.instancePath.length + 1)} ${b.text}`)));
      findings.push({ path: error.instancePath, text: texts.length > 0 ? texts.join(' or ') : error.message });
      continue;
    }
    findings.push({ path: error.instancePath, text: describe(error) });
  }
  const seen = new Set<string>();
  const issues: SchemaIssue[] = [];
  for (const f of findings) {
    const message = `${f.path === '' ? 'object' : f.path.slice(1)} ${f.text}`;
    if (seen.has(message)) continue;
    seen.add(message);
    issues.push({ type: 'schema', path: f.path, message });
  }
  return issues;
}

function describe(error: AjvError): string {
  if (error.keyword === 'enum' && Array.isArray(error.params.allowedValues)) {
    const allowed: readonly unknown[] = error.params.allowedValues;
    return `${error.message}: ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return error.message;
}

function isWithin(path: string, parent: string): boolean {
  return path === parent || path.startsWith(`${parent}/`);
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
