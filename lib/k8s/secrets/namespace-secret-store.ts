import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { type Cluster } from '../../model/cluster';
import { type NamespaceSecretStore } from '../../model/secret-store';
import { GcpSecretStore } from './gcp-secret-store';

/** Props of {@link NamespaceSecretStoreObjects}. */
export interface NamespaceSecretStoreObjectsProps {
  /** The namespace's store, as the model resolved it: Terraform grants its identity exactly its secrets. */
  readonly store: NamespaceSecretStore;
  /** The cluster the store's namespace is on, whose Workload Identity pool the KSA belongs to. */
  readonly cluster: Cluster;
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Write the namespace on the objects, for a chart whose own namespace is another.
   * @default - the chart's namespace
   */
  readonly explicitNamespace?: boolean;
}

/**
 * A namespace's SecretStore and the Kubernetes service account it authenticates as, annotated with
 * the Google account of the same model object that Terraform creates and binds.
 */
export class NamespaceSecretStoreObjects extends Construct {
  public readonly store: GcpSecretStore;

  constructor(scope: Construct, id: string, props: NamespaceSecretStoreObjectsProps) {
    super(scope, id);
    const { store, cluster, labels } = props;
    const ksa = store.identity.kubernetesServiceAccount;
    new kplus.ServiceAccount(this, 'Account', {
      metadata: { name: ksa.name, namespace: ksa.namespace, labels: labels && { ...labels }, annotations: { ...store.identity.kubernetesAnnotations() } },
      // The operator requests its tokens through the TokenRequest API; no pod mounts one.
      automountToken: false,
    });
    this.store = new GcpSecretStore(this, 'Store', {
      name: store.name,
      namespace: props.explicitNamespace ? store.namespace : undefined,
      projectId: store.project,
      serviceAccountName: ksa.name,
      cluster: { name: cluster.name, location: cluster.region, projectId: cluster.project },
      labels,
    });
  }
}
