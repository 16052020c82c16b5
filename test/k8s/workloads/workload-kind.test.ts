import { type Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { RolloutStrategy } from '../../../lib/k8s/delivery/rollout-strategy';
import { appMetadata } from '../../../lib/k8s/workloads/app-metadata';
import { AppPodTemplate } from '../../../lib/k8s/workloads/pod-template';
import { WorkloadKind } from '../../../lib/k8s/workloads/workload-kind';
import { type WorkloadObject } from '../../../lib/k8s/workloads/workload-object';
import { validateObjects } from '../../../lib/validate/schemas';
import { labels, type Manifest, resources, synthWith } from './fixtures';

const canary = RolloutStrategy.canary({
  steps: [{ weight: 50, pause: Duration.minutes(5) }, { weight: 100 }],
  analysis: { templates: ['orders-analysis'] },
});

/** Renders one template with `kind` in a fresh chart; returns the object and the template. */
function render(kind: WorkloadKind, replicas?: number): { objects: Manifest[]; workload: WorkloadObject; template: AppPodTemplate } {
  let workload: WorkloadObject | undefined;
  let template: AppPodTemplate | undefined;
  const objects = synthWith((chart: Chart) => {
    template = new AppPodTemplate({
      labels,
      image: 'registry.example.com/shop/orders:v1.2.3',
      resources,
      ports: [{ name: 'http', port: 8080 }],
      probes: { port: 'http' },
      serviceAccount: kplus.ServiceAccount.fromServiceAccountName(chart, 'Sa', 'orders'),
    });
    workload = kind.render(chart, { metadata: appMetadata('orders', labels, { 'platform.shop/note': 'x' }), template, replicas });
  });
  if (!workload || !template) throw new Error('render did not run');
  return { objects, workload, template };
}

describe('WorkloadKind', () => {
  const deployment = render(WorkloadKind.deployment(), 3);
  const rollout = render(WorkloadKind.rollout(canary), 3);
  const [d] = deployment.objects;
  const [r] = rollout.objects;

  test('renders an apps/v1 Deployment with a rolling update of the template', () => {
    expect(deployment.objects).toHaveLength(1);
    expect([d.apiVersion, d.kind, d.metadata.name, d.metadata.namespace]).toEqual(['apps/v1', 'Deployment', 'orders', 'shop']);
    expect(d.metadata.annotations).toEqual({ 'platform.shop/note': 'x' });
    expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.selector).toEqual(deployment.template.selector);
    expect(d.spec.template.spec.containers[0].name).toBe('app');
  });

  test('renders an Argo Rollout of the same template, selector and metadata, with the strategy of the release', () => {
    expect(rollout.objects).toHaveLength(1);
    expect([r.apiVersion, r.kind, r.metadata.name]).toEqual(['argoproj.io/v1alpha1', 'Rollout', 'orders']);
    expect(r.metadata).toEqual(d.metadata);
    expect(r.spec.template).toEqual(d.spec.template);
    expect(r.spec.selector).toEqual(d.spec.selector);
    expect(r.spec.replicas).toBe(3);
    expect(r.spec.strategy).toEqual(canary.toArgo());
  });

  test('both kinds validate against their upstream schemas', () => {
    expect(validateObjects([...deployment.objects, ...rollout.objects])).toEqual([]);
  });

  test('the rendered object is the typed scaling target of an autoscaler, of its own kind', () => {
    expect(deployment.workload.toScalingTarget()).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'orders', replicas: 3 });
    expect(rollout.workload.toScalingTarget()).toMatchObject({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'orders', replicas: 3 });
    expect(render(WorkloadKind.deployment()).workload.toScalingTarget().replicas).toBeUndefined();
  });

  test('a Deployment lists its zone-spread selector as name then instance, as its manifests always have', () => {
    // cdk8s sorts every other map; this order keeps the Deployments already in GitOps byte for byte.
    const spreadOrder = (m: Manifest) => Object.keys(m.spec.template.spec.topologySpreadConstraints[0].labelSelector.matchLabels);
    expect(spreadOrder(d)).toEqual(['app.kubernetes.io/name', 'app.kubernetes.io/instance']);
    expect(spreadOrder(r)).toEqual(['app.kubernetes.io/instance', 'app.kubernetes.io/name']);
  });

  test('fails early when the rollout strategy cannot work', () => {
    const bad = RolloutStrategy.canary({ steps: [{ weight: 50 }], analysis: { templates: ['a'] } });
    expect(() => render(WorkloadKind.rollout(bad))).toThrow(/orders: canary steps \(50\) are not strictly increasing/);
  });
});

