import type { IClusterSecretStore as ClusterSecretStoreManifest } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ClusterSecretStore';
import { Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { ModelObject } from '../model-object';

/** A ClusterSecretStore an ExternalSecret reads from. */
export interface ISecretStore {
  /** The store's name. */
  readonly storeName: string;
}

/** A Kubernetes service account, by namespace and name. */
export interface ServiceAccountRef {
  readonly namespace: string;
  readonly name: string;
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
  /** The name of the ClusterSecretStore. */
  readonly name: string;
  /** The project whose Secret Manager holds the secrets. */
  readonly projectId: string;
  /**
   * The External Secrets operator's Kubernetes service account. Through Workload Identity it acts
   * as a Google service account that may read the project's secrets.
   */
  readonly serviceAccount: ServiceAccountRef;
  /**
   * The GKE cluster the operator runs in.
   * @default - read from the GKE metadata server
   */
  readonly cluster?: GkeClusterRef;
  /**
   * The namespaces whose ExternalSecrets may use the store.
   * @default - every namespace
   */
  readonly namespaces?: readonly string[];
  /** @default - no labels */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * A ClusterSecretStore for Google Secret Manager that authenticates with GKE Workload Identity: no
 * key is stored in the cluster.
 * @see https://external-secrets.io/latest/provider/google-secrets-manager/
 */
export class GcpSecretStore extends Construct implements ISecretStore {
  /** A store defined elsewhere, such as in the chart of the cluster's shared objects. */
  public static fromStoreName(storeName: string): ISecretStore {
    return { storeName };
  }

  public readonly storeName: string;
  public readonly resource: ModelObject<ClusterSecretStoreManifest>;

  constructor(scope: Construct, id: string, props: GcpSecretStoreProps) {
    super(scope, id);
    checkProjectId(props.name, 'projectId', props.projectId);
    if (props.cluster?.projectId !== undefined) checkProjectId(props.name, 'cluster.projectId', props.cluster.projectId);
    for (const [field, value] of [
      ['serviceAccount.namespace', props.serviceAccount.namespace],
      ['serviceAccount.name', props.serviceAccount.name],
    ] as const) {
      if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value)) {
        throw new Error(`${props.name}: ${field} "${value}" is not a Kubernetes name; fix: name the External Secrets operator's service account, like "external-secrets"`);
      }
    }
    if (props.namespaces?.length === 0) {
      throw new Error(`${props.name}: namespaces is empty, so no ExternalSecret could use the store; fix: list the namespaces, or leave namespaces unset for all`);
    }
    this.storeName = props.name;
    const cluster = props.cluster;
    this.resource = new ModelObject<ClusterSecretStoreManifest>(this, 'Resource', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: props.name, labels: props.labels },
      spec: {
        provider: {
          gcpsm: {
            projectID: props.projectId,
            auth: {
              workloadIdentity: {
                clusterName: cluster?.name,
                clusterLocation: cluster?.location,
                clusterProjectID: cluster ? (cluster.projectId ?? props.projectId) : undefined,
                serviceAccountRef: { name: props.serviceAccount.name, namespace: props.serviceAccount.namespace },
              },
            },
          },
        },
        conditions: props.namespaces ? [{ namespaces: [...props.namespaces] }] : undefined,
      },
    });
    // The store is cluster-scoped, but cdk8s gives every object the namespace of its chart.
    if (Chart.of(this).namespace !== undefined) this.resource.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  }
}

function checkProjectId(owner: string, field: string, value: string): void {
  if (!/^[a-z][-a-z0-9]{4,28}[a-z0-9]$/.test(value)) {
    throw new Error(`${owner}: ${field} "${value}" is not a Google Cloud project ID (6 to 30 lower-case letters, digits and '-', starting with a letter); fix: use the project ID, not its name or number`);
  }
}
