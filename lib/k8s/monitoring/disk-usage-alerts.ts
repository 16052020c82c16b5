import type { IPrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import type { IRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Rule';
import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { ModelObject } from '../model-object';
import { monitoredNamespace, requirePositive } from './monitored-app';
import { escapeRegex, promDuration, promNumber, series, Severity, SEVERITY_LABEL } from './promql';

/** Props of {@link DiskUsageAlerts}. */
export interface DiskUsageAlertsProps {
  /** The name of the PrometheusRule. */
  readonly name: string;
  /**
   * The namespace of the PrometheusRule; its alerts cover the whole cluster.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * Labels of the PrometheusRule, including those the Prometheus Operator selects rules by.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * The `namespace` label every alert carries, so that the AlertmanagerConfig of that namespace routes
   * it: the Prometheus Operator scopes an AlertmanagerConfig to the alerts whose namespace label is its
   * own. A volume's own namespace is then kept in `claim_namespace`.
   * @default - the series' own: node-exporter's namespace, and each volume's namespace
   * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1alpha1.AlertmanagerConfigSpec
   */
  readonly alertNamespace?: string;
  /**
   * The used share of a disk above which a warning fires.
   * @default 0.7
   */
  readonly warningRatio?: number;
  /**
   * The used share of a disk above which a critical alert fires.
   * @default 0.9
   */
  readonly criticalRatio?: number;
  /**
   * How long the usage must stay above a threshold before the alert fires.
   * @default Duration.minutes(10)
   */
  readonly alertAfter?: Duration;
  /**
   * Node filesystem types left out: memory-backed and container overlay filesystems.
   * @default ['tmpfs', 'overlay']
   */
  readonly ignoredFilesystemTypes?: readonly string[];
}

/**
 * Cluster-wide disk alerts: a warning above 70% used and a critical alert above 90%, for node
 * filesystems (node-exporter) and PersistentVolumeClaims (kubelet volume stats). Both severities
 * of a disk share one alert name, so Alertmanager can inhibit the warning while the critical fires.
 * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.PrometheusRule
 */
export class DiskUsageAlerts extends Construct {
  public readonly resource: ModelObject<IPrometheusRule>;

  constructor(scope: Construct, id: string, props: DiskUsageAlertsProps) {
    super(scope, id);
    const warning = props.warningRatio ?? 0.7;
    const critical = props.criticalRatio ?? 0.9;
    const alertAfter = props.alertAfter ?? Duration.minutes(10);
    const ignored = props.ignoredFilesystemTypes ?? ['tmpfs', 'overlay'];
    if (!(warning > 0 && warning < critical && critical < 1)) {
      throw new Error(
        `${props.name}: warningRatio (${warning}) and criticalRatio (${critical}) must satisfy 0 < warning < critical < 1; fix: give shares like 0.7 and 0.9`,
      );
    }
    requirePositive(props.name, 'alertAfter', alertAfter);

    const fs = ignored.length > 0 ? [{ label: 'fstype', op: '!~', value: ignored.map(escapeRegex).join('|') } as const] : [];
    const nodeUsed = [
      `(1 - ${series('node_filesystem_avail_bytes', fs)}`,
      `  / ${series('node_filesystem_size_bytes', fs)})`,
    ].join('\n');
    const pvcRatio = [
      '(1 - max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_available_bytes)',
      '  / max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_capacity_bytes))',
    ].join('\n');
    const pvcUsed = props.alertNamespace === undefined ? pvcRatio : `label_replace(${pvcRatio}, "claim_namespace", "$1", "namespace", "(.*)")`;
    const claimNamespace = props.alertNamespace === undefined ? 'namespace' : 'claim_namespace';
    const routing: Record<string, string> = props.alertNamespace === undefined ? {} : { namespace: props.alertNamespace };

    const rule = (alert: string, used: string, ratio: number, severity: Severity, subject: string, where: string): IRule => ({
      alert,
      expr: `${used}\n> ${promNumber(ratio)}`,
      for: promDuration(alertAfter),
      labels: { ...routing, [SEVERITY_LABEL]: severity },
      annotations: {
        summary: `${subject} is more than ${promNumber(ratio * 100)}% full`,
        description: `${where} is {{ $value | humanizePercentage }} full.`,
      },
    });
    const node = 'Filesystem {{ $labels.mountpoint }} of node {{ $labels.instance }}';
    const pvc = `PersistentVolumeClaim {{ $labels.persistentvolumeclaim }} in {{ $labels.${claimNamespace} }}`;

    this.resource = new ModelObject<IPrometheusRule>(this, 'Resource', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: props.name, namespace: monitoredNamespace(this, props), labels: props.labels },
      spec: {
        groups: [
          {
            name: 'node-disk-usage',
            rules: [
              rule('NodeDiskUsageHigh', nodeUsed, warning, Severity.WARNING, 'A node filesystem', node),
              rule('NodeDiskUsageHigh', nodeUsed, critical, Severity.CRITICAL, 'A node filesystem', node),
            ],
          },
          {
            name: 'pvc-disk-usage',
            rules: [
              rule('PersistentVolumeUsageHigh', pvcUsed, warning, Severity.WARNING, 'A PersistentVolumeClaim', pvc),
              rule('PersistentVolumeUsageHigh', pvcUsed, critical, Severity.CRITICAL, 'A PersistentVolumeClaim', pvc),
            ],
          },
        ],
      },
    });
  }
}
