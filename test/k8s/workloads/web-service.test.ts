import { Testing } from 'cdk8s';
import { profiles } from '../../../apps/profiles';
import { WebService, WebServiceProps } from '../../../lib/k8s/workloads/web-service';

const props: WebServiceProps = {
  name: 'api',
  labels: { app: 'api', instance: 'api-canary', partOf: 'shop', version: 'v2.0.0' },
  image: 'r/api:v2.0.0',
  replicas: 1,
  resources: profiles.minimal,
  ports: [
    { name: 'http', port: 8080 },
    { name: 'metrics', port: 9090 },
  ],
  probes: { port: 'http' },
  configMapName: 'api-config',
};

describe('WebService', () => {
  test('adds a ClusterIP Service that selects the pods by the app labels, with named ports', () => {
    const chart = Testing.chart();
    new WebService(chart, 'W', props);
    const service = Testing.synth(chart).find((o) => o.kind === 'Service');
    expect(service.spec).toMatchObject({
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api-canary' },
      ports: [
        { name: 'http', port: 8080, targetPort: 8080 },
        { name: 'metrics', port: 9090, targetPort: 9090 },
      ],
    });
  });

  test('fails if it has no port to serve', () => {
    const chart = Testing.chart();
    expect(() => new WebService(chart, 'W', { ...props, servicePorts: ['grpc'] })).toThrow(/api: a web service needs at least one port/);
  });
});
