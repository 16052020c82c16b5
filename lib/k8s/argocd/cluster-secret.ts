import type { ISecret } from 'kubernetes-models/v1/Secret';
import { Construct } from 'constructs';
import { ARGOCD_CLUSTER_SECRET_LABEL } from '../../model/argocd';
import { ModelObject } from '../model-object';

/** Props of {@link ArgoClusterSecret}. */
export interface ArgoClusterSecretProps {
  readonly name: string;
  /** The namespace Argo CD runs in. */
  readonly namespace: string;
  /** The cluster's name in Argo CD. */
  readonly clusterName: string;
  /** The API server's https address, such as GKE's DNS-based endpoint. */
  readonly server: string;
  /** @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * Registers a remote GKE cluster with Argo CD, with no credential in it: Argo CD runs
 * `argocd-k8s-auth gcp`, which gets a Google access token for the Google service account its pod
 * acts as through Workload Identity. GKE's DNS-based endpoint serves a publicly trusted
 * certificate, so no CA is pinned.
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/declarative-setup/#clusters
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/declarative-setup/#gke
 */
export class ArgoClusterSecret extends Construct {
  constructor(scope: Construct, id: string, props: ArgoClusterSecretProps) {
    super(scope, id);
    const config = {
      execProviderConfig: { command: 'argocd-k8s-auth', args: ['gcp'], apiVersion: 'client.authentication.k8s.io/v1beta1' },
      tlsClientConfig: { insecure: false },
    };
    new ModelObject<ISecret>(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: props.name, namespace: props.namespace, labels: { [ARGOCD_CLUSTER_SECRET_LABEL]: 'cluster' }, annotations: props.annotations },
      type: 'Opaque',
      stringData: { name: props.clusterName, server: props.server, config: JSON.stringify(config) },
    });
  }
}
