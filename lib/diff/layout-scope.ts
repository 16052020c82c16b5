import { clusterScope, outputLayout, SHARED_SCOPES } from '../model/output-layout';
import { naming } from '../model/naming';

/** The top-level directories the synth writes into; nothing outside them is ever compared. */
export function layoutRoots(): string[] {
  return [...outputLayout.roots()];
}

/** The Terraform stack a path is the main file of, or undefined. */
export function stackOf(p: string): string | undefined {
  const place = outputLayout.parse(p);
  return place?.plane === 'terraform' ? place.stack : undefined;
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
  const place = outputLayout.parse(p);
  if (place === undefined || place.plane === 'state') return undefined;
  if (place.plane === 'terraform') return SHARED_SCOPES.terraform;
  switch (place.dir) {
    case 'bootstrap':
      return SHARED_SCOPES.argocd;
    case 'environment':
      return place.env;
    case 'cluster':
      return clusterScope(place.cluster);
    case 'argocd': {
      const file = p.slice(p.lastIndexOf('/') + 1);
      for (const env of environments) if (file === naming.manifestFile('Application', naming.application(env))) return env;
      for (const cluster of clusters) if (file === naming.manifestFile('Application', naming.clusterApplication(cluster))) return clusterScope(cluster);
      return SHARED_SCOPES.argocd;
    }
  }
}

/** Environment directory names present in a listing: the environments the against-tree knows. */
export function environmentDirs(paths: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const p of paths) {
    const place = outputLayout.parse(p);
    if (place?.plane === 'kubernetes' && place.dir === 'environment') out.add(place.env);
  }
  return out;
}

/** Cluster directory names present in a listing: the clusters the against-tree knows. */
export function clusterDirs(paths: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const p of paths) {
    const place = outputLayout.parse(p);
    if (place?.plane === 'kubernetes' && place.dir === 'cluster') out.add(place.cluster);
  }
  return out;
}
