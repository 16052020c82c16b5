import { WebService, type WebServiceProps } from '../../../lib/k8s/workloads/web-service';
import { find, type Manifest, synthWith, workerProps } from './fixtures';

const props: WebServiceProps = {
  ...workerProps,
  name: 'api',
  labels: { app: 'api', instance: 'api-canary', partOf: 'shop', version: 'v2.0.0' },
  ports: [
    { name: 'http', port: 8080 },
    { name: 'metrics', port: 9090 },
  ],
  probes: { port: 'http' },
};

function synth(extra: Partial<WebServiceProps> = {}): { objs: Manifest[]; web: WebService } {
  let web: WebService | undefined;
  const objs = synthWith((chart) => (web = new WebService(chart, 'W', { ...props, ...extra })));
  if (!web) throw new Error('not built');
  return { objs, web };
}

describe('WebService', () => {
  test('composes a Worker and the Service in front of its pods', () => {
    const { objs, web } = synth();
    expect(web.service).toBe(web.exposure.service);
    expect(web.workload.workload.kind).toBe('Deployment');
    const pods = find(objs, 'Deployment')?.spec.template.metadata.labels;
    const service = find(objs, 'Service');
    expect(service?.spec).toMatchObject({
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api-canary' },
      ports: [
        { name: 'http', port: 8080, targetPort: 8080 },
        { name: 'metrics', port: 9090, targetPort: 9090 },
      ],
    });
    expect(pods).toMatchObject(service?.spec.selector);
  });

  test('passes the service options to its exposure', () => {
    const { objs } = synth({ servicePorts: ['http'], serviceSelector: { 'app.kubernetes.io/name': 'api' }, previewServiceName: 'api-preview' });
    const services = objs.filter((o) => o.kind === 'Service');
    expect(services.map((s) => s.metadata.name)).toEqual(['api', 'api-preview']);
    expect(services[0].spec.selector).toEqual({ 'app.kubernetes.io/name': 'api' });
    expect(services[0].spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 8080 }]);
  });

  test('fails if it has no port to serve', () => {
    expect(() => synth({ servicePorts: ['grpc'] })).toThrow(/api: a web service needs at least one port/);
  });
});
