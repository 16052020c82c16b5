import type { ISecretStore as SecretStoreManifest } from '@kubernetes-models/external-secrets/external-secrets.io/v1/SecretStore';
import { Construct } from 'constructs';
import { ModelObject } from '../model-object';

/** A namespaced SecretStore an ExternalSecret of the same namespace reads from. */
export interface ISecretStore {
  /** The store's name. */
  readonly storeName: string;
}

/** The GKE cluster the operator runs in. */
export interface GkeClusterRef {
  readonly name: string;
  /** The cluster's region or zone. */
  readonly location: string;
  /** @default - the Secret Manager project */
  readonly projectId?: string;
}

/** Props of {@link GcpSecretStore}. */
export interface GcpSecretStoreProps {
  /** The name of the SecretStore. */
  readonly name: string;
  /** @default - the chart's namespace */
  readonly namespace?: string;
  /** The project whose Secret Manager holds the secrets. */
  readonly projectId: string;
  /**
   * The Kubernetes service account, in the store's namespace, that the operator requests a token
   * for; through Workload Identity it acts as a Google service account granted the secrets.
   */
  readonly serviceAccountName: string;
  /**
   * The GKE cluster the operator runs in.
   * @default - read from the GKE metadata server
   */
  readonly cluster?: GkeClusterRef;
  /** @default - no labels */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * A namespaced SecretStore for Google Secret Manager that authenticates with GKE Workload Identity as
 * a service account of its own namespace: no key is stored in the cluster, and an ExternalSecret
 * can only use the store of its own namespace. For a SecretStore the operator ignores
 * `serviceAccountRef.namespace` and uses the store's own, so none is written.
 * @see https://external-secrets.io/latest/provider/google-secrets-manager/
 * @see https://external-secrets.io/latest/api/secretstore/
 */
export class GcpSecretStore extends Construct implements ISecretStore {
  /** A store defined elsewhere, such as in the chart of the namespace's owner. */
  public static fromStoreName(storeName: string): ISecretStore {
    return { storeName };
  }

  public readonly storeName: string;
  public readonly resource: ModelObject<SecretStoreManifest>;

  constructor(scope: Construct, id: string, props: GcpSecretStoreProps) {
    super(scope, id);
    checkProjectId(props.name, 'projectId', props.projectId);
    if (props.cluster?.projectId !== undefined) checkProjectId(props.name, 'cluster.projectId', props.cluster.projectId);
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(props.serviceAccountName)) {
      throw new Error(`${props.name}: serviceAccountName "${props.serviceAccountName}" is not a Kubernetes name; fix: name the store's service account, like "gcp-secret-manager"`);
    }
    this.storeName = props.name;
    const cluster = props.cluster;
    this.resource = new ModelObject<SecretStoreManifest>(this, 'Resource', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'SecretStore',
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels },
      spec: {
        provider: {
          gcpsm: {
            projectID: props.projectId,
            auth: {
              workloadIdentity: {
                clusterName: cluster?.name,
                clusterLocation: cluster?.location,
                clusterProjectID: cluster ? (cluster.projectId ?? props.projectId) : undefined,
                serviceAccountRef: { name: props.serviceAccountName },
              },
            },
          },
        },
      },
    });
  }
}

function checkProjectId(owner: string, field: string, value: string): void {
  if (!/^[a-z][-a-z0-9]{4,28}[a-z0-9]$/.test(value)) {
    throw new Error(`${owner}: ${field} "${value}" is not a Google Cloud project ID (6 to 30 lower-case letters, digits and '-', starting with a letter); fix: use the project ID, not its name or number`);
  }
}
