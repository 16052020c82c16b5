import { type Track, TRACK_LABEL } from '../model/delivery';

/**
 * The keys of Kubernetes' recommended labels.
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/
 */
export const LABEL_KEYS = {
  name: 'app.kubernetes.io/name',
  instance: 'app.kubernetes.io/instance',
  version: 'app.kubernetes.io/version',
  component: 'app.kubernetes.io/component',
  partOf: 'app.kubernetes.io/part-of',
  managedBy: 'app.kubernetes.io/managed-by',
} as const;

/** The recommended Kubernetes labels every object of an app carries. */
export interface AppLabels {
  /** `app.kubernetes.io/name`: the app, the same in every environment. */
  readonly app: string;
  /** `app.kubernetes.io/instance`: the workload, unique within its namespace. */
  readonly instance: string;
  /** `app.kubernetes.io/part-of`: the platform. */
  readonly partOf: string;
  /** `app.kubernetes.io/version`: the release tag. */
  readonly version: string;
  /**
   * `track`: the Istio subset the pods belong to, when production shares its route with a candidate.
   * @default - no track label
   */
  readonly track?: Track;
}

/** Labels that select an app's pods; they never change for the life of a workload. */
export function selectorLabels(l: AppLabels): Record<string, string> {
  return { [LABEL_KEYS.name]: l.app, [LABEL_KEYS.instance]: l.instance };
}

/**
 * Every label an app's objects carry. The version is left out: it would change every object of the
 * app at each release, and reviewers would have to find the image change among them.
 */
export function appLabels(l: AppLabels): Record<string, string> {
  return {
    ...selectorLabels(l),
    [LABEL_KEYS.partOf]: l.partOf,
    [LABEL_KEYS.managedBy]: 'platform-synth',
  };
}

/** The labels of an app's pods: its labels, the version they run and their track. */
export function podLabels(l: AppLabels): Record<string, string> {
  return { ...appLabels(l), [LABEL_KEYS.version]: l.version, ...(l.track ? { [TRACK_LABEL]: l.track } : {}) };
}
