import { type RegistryConfig } from './config';

/**
 * A container image in the platform's Artifact Registry repository. Both planes derive image paths
 * from the registry config through this one type, so the repository Terraform creates and the
 * images the manifests pull can never drift apart.
 */
export class ImageRef {
  /** `REGION-docker.pkg.dev/PROJECT/REPOSITORY`: the repository's Docker host and path. */
  public static repositoryPath(registry: RegistryConfig): string {
    return `${registry.region}-docker.pkg.dev/${registry.project}/${registry.repository}`;
  }

  constructor(
    public readonly repository: string,
    public readonly name: string,
    public readonly tag: string,
    public readonly digest?: string,
  ) {}

  /** `repository/name:tag`, plus `@digest` when the digest is known. */
  public toString(): string {
    const ref = `${this.repository}/${this.name}:${this.tag}`;
    return this.digest === undefined ? ref : `${ref}@${this.digest}`;
  }
}
