import { layout, SHARED_SCOPES } from '../engine/output';
import { naming } from '../model/naming';

const topDir = (p: string): string => p.slice(0, p.indexOf('/'));

/** The top-level directories the synth writes into; nothing outside them is ever compared. */
export function layoutRoots(): string[] {
  return [...new Set([layout.terraformStack('x'), layout.environmentDir('x'), layout.argocdDir(), layout.bootstrapDir()].map(topDir))];
}

/** The Terraform stack a path is the main file of, or undefined. */
export function stackOf(p: string): string | undefined {
  const parts = p.split('/');
  return parts.length === 3 && p === layout.terraformStack(parts[1]) ? parts[1] : undefined;
}

/**
 * The scope a file of the against-tree belongs to, read from the layout alone, or undefined when
 * the file is not one the synth could have written (a README, another team's file). Environment
 * and cluster Applications sit in the ArgoCD directory but belong to their environment or cluster,
 * as in the synth; a cluster's shared objects (`kubernetes/clusters/<cluster>/`) belong to
 * `cluster-<cluster>`.
 * @param environments names that may own an Application file, current or past
 * @param clusters cluster names that may own an Application file, current or past
 */
export function scopeOf(p: string, environments: ReadonlySet<string>, clusters: ReadonlySet<string> = new Set()): string | undefined {
  if (stackOf(p) !== undefined) return SHARED_SCOPES.terraform;
  const slash = p.lastIndexOf('/');
  const dir = p.slice(0, slash);
  const file = p.slice(slash + 1);
  if (!file.endsWith('.yaml')) return undefined;
  if (dir === layout.bootstrapDir()) return SHARED_SCOPES.argocd;
  if (dir === layout.argocdDir()) {
    for (const env of environments) if (file === naming.manifestFile('Application', naming.application(env))) return env;
    for (const cluster of clusters) {
      if (file === naming.manifestFile('Application', naming.clusterApplication(cluster))) return naming.clusterApplication(cluster);
    }
    return SHARED_SCOPES.argocd;
  }
  const cluster = clusterOfDir(dir);
  if (cluster !== undefined) return naming.clusterApplication(cluster);
  const env = dir.split('/')[1];
  return env !== undefined && dir === layout.environmentDir(env) ? env : undefined;
}

/** The cluster whose shared-objects directory `dir` is, or undefined. */
function clusterOfDir(dir: string): string | undefined {
  const cluster = dir.split('/')[2];
  return cluster !== undefined && dir === layout.clusterDir(cluster) ? cluster : undefined;
}

/** Environment directory names present in a listing: the environments the against-tree knows. */
export function environmentDirs(paths: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const p of paths) {
    const env = p.split('/')[1];
    if (env !== undefined && p.startsWith(`${layout.environmentDir(env)}/`)) out.add(env);
  }
  // `kubernetes/argocd`, `kubernetes/bootstrap` and the parent of the cluster directories are no environments.
  for (const dir of [layout.argocdDir(), layout.bootstrapDir(), layout.clusterDir('x')]) out.delete(dir.split('/')[1]);
  return out;
}

/** Cluster directory names present in a listing: the clusters the against-tree knows. */
export function clusterDirs(paths: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const p of paths) {
    const cluster = clusterOfDir(p.slice(0, p.lastIndexOf('/')));
    if (cluster !== undefined) out.add(cluster);
  }
  return out;
}
