import type { IApplication } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import type { IResourceIgnoreDifferences } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ResourceIgnoreDifferences';
import { Construct } from 'constructs';
import { type ArgoSyncPolicy } from '../../model/sync-policy';
import { ModelObject } from '../model-object';
import { type ArgoDestination } from './app-project';

/** Props of {@link ArgoApplication}. */
export interface ArgoApplicationProps {
  readonly name: string;
  /** The namespace ArgoCD runs in. */
  readonly namespace: string;
  /** The AppProject's name. */
  readonly project: string;
  readonly repoUrl: string;
  readonly revision: string;
  /** The directory in the repository, relative to its root. */
  readonly path: string;
  readonly destination: ArgoDestination;
  readonly syncPolicy: ArgoSyncPolicy;
  /** @default - no labels */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Fields that controllers change at run time. ArgoCD ignores them in its diff and, through
   * `RespectIgnoreDifferences=true`, at sync too.
   * @default - none
   */
  readonly ignoreDifferences?: readonly IResourceIgnoreDifferences[];
}

/**
 * How Argo CD retries a failed sync. An automated sync is not retried for the same commit without
 * it, so an Application that first synced before its CRDs existed would stay failed.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/auto_sync/
 */
export const SYNC_RETRY = { limit: 10, backoff: { duration: '30s', factor: 2, maxDuration: '10m' } } as const;

/**
 * An ArgoCD Application that syncs one plain directory of manifests: no Helm, no Kustomize.
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/declarative-setup/#applications
 */
export class ArgoApplication extends Construct {
  constructor(scope: Construct, id: string, props: ArgoApplicationProps) {
    super(scope, id);
    const sync = props.syncPolicy;
    const ignore = props.ignoreDifferences ?? [];
    new ModelObject<IApplication>(this, 'Resource', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels },
      spec: {
        project: props.project,
        source: { repoURL: props.repoUrl, targetRevision: props.revision, path: props.path, directory: { recurse: false } },
        destination: { server: props.destination.server, namespace: props.destination.namespace },
        syncPolicy: {
          ...(sync.automated ? { automated: { ...sync.automated } } : {}),
          syncOptions: [...sync.syncOptions, ...(ignore.length > 0 ? ['RespectIgnoreDifferences=true'] : [])],
          retry: { ...SYNC_RETRY, backoff: { ...SYNC_RETRY.backoff } },
        },
        ignoreDifferences: ignore.length > 0 ? ignore.map((i) => ({ ...i })) : undefined,
      },
    });
  }
}
