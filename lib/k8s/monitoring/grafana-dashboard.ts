import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { stableJson } from '../../engine/stable-json';

/** A JSON value, as a Grafana dashboard is made of. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** The JSON model of a Grafana dashboard. */
export interface DashboardJson {
  /** The dashboard's stable id in Grafana: at most 40 letters, digits, '-' and '_'. */
  readonly uid: string;
  readonly title: string;
  readonly [key: string]: JsonValue;
}

/**
 * The label the Grafana dashboard sidecar discovers ConfigMaps by; kube-prometheus-stack's values
 * select it (lib/k8s/addons/addon-values.ts).
 * @see https://github.com/grafana/helm-charts/tree/main/charts/grafana#sidecar-for-dashboards
 */
export const DASHBOARD_SIDECAR_LABELS: Readonly<Record<string, string>> = { grafana_dashboard: '1' };

/** Props of {@link GrafanaDashboard}. */
export interface GrafanaDashboardProps {
  /** The name of the ConfigMap. */
  readonly name: string;
  /** @default - the chart's namespace */
  readonly namespace?: string;
  readonly dashboard: DashboardJson;
  /**
   * The labels the Grafana dashboard sidecar discovers ConfigMaps by.
   * @default { grafana_dashboard: '1' }
   * @see https://github.com/grafana/helm-charts/tree/main/charts/grafana#sidecar-for-dashboards
   */
  readonly sidecarLabels?: Readonly<Record<string, string>>;
  /**
   * More labels of the ConfigMap.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * The ConfigMap key, which the sidecar uses as the file name.
   * @default - `<name>.json`
   */
  readonly fileName?: string;
}

/** The size limit of a ConfigMap. */
const MAX_CONFIGMAP_BYTES = 1024 * 1024;

/**
 * A Grafana dashboard as a ConfigMap that Grafana's sidecar loads. The JSON is written with its
 * keys sorted and two-space indents, so a change to a dashboard reads as a small diff.
 */
export class GrafanaDashboard extends Construct {
  public readonly configMap: kplus.ConfigMap;

  constructor(scope: Construct, id: string, props: GrafanaDashboardProps) {
    super(scope, id);
    const { uid } = props.dashboard;
    if (!/^[a-zA-Z0-9_-]{1,40}$/.test(uid)) {
      throw new Error(`${props.name}: dashboard uid "${uid}" is not a Grafana uid (1 to 40 letters, digits, '-' and '_'); fix: give a shorter uid`);
    }
    const fileName = props.fileName ?? `${props.name}.json`;
    if (!/^[-._a-zA-Z0-9]+$/.test(fileName)) {
      throw new Error(`${props.name}: fileName "${fileName}" is not a ConfigMap key (letters, digits, '-', '_' and '.'); fix: use a name like "overview.json"`);
    }
    const json = stableJson(props.dashboard);
    if (Buffer.byteLength(json) > MAX_CONFIGMAP_BYTES) {
      throw new Error(`${props.name}: the dashboard JSON (${Buffer.byteLength(json)} bytes) does not fit in a ConfigMap (1 MiB); fix: split the dashboard`);
    }
    this.configMap = new kplus.ConfigMap(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: { ...props.labels, ...(props.sidecarLabels ?? DASHBOARD_SIDECAR_LABELS) },
      },
      data: { [fileName]: json },
    });
  }
}
