import type { IApplication } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { Construct } from 'constructs';
import { type AddonChart, type AddonSpec } from '../../model/addon-catalog';
import { type ArgoSyncPolicy } from '../../model/sync-policy';
import { ModelObject } from '../model-object';
import { SYNC_WAVE_ANNOTATION } from '../sync-wave';
import { type ArgoDestination } from './app-project';
import { SYNC_RETRY } from './application';

/** A JSON value, as Helm values are made of. */
export type HelmValue = string | number | boolean | null | readonly HelmValue[] | { readonly [key: string]: HelmValue };

/** Helm values: a JSON object. */
export type HelmValues = { readonly [key: string]: HelmValue };

/** Props of {@link ArgoHelmApplication}. */
export interface ArgoHelmApplicationProps {
  readonly name: string;
  /** The namespace Argo CD runs in. */
  readonly namespace: string;
  /** The AppProject's name. */
  readonly project: string;
  /** The chart, its repository and its exact version. */
  readonly chart: AddonChart;
  /** The Helm release name: the charts derive their objects' names and labels from it. */
  readonly releaseName: string;
  readonly values: HelmValues;
  readonly destination: ArgoDestination;
  readonly syncPolicy: ArgoSyncPolicy;
  /** The Argo CD sync wave of the Application in the app-of-apps that holds it. */
  readonly syncWave: number;
  /** @default - no labels */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Create the release's namespace. Off for a namespace that exists before the Application (Argo
   * CD's own), which its project need not allow creating.
   * @default true
   */
  readonly createNamespace?: boolean;
  /** @default - none */
  readonly ignoreDifferences?: AddonSpec['ignoreDifferences'];
}

/**
 * An Argo CD Application that installs one Helm chart at a pinned version with inline values
 * (`helm.valuesObject`). `CreateNamespace=true` creates the release's namespace, and
 * `ServerSideApply=true` applies CRDs too large for the last-applied annotation (kube-prometheus-stack's).
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/helm/
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/#server-side-apply
 */
export class ArgoHelmApplication extends Construct {
  constructor(scope: Construct, id: string, props: ArgoHelmApplicationProps) {
    super(scope, id);
    const sync = props.syncPolicy;
    const ignore = props.ignoreDifferences ?? [];
    const options = [
      ...sync.syncOptions.filter((o) => !/^(CreateNamespace|ServerSideApply)=/.test(o)),
      ...((props.createNamespace ?? true) ? ['CreateNamespace=true'] : []),
      'ServerSideApply=true',
      ...(ignore.length > 0 ? ['RespectIgnoreDifferences=true'] : []),
    ];
    new ModelObject<IApplication>(this, 'Resource', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: props.labels,
        annotations: { [SYNC_WAVE_ANNOTATION]: String(props.syncWave) },
      },
      spec: {
        project: props.project,
        source: {
          repoURL: props.chart.repoUrl,
          chart: props.chart.chart,
          targetRevision: props.chart.version,
          helm: { releaseName: props.releaseName, valuesObject: props.values },
        },
        destination: { server: props.destination.server, namespace: props.destination.namespace },
        syncPolicy: {
          ...(sync.automated ? { automated: { ...sync.automated } } : {}),
          syncOptions: options,
          retry: { ...SYNC_RETRY, backoff: { ...SYNC_RETRY.backoff } },
        },
        ignoreDifferences: ignore.length > 0 ? ignore.map((i) => ({ group: i.group, kind: i.kind, jqPathExpressions: [...i.jqPathExpressions] })) : undefined,
      },
    });
  }
}
