import { Chart, Duration, Testing } from 'cdk8s';
import { DiskUsageAlerts, type DiskUsageAlertsProps } from '../../../lib/k8s/monitoring/disk-usage-alerts';
import { validateObjects } from '../../../lib/validate/schemas';

type Manifest = ReturnType<typeof Testing.synth>[number];

interface Rule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
}

function synth(props: Partial<DiskUsageAlertsProps> = {}): Manifest[] {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'monitoring' });
  new DiskUsageAlerts(chart, 'Disk', { name: 'disk-usage', ...props });
  return Testing.synth(chart);
}

function rules(props: Partial<DiskUsageAlertsProps> = {}): Rule[] {
  return (synth(props)[0].spec.groups as { rules: Rule[] }[]).flatMap((g) => g.rules);
}

describe('DiskUsageAlerts', () => {
  test('one PrometheusRule with a node group and a PVC group', () => {
    const [object] = synth({ labels: { release: 'kube-prometheus-stack' } });
    expect(object).toMatchObject({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: 'disk-usage', namespace: 'monitoring', labels: { release: 'kube-prometheus-stack' } },
    });
    expect(object.spec.groups.map((g: { name: string }) => g.name)).toEqual(['node-disk-usage', 'pvc-disk-usage']);
  });

  test('warning above 70% and critical above 90%, for nodes and for PVCs', () => {
    expect(rules().map((r) => [r.alert, r.labels.severity, r.expr.split('\n').pop()])).toEqual([
      ['NodeDiskUsageHigh', 'warning', '> 0.7'],
      ['NodeDiskUsageHigh', 'critical', '> 0.9'],
      ['PersistentVolumeUsageHigh', 'warning', '> 0.7'],
      ['PersistentVolumeUsageHigh', 'critical', '> 0.9'],
    ]);
    expect(rules().every((r) => r.for === '10m')).toBe(true);
  });

  test('node usage comes from node-exporter, leaving out tmpfs and overlay', () => {
    expect(rules()[0].expr).toBe(
      [
        '(1 - node_filesystem_avail_bytes{fstype!~"tmpfs|overlay"}',
        '  / node_filesystem_size_bytes{fstype!~"tmpfs|overlay"})',
        '> 0.7',
      ].join('\n'),
    );
  });

  test('PVC usage comes from the kubelet volume stats, per claim', () => {
    expect(rules()[2].expr).toBe(
      [
        '(1 - max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_available_bytes)',
        '  / max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_capacity_bytes))',
        '> 0.7',
      ].join('\n'),
    );
  });

  test('thresholds, delay and ignored filesystems are props', () => {
    const custom = rules({ warningRatio: 0.8, criticalRatio: 0.95, alertAfter: Duration.minutes(30), ignoredFilesystemTypes: ['tmpfs', 'squashfs'] });
    expect(custom.map((r) => r.expr.split('\n').pop())).toEqual(['> 0.8', '> 0.95', '> 0.8', '> 0.95']);
    expect(custom[0].for).toBe('30m');
    expect(custom[0].expr).toContain('fstype!~"tmpfs|squashfs"');
  });

  test('passes the upstream schema', () => {
    expect(validateObjects(synth())).toEqual([]);
  });

  test('fails if the warning threshold is not below the critical one', () => {
    expect(() => synth({ warningRatio: 0.9, criticalRatio: 0.7 })).toThrow(
      'disk-usage: warningRatio (0.9) and criticalRatio (0.7) must satisfy 0 < warning < critical < 1; fix: give shares like 0.7 and 0.9',
    );
    expect(() => synth({ criticalRatio: 90 })).toThrow('must satisfy 0 < warning < critical < 1');
  });

  test('fails if there is no namespace', () => {
    expect(() => {
      const chart = Testing.chart();
      new DiskUsageAlerts(chart, 'Disk', { name: 'disk-usage' });
    }).toThrow('disk-usage: no namespace');
  });
});
