import { asArray, asString, at, isRecord, strMap } from '../../manifest/json-access';
import { labelSelectorMatches } from '../../manifest/label-selector';
import { policyTypes } from '../../manifest/network-policy';
import { podLabels, podSpec } from '../../manifest/workload';
import { meshPrincipal } from '../../model/inbound-peers';
import { type Finding, finding, inNamespace, type K8sObject, meshedNamespace, type RuleContext, workloadsInNamespace } from './types';

const RULE = 'join-mesh-policy';
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** One source on one port: `principal:cluster.local/ns/a/sa/b@8080`, `ns:istio-ingress@8080`, `ip:10.0.0.0/8@8080`, `any@9090`. */
type Grant = string;
const grant = (source: string, port: string): Grant => `${source}@${port}`;
const portOf = (g: Grant): string => g.slice(g.lastIndexOf('@') + 1);
const sourceOf = (g: Grant): string => g.slice(0, g.lastIndexOf('@'));

const sameLabels = (a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

/**
 * Meshed namespaces (`istio-injection: enabled`) require mTLS, and the mesh and the network layers
 * let in the same callers: every namespace has a STRICT namespace-wide PeerAuthentication; every
 * source and port an app's NetworkPolicy lets in is allowed by an ALLOW AuthorizationPolicy that
 * selects the same pods, and every rule of that policy matches a NetworkPolicy source; a port
 * accepts plaintext (port-level PERMISSIVE) exactly when a source outside the mesh reaches it.
 */
export function joinMeshPolicy(ctx: RuleContext): Finding[] {
  const namespaces = ctx.objects.filter((o) => o.kind === 'Namespace');
  const meshed = namespaces.filter((n) => meshedNamespace(ctx, n) === true);
  const meshState = (from: K8sObject, name: string): 'mesh' | 'plain' | 'unknown' => {
    const state = meshedNamespace(ctx, from, name);
    return state === undefined ? 'unknown' : state ? 'mesh' : 'plain';
  };
  return meshed.flatMap((ns) => {
    const peerAuths = inNamespace(ctx, ns, 'PeerAuthentication', ns.name);
    const wide = peerAuths.filter((p) => Object.keys(strMap(at(p.body, 'spec', 'selector', 'matchLabels'))).length === 0);
    const findings: Finding[] = [];
    if (!wide.some((p) => at(p.body, 'spec', 'mtls', 'mode') === 'STRICT')) {
      findings.push(finding(ns, RULE, 'has sidecar injection but no namespace-wide STRICT PeerAuthentication', 'add a PeerAuthentication "default" without a selector and with spec.mtls.mode STRICT'));
    }
    for (const p of wide.filter((w) => at(w.body, 'spec', 'mtls', 'mode') !== 'STRICT')) {
      findings.push(finding(p, RULE, `applies mTLS mode ${String(at(p.body, 'spec', 'mtls', 'mode') ?? 'UNSET')} to the whole meshed namespace ${ns.name}`, 'set spec.mtls.mode to STRICT, or remove it'));
    }
    for (const p of peerAuths.filter((w) => !wide.includes(w))) {
      const mode = asString(at(p.body, 'spec', 'mtls', 'mode'));
      if (mode === 'PERMISSIVE' || mode === 'DISABLE') {
        findings.push(finding(p, RULE, `accepts plaintext on every port (mtls.mode ${mode})`, 'set spec.mtls.mode to STRICT and list the ports that need plaintext in portLevelMtls'));
      }
    }
    const policies = inNamespace(ctx, ns, 'AuthorizationPolicy', ns.name).filter((a) => (asString(at(a.body, 'spec', 'action')) ?? 'ALLOW') === 'ALLOW');
    const workloads = workloadsInNamespace(ctx, ns, ns.name);
    const appPolicies = inNamespace(ctx, ns, 'NetworkPolicy', ns.name).filter(
      (n) => policyTypes(n.body).has('Ingress') && Object.keys(strMap(at(n.body, 'spec', 'podSelector', 'matchLabels'))).length > 0,
    );
    for (const np of appPolicies) {
      const pods = strMap(at(np.body, 'spec', 'podSelector', 'matchLabels'));
      const mine = policies.filter((a) => sameLabels(strMap(at(a.body, 'spec', 'selector', 'matchLabels')), pods));
      if (mine.length === 0) {
        findings.push(finding(np, RULE, `selects pods ${JSON.stringify(pods)} in meshed namespace ${ns.name}, but no ALLOW AuthorizationPolicy selects the same pods`, 'add an AuthorizationPolicy with the same selector that allows the NetworkPolicy\'s sources and ports'));
        continue;
      }
      const allowed = new Set<Grant>();
      for (const ap of mine) {
        const { grants, problems } = policyGrants(ap);
        grants.forEach((g) => allowed.add(g));
        findings.push(...problems.map((m) => finding(ap, RULE, m, 'allow sources by principals, namespaces or ipBlocks and operations by ports only, as the NetworkPolicy does')));
      }
      const principalsOf = (selector: unknown): string[] =>
        workloads
          .filter((w) => labelSelectorMatches(selector, podLabels(w)))
          .map((w) => meshPrincipal(ns.name, asString(podSpec(w)?.serviceAccountName) ?? 'default'));
      // The NetworkPolicy's grants; a namespace outside the mesh is matched by port alone.
      const expected = new Set<Grant>();
      const plaintextPorts = new Set<string>();
      for (const rule of asArray(at(np.body, 'spec', 'ingress'))) {
        const ports = asArray(at(rule, 'ports')).map((p) => String(at(p, 'port') ?? '*'));
        const portList = ports.length > 0 ? ports : ['*'];
        const from = asArray(at(rule, 'from'));
        for (const port of portList) {
          if (from.length === 0) expected.add(grant('any', port));
          for (const peer of from) {
            const cidr = asString(at(peer, 'ipBlock', 'cidr'));
            const nsName = asString(at(peer, 'namespaceSelector', 'matchLabels', NAMESPACE_NAME_LABEL));
            if (cidr !== undefined) {
              expected.add(grant(`ip:${cidr}`, port));
              plaintextPorts.add(port);
            } else if (nsName !== undefined) {
              const state = meshState(ns, nsName);
              const viaPort = state === 'plain' || (state === 'unknown' && allowed.has(grant('any', port)) && !allowed.has(grant(`ns:${nsName}`, port)));
              expected.add(viaPort ? grant('any', port) : grant(`ns:${nsName}`, port));
              if (viaPort) plaintextPorts.add(port);
            } else if (isRecord(at(peer, 'podSelector')) && at(peer, 'namespaceSelector') === undefined) {
              principalsOf(at(peer, 'podSelector')).forEach((p) => expected.add(grant(`principal:${p}`, port)));
            } else {
              expected.add(grant(`peer:${JSON.stringify(peer)}`, port));
            }
          }
        }
      }
      const names = mine.map((a) => a.name).join(', ');
      for (const g of [...expected].filter((e) => !allowed.has(e)).sort()) {
        findings.push(finding(np, RULE, `lets ${sourceOf(g)} in on port ${portOf(g)}, which AuthorizationPolicy ${names} does not allow`, 'derive both policies from the app\'s inbound peers (lib/model/inbound-peers.ts), or allow the source in the AuthorizationPolicy'));
      }
      for (const g of [...allowed].filter((a) => !expected.has(a)).sort()) {
        findings.push(finding(mine[0], RULE, `allows ${sourceOf(g)} on port ${portOf(g)}, which NetworkPolicy ${np.name} does not let in`, 'derive both policies from the app\'s inbound peers (lib/model/inbound-peers.ts), or remove the rule'));
      }
      // Port-level mTLS: plaintext exactly where a source outside the mesh connects.
      const ownAuths = peerAuths.filter((p) => sameLabels(strMap(at(p.body, 'spec', 'selector', 'matchLabels')), pods));
      const permissive = new Set(ownAuths.flatMap((p) => Object.entries(isRecord(at(p.body, 'spec', 'portLevelMtls')) ? (at(p.body, 'spec', 'portLevelMtls') as Record<string, unknown>) : {})
        .filter(([, v]) => at(v, 'mode') === 'PERMISSIVE' || at(v, 'mode') === 'DISABLE')
        .map(([port]) => port)));
      for (const port of [...plaintextPorts].filter((p) => !permissive.has(p)).sort()) {
        findings.push(finding(np, RULE, `lets a source outside the mesh in on port ${port}, where STRICT mTLS refuses its plaintext`, `add a PeerAuthentication selecting the same pods with portLevelMtls ${port}: PERMISSIVE`));
      }
      for (const port of [...permissive].filter((p) => !plaintextPorts.has(p)).sort()) {
        const owner = ownAuths.find((p) => isRecord(at(p.body, 'spec', 'portLevelMtls', port))) ?? np;
        findings.push(finding(owner, RULE, `accepts plaintext on port ${port}, which no source outside the mesh reaches in NetworkPolicy ${np.name}`, 'remove the port from portLevelMtls, so STRICT mTLS applies'));
      }
    }
    // A workload policy that opens plaintext on pods no app NetworkPolicy describes.
    for (const p of peerAuths.filter((w) => !wide.includes(w) && isRecord(at(w.body, 'spec', 'portLevelMtls')))) {
      const pods = strMap(at(p.body, 'spec', 'selector', 'matchLabels'));
      if (!appPolicies.some((np) => sameLabels(strMap(at(np.body, 'spec', 'podSelector', 'matchLabels')), pods))) {
        findings.push(finding(p, RULE, `sets port-level mTLS on pods ${JSON.stringify(pods)}, which no NetworkPolicy selects`, 'select the pods of an app\'s NetworkPolicy, or remove the policy'));
      }
    }
    return findings;
  });
}

/** The grants of an ALLOW AuthorizationPolicy, and the fields it uses that a NetworkPolicy cannot express. */
function policyGrants(ap: K8sObject): { grants: Grant[]; problems: string[] } {
  const grants: Grant[] = [];
  const problems: string[] = [];
  asArray(at(ap.body, 'spec', 'rules')).forEach((rule, i) => {
    for (const key of Object.keys(isRecord(rule) ? rule : {}).filter((k) => k !== 'from' && k !== 'to')) problems.push(`rules[${i}] uses "${key}"`);
    const ops = asArray(at(rule, 'to')).map((t) => at(t, 'operation'));
    for (const op of ops) for (const key of Object.keys(isRecord(op) ? op : {}).filter((k) => k !== 'ports')) problems.push(`rules[${i}].to uses "${key}"`);
    const ports = ops.length === 0 || ops.some((op) => asArray(at(op, 'ports')).length === 0) ? ['*'] : ops.flatMap((op) => asArray(at(op, 'ports')).map(String));
    const sources = asArray(at(rule, 'from')).map((f) => at(f, 'source'));
    const keys: string[] = [];
    if (sources.length === 0) keys.push('any');
    for (const source of sources) {
      const fields = Object.keys(isRecord(source) ? source : {});
      if (fields.length !== 1) problems.push(`rules[${i}].from has a source with ${fields.length === 0 ? 'no field' : `fields ${fields.join(' and ')}`}`);
      for (const field of fields) {
        const values = asArray(at(source, field)).map(String);
        if (field === 'principals') keys.push(...values.map((v) => `principal:${v}`));
        else if (field === 'namespaces') keys.push(...values.map((v) => `ns:${v}`));
        else if (field === 'ipBlocks') keys.push(...values.map((v) => `ip:${v}`));
        else problems.push(`rules[${i}].from uses "${field}"`);
      }
    }
    for (const key of keys) for (const port of ports) grants.push(grant(key, port));
  });
  return { grants, problems };
}
