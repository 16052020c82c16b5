import { asArray, asString, at } from '../../manifest/json-access';
import { ISTIO_WEBHOOK_PORT } from '../../model/mesh-sidecar';
import { naming } from '../../model/naming';
import { clusterNamesByDestination, clusterResource } from './join-rbac-groups';
import { block, blocks, clusterOf, type Finding, finding, meshedNamespace, resources, type RuleContext } from './types';

const RULE = 'join-mesh-webhook';

/**
 * A cluster that runs a namespace labelled `istio-injection: enabled` admits its pods only after
 * istiod's injection webhook answers on 15017. On a private GKE cluster the control plane reaches the
 * nodes on 443 and 10250 alone, so the cluster's stack must open 15017 from the control plane's
 * range (`private_cluster_config.master_ipv4_cidr_block`). The cluster is found from the Namespace's
 * Argo CD destination, as join-rbac-groups does. Skipped when the output holds no stack.
 * @see https://cloud.google.com/service-mesh/docs/private-cluster-open-port
 */
export function joinMeshWebhook(ctx: RuleContext): Finding[] {
  if (ctx.stacks.length === 0) return [];
  const byDestination = clusterNamesByDestination(ctx);
  const meshed = ctx.objects.filter((o) => o.kind === 'Namespace' && meshedNamespace(ctx, o) === true);
  const reported = new Set<string>();
  return meshed.flatMap((ns): Finding[] => {
    const destination = clusterOf(ctx, ns);
    if (destination === '') return [];
    return [...(byDestination.get(destination) ?? [destination])].flatMap((name): Finding[] => {
      const stack = ctx.stacks.find((s) => s.stack === naming.clusterStack(name));
      const gke = stack === undefined ? undefined : clusterResource(stack, name);
      if (stack === undefined || gke === undefined || reported.has(name)) return [];
      const cidr = asString(at(block(gke.body.private_cluster_config), 'master_ipv4_cidr_block'));
      if (at(block(gke.body.private_cluster_config), 'enable_private_nodes') !== true || cidr === undefined) return [];
      const open = resources(stack, 'google_compute_firewall').some(([, f]) =>
        (asString(f.direction) ?? 'INGRESS') === 'INGRESS'
        && asArray(f.source_ranges).includes(cidr)
        && blocks(f.allow).some((a) => (a.protocol === 'tcp' || a.protocol === 'all') && (asArray(a.ports).length === 0 || asArray(a.ports).some((p) => covers(asString(p) ?? '', ISTIO_WEBHOOK_PORT)))));
      if (open) return [];
      reported.add(name);
      return [finding(ns, RULE, `is in the Istio mesh on private cluster "${name}", but ${stack.file} has no firewall rule from the control plane (${cidr}) to the nodes on tcp:${ISTIO_WEBHOOK_PORT}: the sidecar injection webhook times out and no pod is admitted`,
        `add a google_compute_firewall from ${cidr} to the nodes' service account on tcp:${ISTIO_WEBHOOK_PORT} (Network.allowControlPlaneWebhooks, for every cluster with a meshed environment)`)];
    });
  });
}

/** `15017` or a range such as `15000-15100`. */
function covers(spec: string, port: number): boolean {
  const [lo, hi] = spec.split('-').map(Number);
  return hi === undefined ? lo === port : lo <= port && port <= hi;
}
