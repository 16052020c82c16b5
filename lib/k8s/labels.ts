import { type Track, TRACK_LABEL } from '../model/delivery';

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
  return { 'app.kubernetes.io/name': l.app, 'app.kubernetes.io/instance': l.instance };
}

/**
 * Every label an app's objects carry. The version is left out: it would change every object of the
 * app at each release, and reviewers would have to find the image change among them.
 */
export function appLabels(l: AppLabels): Record<string, string> {
  return {
    ...selectorLabels(l),
    'app.kubernetes.io/part-of': l.partOf,
    'app.kubernetes.io/managed-by': 'platform-synth',
  };
}

/** The labels of an app's pods: its labels, the version they run and their track. */
export function podLabels(l: AppLabels): Record<string, string> {
  return { ...appLabels(l), 'app.kubernetes.io/version': l.version, ...(l.track ? { [TRACK_LABEL]: l.track } : {}) };
}
