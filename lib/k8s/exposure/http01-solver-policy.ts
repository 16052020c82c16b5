import { IntOrString, KubeNetworkPolicy } from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';

/** Props of {@link Http01SolverPolicy}. */
export interface Http01SolverPolicyProps {
  readonly name: string;
  readonly labels?: Readonly<Record<string, string>>;
  /** The labels cert-manager gives its HTTP-01 solver pods. */
  readonly solverLabels: Readonly<Record<string, string>>;
  /** The port the solver listens on. */
  readonly port: number;
  /** Where the load balancer's proxies and health checks connect from. */
  readonly sources: readonly string[];
}

/**
 * The hole the HTTP-01 solver needs in its namespace's default-deny policy: cert-manager runs the
 * solver pod in the Certificate's namespace, and Google's load balancer (and its health checks)
 * must reach it on the solver port. Ingress only: the solver calls nothing.
 * @see https://cert-manager.io/docs/configuration/acme/http01/
 * @see https://cloud.google.com/load-balancing/docs/health-check-concepts#ip-ranges
 */
export class Http01SolverPolicy extends Construct {
  constructor(scope: Construct, id: string, props: Http01SolverPolicyProps) {
    super(scope, id);
    if (props.sources.length === 0) throw new Error(`${props.name}: no source ranges; fix: give the load balancer's ranges`);
    new KubeNetworkPolicy(this, 'Resource', {
      metadata: { name: props.name, labels: props.labels && { ...props.labels } },
      spec: {
        podSelector: { matchLabels: { ...props.solverLabels } },
        policyTypes: ['Ingress'],
        ingress: [{
          from: props.sources.map((cidr) => ({ ipBlock: { cidr } })),
          ports: [{ protocol: 'TCP', port: IntOrString.fromNumber(props.port) }],
        }],
      },
    });
  }
}
