import { type AppLabels, appLabels } from '../labels';

/** The metadata every object of an app's workload carries. */
export interface AppObjectMetadata {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

/** The metadata of one of an app's objects: its name, the app's labels and, when given, annotations. */
export function appMetadata(name: string, labels: AppLabels, annotations?: Readonly<Record<string, string>>): AppObjectMetadata {
  return { name, labels: appLabels(labels), annotations: annotations ? { ...annotations } : undefined };
}
