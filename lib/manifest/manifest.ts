import { asString, at, isRecord, type JsonRecord, strMap } from './json-access';

/** One parsed Kubernetes object: the fields every reader asks for first, read once. */
export interface Manifest {
  /** `apps/v1`; undefined when the object has none. */
  readonly apiVersion?: string;
  readonly kind: string;
  /** `metadata.name`; undefined when the object has none. */
  readonly name?: string;
  /** `metadata.namespace` as written; undefined for cluster-scoped objects and those that leave it to their Application. */
  readonly namespace?: string;
  /** `metadata.labels`, string values only. */
  readonly labels: Readonly<Record<string, string>>;
  /** The whole object, as parsed. */
  readonly body: JsonRecord;
}

/** The object as a {@link Manifest}, or undefined when it is not a mapping with a string `kind`. */
export function toManifest(value: unknown): Manifest | undefined {
  if (!isRecord(value) || typeof value.kind !== 'string') return undefined;
  return {
    apiVersion: asString(value.apiVersion),
    kind: value.kind,
    name: asString(at(value, 'metadata', 'name')),
    namespace: asString(at(value, 'metadata', 'namespace')),
    labels: strMap(at(value, 'metadata', 'labels')),
    body: value,
  };
}

/** The API group of an apiVersion: `argoproj.io` of `argoproj.io/v1alpha1`, empty for the core group (`v1`). */
export function apiGroup(apiVersion: string | undefined): string {
  return apiVersion?.includes('/') === true ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
}
