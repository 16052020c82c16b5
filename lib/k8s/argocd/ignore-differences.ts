import type { IResourceIgnoreDifferences } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ResourceIgnoreDifferences';
import { type InstanceDelivery } from '../../model/delivery';
import { naming } from '../../model/naming';
import { type AppInstance } from '../../model/app-instance';
import { type ChallengeType, HTTP01_SOLVER } from '../../model/traffic';

/** The label Argo Rollouts adds to subsets and Services to pin them to one version's pods. */
const HASH = '"rollouts-pod-template-hash"';

type Ignores = (name: string) => IResourceIgnoreDifferences[];

/**
 * The fields Argo Rollouts changes at run time, per delivery type. ArgoCD ignores them in its diff
 * and, with RespectIgnoreDifferences, leaves them alone at sync, so it never undoes a release in
 * progress.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/diffing/
 * @see https://argo-rollouts.readthedocs.io/en/stable/features/traffic-management/istio/
 */
const IGNORES: { readonly [T in InstanceDelivery['type']]: Ignores } = {
  rolling: () => [],
  // Production owns these weights, from the canary setting: ArgoCD keeps them as written.
  canary: () => [],
  candidate: () => [],
  rolloutIstio: (name) => [
    { group: 'networking.istio.io', kind: 'VirtualService', name, jqPathExpressions: ['.spec.http[].route[].weight'] },
    { group: 'networking.istio.io', kind: 'DestinationRule', name, jqPathExpressions: [`.spec.subsets[].labels[${HASH}]`] },
  ],
  blueGreen: (name) =>
    [name, naming.preview(name)].map((service) => ({ group: '', kind: 'Service', name: service, jqPathExpressions: [`.spec.selector[${HASH}]`] })),
};

/**
 * cert-manager's HTTP-01 solver adds a `/.well-known/acme-challenge/<token>` path to the Ingress it
 * solves in place, for the challenge's life: ArgoCD ignores exactly those paths, so self-heal does not
 * remove them. The path is a jq string literal, hence JSON-quoted.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/diffing/#application-level-configuration
 */
const INGRESS_IGNORES: { readonly [C in ChallengeType | 'none']: Ignores } = {
  http01: (name) => [{
    group: 'networking.k8s.io',
    kind: 'Ingress',
    name,
    jqPathExpressions: [`.spec.rules[]?.http.paths[]? | select((.path // "") | startswith(${JSON.stringify(HTTP01_SOLVER.pathPrefix)}))`],
  }],
  dns01: () => [],
  none: () => [],
};

/** The ignoreDifferences of the Application that syncs these instances, in their order. */
export function ignoreDifferences(instances: readonly AppInstance[]): IResourceIgnoreDifferences[] {
  return instances.flatMap((i) => [...IGNORES[i.delivery.type](i.name), ...INGRESS_IGNORES[i.ingress?.challenge ?? 'none'](i.name)]
    .map((entry) => ({ ...entry, namespace: i.env.namespace })));
}
