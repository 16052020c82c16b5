import { type IAppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import { Construct } from 'constructs';
import { ModelObject } from '../model-object';

/** A cluster and namespace an ArgoCD project may deploy to. */
export interface ArgoDestination {
  readonly server: string;
  readonly namespace: string;
}

/** Props of {@link ArgoProject}. */
export interface ArgoProjectProps {
  readonly name: string;
  /** The namespace ArgoCD runs in. */
  readonly namespace: string;
  readonly description: string;
  /** Git repositories the project's Applications may read. */
  readonly sourceRepos: readonly string[];
  readonly destinations: readonly ArgoDestination[];
  /**
   * Cluster-scoped kinds the project may manage.
   * @default - Namespaces only
   */
  readonly clusterResources?: readonly { group: string; kind: string }[];
  /**
   * Namespaced kinds the project may manage. Never a wildcard where Argo CD's own objects live.
   * @default - every kind
   */
  readonly namespaceResources?: readonly { group: string; kind: string }[];
  /**
   * Roles whose members (identity-provider groups) get exactly these policies.
   * @default - none
   * @see https://argo-cd.readthedocs.io/en/stable/user-guide/projects/#project-roles
   */
  readonly roles?: readonly { name: string; description: string; policies: readonly string[]; groups: readonly string[] }[];
  /**
   * When syncs may run.
   * @default - none: always
   * @see https://argo-cd.readthedocs.io/en/stable/user-guide/sync_windows/
   */
  readonly syncWindows?: readonly { kind: 'allow' | 'deny'; schedule: string; duration: string; timeZone: string; manualSync: boolean; applications: readonly string[] }[];
  /** @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * An ArgoCD AppProject that fences the platform's Applications to its own repository, clusters
 * and namespaces.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/projects/
 */
export class ArgoProject extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: ArgoProjectProps) {
    super(scope, id);
    this.name = props.name;
    // Argo CD refuses an Application whose project does not exist, so AppProjects sync first.
    new ModelObject<IAppProject>(this, 'Resource', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: props.name, namespace: props.namespace, annotations: props.annotations },
      spec: {
        description: props.description,
        sourceRepos: [...props.sourceRepos],
        destinations: props.destinations.map((d) => ({ server: d.server, namespace: d.namespace })),
        clusterResourceWhitelist: (props.clusterResources ?? [{ group: '', kind: 'Namespace' }]).map((r) => ({ ...r })),
        namespaceResourceWhitelist: (props.namespaceResources ?? [{ group: '*', kind: '*' }]).map((r) => ({ ...r })),
        roles: props.roles?.length ? props.roles.map((r) => ({ name: r.name, description: r.description, policies: [...r.policies], groups: [...r.groups] })) : undefined,
        syncWindows: props.syncWindows?.length ? props.syncWindows.map((w) => ({ ...w, applications: [...w.applications] })) : undefined,
      },
    });
  }
}
