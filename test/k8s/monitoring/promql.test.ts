import { Duration } from 'cdk8s';
import { appPodMatchers, appSeriesMatchers, httpMetrics, promDuration, promLabelName, promNumber, series } from '../../../lib/k8s/monitoring/promql';

const labels = { app: 'inventory-api', instance: 'inventory-api', partOf: 'shop', version: 'v1.4.2' };

describe('PromQL helpers', () => {
  test('durations in their largest whole unit', () => {
    expect([Duration.hours(4), Duration.minutes(90), Duration.seconds(30), Duration.millis(1500)].map(promDuration)).toEqual(['4h', '90m', '30s', '1500ms']);
  });

  test('numbers without float noise', () => {
    expect([0.05, 0.1 + 0.2, 0.3 * 100, 1].map(promNumber)).toEqual(['0.05', '0.3', '30', '1']);
  });

  test('Kubernetes labels as the Prometheus Operator spells them', () => {
    expect(promLabelName('app.kubernetes.io/instance')).toBe('app_kubernetes_io_instance');
  });

  test('selectors quote their values as PromQL strings', () => {
    expect(series('up', [{ label: 'job', op: '=~', value: 'a"b\\c' }])).toBe('up{job=~"a\\"b\\\\c"}');
  });

  test('an app is selected by namespace and instance, its pods by namespace and name', () => {
    expect(series('m', appSeriesMatchers(labels, 'shop'))).toBe('m{namespace="shop",app_kubernetes_io_instance="inventory-api"}');
    expect(series('m', appPodMatchers(labels, 'shop'))).toBe('m{namespace="shop",pod=~"inventory-api-[a-z0-9]{1,10}-[a-z0-9]{5}"}');
  });

  test('HTTP metric names default to the conventional ones', () => {
    expect(httpMetrics('x')).toEqual({ requestsTotal: 'http_requests_total', statusCodeLabel: 'code', durationBucket: 'http_request_duration_seconds_bucket' });
  });

  test('fails if a reserved label name is given', () => {
    expect(() => httpMetrics('x', { statusCodeLabel: '__name__' })).toThrow('metrics.statusCodeLabel "__name__" is not a Prometheus label name');
  });
});
