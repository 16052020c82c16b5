import { ApiObject } from 'cdk8s';
import { type Construct } from 'constructs';

/** A Kubernetes object as the kubernetes-models packages type it: apiVersion, kind, metadata, body. */
export interface TypedManifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
}

/**
 * A cdk8s ApiObject built from a kubernetes-models interface (`IApplication`, `IRollout`, ...), so
 * custom resources are as strictly typed as the core kinds and validate against the same upstream
 * schemas in the tests.
 */
export class ModelObject<T extends TypedManifest> extends ApiObject {
  constructor(scope: Construct, id: string, manifest: T) {
    const { apiVersion, kind, metadata, ...body } = manifest;
    super(scope, id, {
      apiVersion,
      kind,
      metadata: {
        ...metadata,
        labels: metadata?.labels ? { ...metadata.labels } : undefined,
        annotations: metadata?.annotations ? { ...metadata.annotations } : undefined,
      },
      ...body,
    });
  }
}
