import { asArray, at } from '../../manifest/json-access';
import { block, type Finding, resources, type RuleContext, tfFinding } from './types';

const T = 'google_container_cluster';

/** Every GKE cluster: private nodes, Workload Identity, shielded nodes, a release channel, network policy, authorized networks. */
export function gcpGke(ctx: RuleContext): Finding[] {
  return ctx.stacks.flatMap((s) =>
    resources(s, T).flatMap(([name, c]) => {
      const f = (message: string, fix: string): Finding => tfFinding(s, T, name, 'gcp-gke', message, fix);
      const out: Finding[] = [];
      if (at(block(c.private_cluster_config), 'enable_private_nodes') !== true) out.push(f('does not use private nodes', 'set private_cluster_config.enable_private_nodes to true'));
      if (typeof at(block(c.workload_identity_config), 'workload_pool') !== 'string') out.push(f('has no Workload Identity pool', 'set workload_identity_config.workload_pool to PROJECT.svc.id.goog'));
      if (c.enable_shielded_nodes === false) out.push(f('disables shielded nodes', 'remove enable_shielded_nodes: false'));
      const channel = at(block(c.release_channel), 'channel');
      if (typeof channel !== 'string' || channel === 'UNSPECIFIED') out.push(f('has no release channel', 'set release_channel.channel to REGULAR or STABLE'));
      if (c.datapath_provider !== 'ADVANCED_DATAPATH' && at(block(c.network_policy), 'enabled') !== true) {
        out.push(f('does not enforce network policy', 'set datapath_provider to ADVANCED_DATAPATH (or enable network_policy)'));
      }
      if (asArray(at(block(c.master_authorized_networks_config), 'cidr_blocks')).length === 0) {
        out.push(f('has no master authorized networks', 'set master_authorized_networks_config.cidr_blocks to the networks allowed to reach the control plane'));
      }
      return out;
    }),
  );
}
