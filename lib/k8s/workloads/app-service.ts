import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { selectorLabels } from '../labels';
import { appMetadata } from './app-metadata';
import { type Worker } from './worker';

/** Props of {@link AppService}. */
export interface AppServiceProps {
  /** The workload whose pods the Service reaches; the Service takes its name and ports. */
  readonly workload: Worker;
  /** Ports the Service exposes, by name. @default - every port of the workload */
  readonly ports?: readonly string[];
  /**
   * The pod labels the Service selects. Production's Service selects the app's name only, so it
   * reaches the canary environment's candidate too.
   * @default - the workload's own pods
   */
  readonly selector?: Readonly<Record<string, string>>;
  /**
   * A second Service with the same ports, for a blue-green Rollout's preview.
   * @default - none
   */
  readonly previewServiceName?: string;
}

/**
 * The ClusterIP Service that exposes a workload's pods under its name, with named ports, and a
 * preview Service beside it for a blue-green release.
 * @see https://kubernetes.io/docs/concepts/services-networking/service/
 */
export class AppService extends Construct {
  public readonly service: kplus.Service;
  public readonly previewService?: kplus.Service;

  constructor(scope: Construct, id: string, props: AppServiceProps) {
    super(scope, id);
    const workload = props.workload;
    const ports = workload.ports.filter((p) => props.ports === undefined || props.ports.includes(p.name));
    if (ports.length === 0) {
      throw new Error(`${workload.name}: a web service needs at least one port; fix: declare a port, or use a Worker`);
    }
    const selector = props.selector ?? selectorLabels(workload.labels);
    const service = (serviceId: string, name: string): kplus.Service => {
      const s = new kplus.Service(this, serviceId, {
        metadata: appMetadata(name, workload.labels),
        type: kplus.ServiceType.CLUSTER_IP,
        ports: ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.port })),
      });
      for (const [key, value] of Object.entries(selector)) s.selectLabel(key, value);
      return s;
    };
    this.service = service('Service', workload.name);
    if (props.previewServiceName !== undefined) {
      if (props.previewServiceName === workload.name) {
        throw new Error(`${workload.name}: previewServiceName is the Service's own name; fix: name the preview "${workload.name}-preview"`);
      }
      this.previewService = service('Preview', props.previewServiceName);
    }
  }
}
