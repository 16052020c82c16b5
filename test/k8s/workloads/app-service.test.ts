import { AppService, type AppServiceProps } from '../../../lib/k8s/workloads/app-service';
import { Worker } from '../../../lib/k8s/workloads/worker';
import { type Manifest, ofKind, synthWith, workerProps } from './fixtures';

const ports = [
  { name: 'http', port: 8080 },
  { name: 'metrics', port: 9090 },
];

function services(props: Omit<AppServiceProps, 'workload'> = {}): Manifest[] {
  const objs = synthWith((chart) => {
    const workload = new Worker(chart, 'W', { ...workerProps, ports, probes: { port: 'http' } });
    new AppService(chart, 'S', { workload, ...props });
  });
  return ofKind(objs, 'Service');
}

describe('AppService', () => {
  test('is a ClusterIP Service named after the workload, selecting its pods, with its named ports', () => {
    const [service] = services();
    expect(service.metadata.name).toBe('orders');
    expect(service.spec).toMatchObject({
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': 'orders', 'app.kubernetes.io/instance': 'orders' },
      ports: [
        { name: 'http', port: 8080, targetPort: 8080 },
        { name: 'metrics', port: 9090, targetPort: 9090 },
      ],
    });
  });

  test('exposes only the given ports, and selects by the given labels', () => {
    const [service] = services({ ports: ['http'], selector: { 'app.kubernetes.io/name': 'orders' } });
    expect(service.spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 8080 }]);
    expect(service.spec.selector).toEqual({ 'app.kubernetes.io/name': 'orders' });
  });

  test('adds a preview Service with the same ports and selector', () => {
    const [active, preview] = services({ previewServiceName: 'orders-preview' });
    expect(preview.metadata.name).toBe('orders-preview');
    expect(preview.spec).toEqual(active.spec);
  });

  test('fails if it has no port to serve, or if the preview has the Service\'s own name', () => {
    expect(() => services({ ports: ['grpc'] })).toThrow(/orders: a web service needs at least one port/);
    expect(() => services({ previewServiceName: 'orders' })).toThrow(/orders: previewServiceName is the Service's own name; fix: name the preview "orders-preview"/);
  });
});
