// What an AppProject permits, as Argo CD decides it: source repositories, destinations and kinds.
// @see https://argo-cd.readthedocs.io/en/stable/user-guide/projects/
// @see https://argo-cd.readthedocs.io/en/stable/operator-manual/project-specification/
import { asArray, asString, at } from '../../manifest/json-access';
import { IN_CLUSTER_SERVER } from '../../model/cluster';

/**
 * The cluster-scoped kinds the output emits (every other kind is namespaced). Argo CD checks these
 * against `clusterResourceWhitelist`, the others against `namespaceResourceWhitelist`.
 */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace', 'ClusterIssuer', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'PriorityClass', 'ClusterSecretStore',
]);

/** Whether a glob (`*` for any run of characters, as Argo CD's globs without separators) matches `value`. */
export function globMatch(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(value);
}

/** Allow patterns and `!` deny patterns: permitted when one allow matches and no deny does (Argo CD's rule for repos and destinations). */
function allowed(patterns: readonly string[], value: string, match: (p: string, v: string) => boolean = globMatch): boolean {
  const deny = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  return patterns.some((p) => !p.startsWith('!') && match(p, value)) && !deny.some((p) => match(p, value));
}

/** Git URLs compare without case, a trailing `/` or `.git` (Argo CD normalizes them before matching). */
const normalRepo = (url: string): string => url.toLowerCase().replace(/\/+$/, '').replace(/\.git$/, '');

/** Whether the project's `sourceRepos` admit `repoURL`. */
export function repoPermitted(project: unknown, repoURL: string): boolean {
  const repos = asArray(at(project, 'spec', 'sourceRepos')).flatMap((r) => asString(r) ?? []);
  return allowed(repos, repoURL, (p, v) => globMatch(normalRepo(p), normalRepo(v)));
}

/** Where an Application deploys: the cluster by server URL or name, and a namespace. */
export interface Destination {
  readonly server?: string;
  readonly name?: string;
  readonly namespace: string;
}

/** Whether one of the project's `destinations` covers the cluster and namespace (globs on each; `!` denies). */
export function destinationPermitted(project: unknown, dest: Destination): boolean {
  const entries = asArray(at(project, 'spec', 'destinations'));
  const clusterOf = (e: unknown): boolean => {
    const server = asString(at(e, 'server'));
    const name = asString(at(e, 'name'));
    if (dest.server !== undefined && server !== undefined) return globMatch(server, dest.server);
    if (dest.name !== undefined && name !== undefined) return globMatch(name, dest.name);
    // Argo CD's in-cluster has both the name `in-cluster` and the server IN_CLUSTER_SERVER.
    if (dest.name === 'in-cluster' && server !== undefined) return globMatch(server, IN_CLUSTER_SERVER);
    if (dest.server === IN_CLUSTER_SERVER && name !== undefined) return globMatch(name, 'in-cluster');
    return false;
  };
  const namespaces = (deny: boolean): string[] => entries.filter(clusterOf).flatMap((e) => {
    const ns = asString(at(e, 'namespace')) ?? '';
    return ns.startsWith('!') === deny ? [ns] : [];
  });
  return allowed([...namespaces(false), ...namespaces(true)], dest.namespace);
}

const listed = (entries: unknown, group: string, kind: string, name: string): boolean => asArray(entries).some((e) => {
  const entryName = asString(at(e, 'name')) ?? '';
  return globMatch(asString(at(e, 'group')) ?? '', group) && globMatch(asString(at(e, 'kind')) ?? '', kind) && (entryName === '' || globMatch(entryName, name));
});

/**
 * Which list refuses a kind, or undefined when the project permits it. Namespaced: no
 * `namespaceResourceWhitelist` allows every kind, an empty one none; cluster-scoped: only what
 * `clusterResourceWhitelist` lists. Blacklists then remove kinds (Argo CD's `IsGroupKindPermitted`).
 */
export function kindRefusal(project: unknown, group: string, kind: string, name: string): string | undefined {
  const spec = at(project, 'spec');
  const scope = CLUSTER_SCOPED_KINDS.has(kind) ? 'cluster' : 'namespace';
  const white = at(spec, `${scope}ResourceWhitelist`);
  const whitelisted = scope === 'namespace' && white === undefined ? true : listed(white, group, kind, name);
  if (!whitelisted) return `is not in its ${scope}ResourceWhitelist`;
  if (listed(at(spec, `${scope}ResourceBlacklist`), group, kind, name)) return `is in its ${scope}ResourceBlacklist`;
  return undefined;
}
