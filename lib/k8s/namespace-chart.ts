import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

/** Props of {@link NamespaceChart}. */
export interface NamespaceChartProps {
  readonly namespace: string;
  /** Labels for the Namespace, such as the owning platform and environment. */
  readonly labels: Readonly<Record<string, string>>;
}

/** The namespace an environment owns. */
export class NamespaceChart extends Chart {
  constructor(scope: Construct, id: string, props: NamespaceChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    new kplus.Namespace(this, 'Namespace', { metadata: { name: props.namespace, labels: { ...props.labels } } });
  }
}
