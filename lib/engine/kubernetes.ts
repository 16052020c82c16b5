import { Chart } from 'cdk8s';
import { dump } from 'js-yaml';
import { naming } from '../model/naming';
import { OutputFile } from './output';

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

/**
 * One YAML document in block style with no line folding, so diffs stay line by line. Strings that
 * YAML 1.1 would read as booleans or numbers (`'on'`, `'1.0'`) are quoted, as Kubernetes needs.
 */
export function toYaml(object: unknown): string {
  return dump(object, { lineWidth: -1, noRefs: true });
}
