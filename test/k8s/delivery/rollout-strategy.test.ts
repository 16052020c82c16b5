import { Chart, Duration, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { RolloutStrategy } from '../../../lib/k8s/delivery/rollout-strategy';
import { WebService, type WebServiceProps } from '../../../lib/k8s/workloads/web-service';
import { Worker, type WorkerProps } from '../../../lib/k8s/workloads/worker';
import { validateObjects } from '../../../lib/validate/schemas';

type Manifest = ReturnType<typeof Testing.synth>[number];

const labels = { app: 'web', instance: 'web', partOf: 'shop', version: 'v1.2.3', track: 'stable' as const };
const props: WorkerProps = {
  name: 'web',
  labels,
  image: 'registry.example.com/shop/web:v1.2.3',
  replicas: 3,
  resources: { name: 'test', cpu: { request: Cpu.millis(100), limit: Cpu.millis(500) }, memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) } },
  ports: [{ name: 'http', port: 8080 }],
  probes: { port: 'http' },
  configMapName: 'web-config',
  config: { A: '1' },
  autoscaling: { maxReplicas: 6 },
};
const analysis = { templates: ['web-analysis', 'web-error-budget'], podTemplateHashArg: 'pod-template-hash' };
const steps = [10, 50, 100].map((weight, i) => ({ weight, pause: i < 2 ? Duration.minutes(5) : undefined }));

function synth(extra: Partial<WebServiceProps> = {}, web = false): Manifest[] {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop-prod' });
  if (web) new WebService(chart, 'Web', { ...props, ...extra });
  else new Worker(chart, 'Worker', { ...props, ...extra });
  return Testing.synth(chart);
}
const byKind = (manifests: Manifest[], kind: string) => manifests.filter((m) => m.kind === kind);

describe('a workload with a rollout strategy', () => {
  const manifests = synth({ rollout: RolloutStrategy.canary({ steps, analysis }) });
  const [rollout] = byKind(manifests, 'Rollout');

  test('is an Argo Rollout instead of a Deployment, with the same pod template', () => {
    expect(byKind(manifests, 'Deployment')).toEqual([]);
    const [deployment] = byKind(synth(), 'Deployment');
    expect(rollout.apiVersion).toBe('argoproj.io/v1alpha1');
    expect(rollout.metadata.name).toBe('web');
    expect(rollout.spec.template).toEqual(deployment.spec.template);
    expect(rollout.spec.selector).toEqual(deployment.spec.selector);
    expect(rollout.spec.template.metadata.labels).toMatchObject({ track: 'stable', 'app.kubernetes.io/version': 'v1.2.3' });
    expect(rollout.spec.selector.matchLabels).not.toHaveProperty('track');
  });

  test('has setWeight steps with pauses, background analysis from the first step with the new pods\' hash, and never drops capacity', () => {
    expect(rollout.spec.strategy.canary).toEqual({
      maxSurge: 1,
      maxUnavailable: 0,
      steps: [{ setWeight: 10 }, { pause: { duration: '5m' } }, { setWeight: 50 }, { pause: { duration: '5m' } }, { setWeight: 100 }],
      analysis: {
        startingStep: 0,
        templates: [{ templateName: 'web-analysis' }, { templateName: 'web-error-budget' }],
        args: [{ name: 'pod-template-hash', valueFrom: { podTemplateHashValue: 'Latest' } }],
      },
    });
  });

  test('is scaled by its autoscaler, which targets the Rollout', () => {
    const [hpa] = byKind(manifests, 'HorizontalPodAutoscaler');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'web' });
    expect(rollout.spec.replicas).toBeUndefined();
  });

  test('validates against the Argo Rollouts schema', () => {
    expect(validateObjects(manifests)).toEqual([]);
  });

  test('routes through Istio when given the route and subsets', () => {
    const istio = { virtualService: 'web', route: 'primary', destinationRule: 'web' };
    const [r] = byKind(synth({ rollout: RolloutStrategy.canary({ steps, analysis, istio }) }), 'Rollout');
    expect(r.spec.strategy.canary.trafficRouting).toEqual({
      istio: { virtualService: { name: 'web', routes: ['primary'] }, destinationRule: { name: 'web', stableSubsetName: 'stable', canarySubsetName: 'canary' } },
    });
  });

  test('blue-green names its active and preview Services and analyses before promotion; a person promotes by default', () => {
    const m = synth({ rollout: RolloutStrategy.blueGreen({ activeService: 'web', previewService: 'web-preview', prePromotionAnalysis: analysis }), previewServiceName: 'web-preview' }, true);
    const [r] = byKind(m, 'Rollout');
    expect(r.spec.strategy.blueGreen).toMatchObject({ activeService: 'web', previewService: 'web-preview', autoPromotionEnabled: false });
    expect(r.spec.strategy.blueGreen.prePromotionAnalysis.templates).toEqual([{ templateName: 'web-analysis' }, { templateName: 'web-error-budget' }]);
    const services = byKind(m, 'Service');
    expect(services.map((s) => s.metadata.name)).toEqual(['web', 'web-preview']);
    expect(services[1].spec.selector).toEqual(services[0].spec.selector);
    expect(validateObjects(m)).toEqual([]);
  });

  test.each([
    ['steps that do not end at 100', [{ weight: 10 }, { weight: 50 }], /web: canary steps \(10, 50\) are not strictly increasing whole percents from 1 that end at 100; fix:/],
    ['steps that fall', [{ weight: 50 }, { weight: 10 }, { weight: 100 }], /canary steps \(50, 10, 100\) are not strictly increasing/],
    ['no steps', [], /canary steps \(none\)/],
  ])('fails early on %s', (_name, bad, message) => {
    expect(() => synth({ rollout: RolloutStrategy.canary({ steps: bad, analysis }) })).toThrow(message);
  });

  test('fails early without analysis templates, or with a preview Service that is the active one', () => {
    expect(() => synth({ rollout: RolloutStrategy.canary({ steps, analysis: { templates: [] } }) })).toThrow(/web: analysis templates \(none\) are empty or repeat a name; fix:/);
    expect(() => synth({ rollout: RolloutStrategy.blueGreen({ activeService: 'web', previewService: 'web', prePromotionAnalysis: analysis }) })).toThrow(
      /web: blue-green activeService and previewService are both "web"; fix:/,
    );
  });
});

describe('a web service whose Service selects every track', () => {
  test('selects by the given labels only', () => {
    const [service] = byKind(synth({ serviceSelector: { 'app.kubernetes.io/name': 'web' } }, true), 'Service');
    expect(service.spec.selector).toEqual({ 'app.kubernetes.io/name': 'web' });
  });
});
