import type { IVirtualService } from '@kubernetes-models/istio/networking.istio.io/v1/VirtualService';
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { type AppLabels, appLabels } from '../labels';
import { ModelObject } from '../model-object';
import { type AppDestinationRule } from './app-destination-rule';

/** The share of a route's traffic that one subset receives. */
export interface SubsetWeight {
  /** A subset of the route's destination rule. */
  readonly subset: string;
  /** The percentage of the traffic, a whole number from 0 to 100. */
  readonly weight: number;
}

/** Props of {@link AppVirtualService}. */
export interface AppVirtualServiceProps {
  /** The name of the VirtualService. */
  readonly name: string;
  /** The app's labels, as its workload carries them. */
  readonly labels: AppLabels;
  /** The hosts clients address, such as the Service name; at least one, each once. */
  readonly hosts: readonly string[];
  /**
   * The gateways the routes apply to; `mesh` is every sidecar in the mesh.
   * @default ['mesh']
   */
  readonly gateways?: readonly string[];
  /** The rule whose host and subsets the traffic goes to. */
  readonly destinationRule: AppDestinationRule;
  /** The port of the destination Service. */
  readonly port: number;
  /**
   * The name of the HTTP route, which an Argo Rollout names to set its weights.
   * @default 'primary'
   */
  readonly routeName?: string;
  /** How the traffic is split between the rule's subsets; the weights add up to 100. */
  readonly weights: readonly SubsetWeight[];
}

/**
 * An Istio VirtualService with one HTTP route that splits an app's traffic between the subsets of
 * its {@link AppDestinationRule}, by weight.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/
 */
export class AppVirtualService extends Construct {
  public readonly resource: ModelObject<IVirtualService>;
  /** The name of the HTTP route. */
  public readonly routeName: string;

  constructor(scope: Construct, id: string, props: AppVirtualServiceProps) {
    super(scope, id);
    const gateways = props.gateways ?? ['mesh'];
    this.routeName = props.routeName ?? 'primary';
    checkHosts(props.name, props.hosts);
    if (gateways.length === 0) {
      throw new Error(`${props.name}: gateways is empty; fix: omit gateways for traffic inside the mesh, or name the gateways, like "istio-ingress/public"`);
    }
    if (!Number.isInteger(props.port) || props.port < 1 || props.port > 65535) {
      throw new Error(`${props.name}: port (${props.port}) is not a port number; fix: use the Service port, from 1 to 65535, like 80`);
    }
    if (this.routeName.trim() === '' || /\s/.test(this.routeName)) {
      throw new Error(`${props.name}: routeName "${this.routeName}" must be a word without white space; fix: use a name like "primary"`);
    }
    checkWeights(props.name, props.weights, props.destinationRule);
    // The destination host is a short name, which Istio resolves in the VirtualService's namespace.
    const namespace = Chart.of(this).namespace;
    const ruleNamespace = props.destinationRule.resource.metadata.namespace;
    if (namespace !== ruleNamespace) {
      throw new Error(
        `${props.name}: the VirtualService is in namespace "${namespace}" and its destination rule in "${ruleNamespace}", so host "${props.destinationRule.host}" would name another Service; fix: create both in the app's chart`,
      );
    }
    this.resource = new ModelObject<IVirtualService>(this, 'Resource', {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: props.name, labels: appLabels(props.labels) },
      spec: {
        hosts: [...props.hosts],
        gateways: [...gateways],
        http: [
          {
            name: this.routeName,
            route: props.weights.map((w) => ({
              destination: { host: props.destinationRule.host, subset: w.subset, port: { number: props.port } },
              weight: w.weight,
            })),
          },
        ],
      },
    });
  }
}

function checkHosts(owner: string, hosts: readonly string[]): void {
  if (hosts.length === 0) {
    throw new Error(`${owner}: hosts is empty; fix: list the hosts clients address, like the Service name "inventory-api"`);
  }
  const seen = new Set<string>();
  hosts.forEach((host, index) => {
    if (!/^(\*|(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)$/.test(host) || host.length > 253) {
      throw new Error(`${owner}: hosts[${index}] "${host}" is not a host name; fix: use a Service name or a DNS name, like "inventory-api" or "shop.example.com"`);
    }
    if (seen.has(host)) {
      throw new Error(`${owner}: hosts[${index}] "${host}" appears twice; fix: list each host once`);
    }
    seen.add(host);
  });
}

/** Istio needs the weights of a route to add up to 100, each to a subset the rule defines. */
function checkWeights(owner: string, weights: readonly SubsetWeight[], rule: AppDestinationRule): void {
  if (weights.length === 0) {
    throw new Error(`${owner}: weights is empty; fix: give a weight to at least one subset, like { subset: "stable", weight: 100 }`);
  }
  const seen = new Set<string>();
  let total = 0;
  weights.forEach((w, index) => {
    const field = `weights[${index}]`;
    if (!rule.subsetNames.includes(w.subset)) {
      throw new Error(
        `${owner}: ${field}.subset "${w.subset}" is not a subset of destination rule "${rule.resource.name}" (subsets: ${rule.subsetNames.join(', ')}); fix: add the subset to the rule, or route to one of its subsets`,
      );
    }
    if (seen.has(w.subset)) {
      throw new Error(`${owner}: ${field}.subset "${w.subset}" appears twice; fix: give each subset one weight`);
    }
    seen.add(w.subset);
    if (!Number.isInteger(w.weight) || w.weight < 0 || w.weight > 100) {
      throw new Error(`${owner}: ${field}.weight (${w.weight}) of subset "${w.subset}" must be a whole number from 0 to 100; fix: give a percentage, like 10`);
    }
    total += w.weight;
  });
  if (total !== 100) {
    throw new Error(`${owner}: the weights add up to ${total}, not 100; fix: change them so the whole traffic is routed, like 90 and 10`);
  }
}
