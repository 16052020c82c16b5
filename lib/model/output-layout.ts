import { naming } from './naming';

/**
 * The scopes of an output root that are no environment. Every file belongs to one scope; `--env`
 * selects environment scopes, the shared ones are always written, and pruning looks only inside
 * the scopes a run selects.
 */
export const SHARED_SCOPES = {
  /** The OpenTofu stacks. */
  terraform: 'terraform',
  /** Every Argo CD instance's AppProjects, cluster Secrets and root app. */
  argocd: 'argocd',
  /** `releases.json`: the release state every run reads and writes back. */
  releases: 'releases',
} as const;

/** The scope of a cluster's shared objects and their Application: `cluster-<name>`. */
export function clusterScope(cluster: string): string {
  return naming.clusterApplication(cluster);
}

const KUBERNETES = 'kubernetes';
const TERRAFORM = 'terraform';
/** Directories under `kubernetes/` that hold no environment. */
const SHARED_KUBERNETES_DIRS = { argocd: 'argocd', bootstrap: 'bootstrap', clusters: 'clusters' } as const;

/** Where a file of the output root sits, as the layout reads its path. */
export type OutputPlace =
  | { readonly plane: 'terraform'; readonly stack: string }
  | { readonly plane: 'kubernetes'; readonly dir: 'environment'; readonly env: string }
  | { readonly plane: 'kubernetes'; readonly dir: 'cluster'; readonly cluster: string }
  | { readonly plane: 'kubernetes'; readonly dir: 'argocd' | 'bootstrap'; readonly instance: string }
  | { readonly plane: 'state'; readonly file: 'index' | 'releases' };

/**
 * The output layout: the one place that writes and reads the paths of an output root. Everything
 * else, the charts, the stacks, the writer, validate and diff, asks it.
 */
export const outputLayout = {
  /** Every file the tool wrote, with its sha256: pruning trusts only this. */
  index: (): string => 'platform-index.json',
  /** What each environment runs: read as input, written back by every run. */
  releases: (): string => 'releases.json',
  terraformStack: (stack: string): string => `${TERRAFORM}/${stack}/main.tf.json`,
  environmentDir: (env: string): string => `${KUBERNETES}/${env}`,
  clusterDir: (cluster: string): string => `${KUBERNETES}/${SHARED_KUBERNETES_DIRS.clusters}/${cluster}`,
  /** The Applications of the Argo CD that runs on `instance` (a cluster name): its root app syncs this. */
  argocdDir: (instance: string): string => `${KUBERNETES}/${SHARED_KUBERNETES_DIRS.argocd}/${instance}`,
  /** What `kubectl apply -f` installs on the Argo CD of `instance`: its AppProjects, cluster Secrets and root app. */
  bootstrapDir: (instance: string): string => `${KUBERNETES}/${SHARED_KUBERNETES_DIRS.bootstrap}/${instance}`,
  /** The top-level directories the synth writes into; nothing outside them is ever compared. */
  roots: (): readonly string[] => [TERRAFORM, KUBERNETES],

  /** Where `path` sits in the layout, or undefined for a file the tool never writes there. */
  parse(path: string): OutputPlace | undefined {
    if (path === outputLayout.index()) return { plane: 'state', file: 'index' };
    if (path === outputLayout.releases()) return { plane: 'state', file: 'releases' };
    const parts = path.split('/');
    if (parts[0] === TERRAFORM) return parts.length === 3 && path === outputLayout.terraformStack(parts[1]) ? { plane: 'terraform', stack: parts[1] } : undefined;
    if (parts[0] !== KUBERNETES || !parts[parts.length - 1].endsWith('.yaml')) return undefined;
    if (parts.length === 3) {
      const dir = parts[1];
      if ((Object.values(SHARED_KUBERNETES_DIRS) as string[]).includes(dir)) return undefined;
      return { plane: 'kubernetes', dir: 'environment', env: dir };
    }
    if (parts.length === 4 && parts[1] === SHARED_KUBERNETES_DIRS.clusters) return { plane: 'kubernetes', dir: 'cluster', cluster: parts[2] };
    if (parts.length === 4 && (parts[1] === SHARED_KUBERNETES_DIRS.argocd || parts[1] === SHARED_KUBERNETES_DIRS.bootstrap)) return { plane: 'kubernetes', dir: parts[1], instance: parts[2] };
    return undefined;
  },

  /**
   * Why an environment may not be called `name`, or undefined when it may: its directory or its
   * scope would be one the layout keeps for something else.
   */
  reservedEnvironmentName(name: string, clusters: readonly string[]): string | undefined {
    if ((Object.values(SHARED_KUBERNETES_DIRS) as string[]).includes(name)) return `${outputLayout.environmentDir(name)} holds the shared ${name} objects`;
    if ((Object.values(SHARED_SCOPES) as string[]).includes(name)) return `"${name}" is the scope of the ${name} files of every output root`;
    const cluster = clusters.find((c) => clusterScope(c) === name);
    if (cluster !== undefined) return `"${name}" is the scope of cluster ${cluster}'s shared objects`;
    return undefined;
  },
} as const;
