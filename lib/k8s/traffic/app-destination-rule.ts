import type { IDestinationRule } from '@kubernetes-models/istio/networking.istio.io/v1/DestinationRule';
import { Construct } from 'constructs';
import { type AppLabels, appLabels } from '../labels';
import { ModelObject } from '../model-object';

/** One named set of an app's pods that traffic can be routed to, such as `stable` or `canary`. */
export interface DestinationSubset {
  /** The subset's name, which routes refer to: a DNS label, like "canary". */
  readonly name: string;
  /**
   * The pod labels that pick the subset's endpoints.
   * @default - every endpoint of the host (Argo Rollouts adds the pod template hash itself)
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Props of {@link AppDestinationRule}. */
export interface AppDestinationRuleProps {
  /** The name of the DestinationRule. */
  readonly name: string;
  /** The app's labels, as its workload carries them. */
  readonly labels: AppLabels;
  /** The name of the app's Service, in the chart's namespace. */
  readonly host: string;
  /** The subsets routes can send traffic to; at least one. */
  readonly subsets: readonly DestinationSubset[];
}

/**
 * An Istio DestinationRule that names the subsets of an app's Service, so an
 * {@link AppVirtualService} can split traffic between them.
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/
 */
export class AppDestinationRule extends Construct {
  public readonly resource: ModelObject<IDestinationRule>;
  /** The Service the rule applies to; routes through the rule send traffic to it. */
  public readonly host: string;
  /** The names of the subsets, in the order given. */
  public readonly subsetNames: readonly string[];

  constructor(scope: Construct, id: string, props: AppDestinationRuleProps) {
    super(scope, id);
    // Service names are DNS-1035 labels: a short name, resolved in the rule's namespace.
    if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(props.host) || props.host.length > 63) {
      throw new Error(`${props.name}: host "${props.host}" is not a Service name; fix: use the name of the app's Service, like "inventory-api"`);
    }
    checkSubsets(props.name, props.subsets);
    this.host = props.host;
    this.subsetNames = props.subsets.map((s) => s.name);
    this.resource = new ModelObject<IDestinationRule>(this, 'Resource', {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: props.name, labels: appLabels(props.labels) },
      spec: {
        host: props.host,
        subsets: props.subsets.map((s) => ({ name: s.name, labels: s.labels ? { ...s.labels } : undefined })),
      },
    });
  }
}

function checkSubsets(owner: string, subsets: readonly DestinationSubset[]): void {
  if (subsets.length === 0) {
    throw new Error(`${owner}: subsets is empty; fix: name at least one subset, like { name: "stable" }`);
  }
  const seen = new Set<string>();
  subsets.forEach((subset, index) => {
    const field = `subsets[${index}]`;
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(subset.name) || subset.name.length > 63) {
      throw new Error(`${owner}: ${field}.name "${subset.name}" is not a DNS label; fix: use at most 63 lower-case letters, digits and '-', like "canary"`);
    }
    if (seen.has(subset.name)) {
      throw new Error(`${owner}: ${field}.name "${subset.name}" appears twice; fix: give each subset its own name`);
    }
    seen.add(subset.name);
    for (const [key, value] of Object.entries(subset.labels ?? {})) {
      if (!isLabelKey(key) || !isLabelValue(value)) {
        throw new Error(`${owner}: ${field}.labels has "${key}": "${value}", which is not a Kubernetes label; fix: use a label the subset's pods carry, like "app.kubernetes.io/version": "v1"`);
      }
    }
  });
}

function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  const name = key.slice(slash + 1);
  const prefixOk = prefix === undefined || (prefix.length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(prefix));
  return prefixOk && name.length > 0 && isLabelValue(name);
}

function isLabelValue(value: string): boolean {
  return value.length <= 63 && /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(value);
}
