import { asArray, asString, at } from '../../manifest/json-access';
import { naming } from '../../model/naming';
import { outputLayout } from '../../model/output-layout';
import { block, clusterOf, finding, type Finding, resources, type RuleContext, type TfStack } from './types';

const RULE = 'join-rbac-groups';
const BINDINGS = new Set(['RoleBinding', 'ClusterRoleBinding']);
const GKE = 'google_container_cluster';

/**
 * A RoleBinding or ClusterRoleBinding naming a Group applies to a GKE cluster that resolves Google
 * Groups: its `google_container_cluster` sets `authenticator_groups_config.security_group`. Without
 * it GKE puts no Google Group in the user's identity, and the binding grants nothing. Kubernetes'
 * own `system:` groups need no Google Groups. The cluster is found from the binding's Argo CD
 * destination: the cluster directory synced to the same server (or the destination's name), whose
 * stack is `cluster-<name>`. Skipped when the output holds no stack.
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/google-groups-rbac
 */
export function joinRbacGroups(ctx: RuleContext): Finding[] {
  if (ctx.stacks.length === 0) return [];
  const clusterNames = clusterNamesByDestination(ctx);
  return ctx.objects.filter((o) => BINDINGS.has(o.kind)).flatMap((o): Finding[] => {
    const groups = asArray(at(o.body, 'subjects'))
      .filter((s) => asString(at(s, 'kind')) === 'Group')
      .map((s) => asString(at(s, 'name')) ?? '')
      .filter((g) => g !== '' && !g.startsWith('system:'));
    const destination = clusterOf(ctx, o);
    if (groups.length === 0 || destination === '') return [];
    // Two clusters can both be `https://kubernetes.default.svc` to their own Argo CD: each must resolve groups.
    return [...(clusterNames.get(destination) ?? [destination])].flatMap((name): Finding[] => {
      const stack = ctx.stacks.find((s) => s.stack === naming.clusterStack(name));
      const gke = stack === undefined ? undefined : clusterResource(stack, name);
      if (stack === undefined || gke === undefined) {
        return [finding(o, RULE, `binds group "${groups[0]}" on cluster "${destination}", which no Terraform stack's GKE cluster matches`,
          'apply the binding to a cluster of the platform, whose stack enables Google Groups for RBAC')];
      }
      const securityGroup = asString(at(block(gke.body.authenticator_groups_config), 'security_group'));
      if (securityGroup !== undefined && securityGroup !== '') return [];
      return [finding(o, RULE, `binds group "${groups[0]}", but ${stack.file}: ${GKE}.${gke.address} does not enable Google Groups for RBAC, so the binding grants nothing`,
        'set the platform\'s rbacSecurityGroup (authenticator_groups_config.security_group = gke-security-groups@<domain>) and make the group a member of it')];
    });
  });
}

/** The platform cluster each Argo CD destination (server or name) is, from the Applications that sync cluster directories. */
export function clusterNamesByDestination(ctx: RuleContext): Map<string, Set<string>> {
  const byDestination = new Map<string, Set<string>>();
  const seen = new Set<string>();
  for (const o of ctx.objects) {
    const place = outputLayout.parse(o.file);
    if (place?.plane !== 'kubernetes' || place.dir !== 'cluster' || seen.has(place.cluster)) continue;
    seen.add(place.cluster);
    const destination = clusterOf(ctx, o);
    if (destination !== '') byDestination.set(destination, (byDestination.get(destination) ?? new Set<string>()).add(place.cluster));
  }
  return byDestination;
}

/** The stack's GKE cluster called `name`, else its only one. */
export function clusterResource(stack: TfStack, name: string): { address: string; body: Record<string, unknown> } | undefined {
  const all = resources(stack, GKE);
  const match = all.find(([, c]) => c.name === name) ?? (all.length === 1 ? all[0] : undefined);
  return match === undefined ? undefined : { address: match[0], body: match[1] };
}
