/** The annotation that tells GKE which Google service account a Kubernetes service account acts as. */
export const WORKLOAD_IDENTITY_ANNOTATION = 'iam.gke.io/gcp-service-account';

/** The Kubernetes service account a workload runs as. */
export interface KubernetesServiceAccountRef {
  readonly namespace: string;
  readonly name: string;
}

/**
 * One app's identity in Google Cloud: a Google service account (GSA) and the Kubernetes service
 * account (KSA) that acts as it through Workload Identity. Terraform creates the GSA and binds the
 * KSA to it; the manifests annotate the KSA with the GSA's email. Both planes read this one object,
 * so the binding and the annotation cannot name different accounts.
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity
 */
export class WorkloadIdentity {
  /** `ACCOUNT@PROJECT.iam.gserviceaccount.com`. */
  public readonly email: string;

  constructor(
    /** The project the GSA and the cluster live in. */
    public readonly project: string,
    /** The GSA's account id: 6 to 30 characters. */
    public readonly accountId: string,
    public readonly kubernetesServiceAccount: KubernetesServiceAccountRef,
  ) {
    this.email = `${accountId}@${project}.iam.gserviceaccount.com`;
  }

  /** The cluster's Workload Identity pool: `PROJECT.svc.id.goog`. */
  public static workloadPool(project: string): string {
    return `${project}.svc.id.goog`;
  }

  /** The GSA as an IAM member: `serviceAccount:EMAIL`. */
  public get member(): string {
    return `serviceAccount:${this.email}`;
  }

  /** The KSA as an IAM member: `serviceAccount:PROJECT.svc.id.goog[NAMESPACE/KSA]`. */
  public get kubernetesMember(): string {
    const ksa = this.kubernetesServiceAccount;
    return `serviceAccount:${WorkloadIdentity.workloadPool(this.project)}[${ksa.namespace}/${ksa.name}]`;
  }

  /** The GSA's Cloud SQL IAM database user: its email without `.gserviceaccount.com`. */
  public get sqlUser(): string {
    return this.email.replace(/\.gserviceaccount\.com$/, '');
  }

  /** The annotations the KSA carries. */
  public kubernetesAnnotations(): Readonly<Record<string, string>> {
    return { [WORKLOAD_IDENTITY_ANNOTATION]: this.email };
  }
}
