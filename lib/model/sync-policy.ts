/** The ArgoCD `spec.syncPolicy` block, as ArgoCD's Application CRD spells it. */
export interface ArgoSyncPolicy {
  readonly automated?: { readonly prune: boolean; readonly selfHeal: boolean };
  readonly syncOptions: string[];
}

/** Options for {@link SyncPolicy.automated}. */
export interface AutomatedSyncOptions {
  /**
   * Delete cluster objects that are no longer in Git.
   * @default true
   */
  readonly prune?: boolean;
  /**
   * Revert changes made to the cluster outside Git.
   * @default true
   */
  readonly selfHeal?: boolean;
}

/**
 * How ArgoCD applies an environment's directory.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/auto_sync/
 */
export abstract class SyncPolicy {
  /** ArgoCD syncs every new commit on its own. */
  public static automated(options: AutomatedSyncOptions = {}): SyncPolicy {
    return new AutomatedSync(options.prune ?? true, options.selfHeal ?? true);
  }

  /** A person presses Sync: ArgoCD only reports drift. */
  public static manual(): SyncPolicy {
    return new ManualSync();
  }

  /** True when ArgoCD applies commits without a person. */
  public abstract readonly isAutomated: boolean;

  /** @internal */
  public abstract toArgo(): ArgoSyncPolicy;
}

// Server-side apply keeps large objects (dashboards, CRDs) under the annotation size limit.
const SYNC_OPTIONS = ['CreateNamespace=false', 'ServerSideApply=true'];

class AutomatedSync extends SyncPolicy {
  public readonly isAutomated = true;
  constructor(
    private readonly prune: boolean,
    private readonly selfHeal: boolean,
  ) {
    super();
  }
  public toArgo(): ArgoSyncPolicy {
    return { automated: { prune: this.prune, selfHeal: this.selfHeal }, syncOptions: [...SYNC_OPTIONS] };
  }
}

class ManualSync extends SyncPolicy {
  public readonly isAutomated = false;
  public toArgo(): ArgoSyncPolicy {
    return { syncOptions: [...SYNC_OPTIONS] };
  }
}
