import { type Chart } from 'cdk8s';
import { naming } from '../model/naming';
import { type OutputFile } from './output';
import { toYaml } from './yaml';

/** The fields every synthesized Kubernetes object has. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly [key: string]: unknown;
}

/**
 * Renders every object of a chart into its own file under `dir`. The chart must be the only chart
 * of its cdk8s App: `Chart.toJson()` resolves and validates the whole App, so one App per chart
 * keeps the cost of a synth linear in the number of charts.
 */
export function renderChart(chart: Chart, dir: string, scope: string): OutputFile[] {
  return (chart.toJson() as KubeObject[]).map((object) => ({
    path: `${dir}/${naming.manifestFile(object.kind, object.metadata.name)}`,
    content: toYaml(object),
    scope,
  }));
}
