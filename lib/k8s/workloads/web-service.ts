import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { selectorLabels } from '../labels';
import { Worker, WorkerProps } from './worker';

/** Props of {@link WebService}. */
export interface WebServiceProps extends WorkerProps {
  /** Ports the Service exposes, by name. @default - every port */
  readonly servicePorts?: readonly string[];
  /**
   * The pod labels the Service selects. Production's Service selects the app's name only, so it
   * reaches the canary environment's candidate too.
   * @default - the workload's own pods
   */
  readonly serviceSelector?: Readonly<Record<string, string>>;
  /**
   * A second Service with the same ports, for a blue-green Rollout's preview.
   * @default - none
   */
  readonly previewServiceName?: string;
}

/** A {@link Worker} that serves traffic: the same Deployment behind a ClusterIP Service. */
export class WebService extends Worker {
  public readonly service: kplus.Service;
  public readonly previewService?: kplus.Service;

  constructor(scope: Construct, id: string, props: WebServiceProps) {
    super(scope, id, props);
    const ports = (props.ports ?? []).filter((p) => props.servicePorts === undefined || props.servicePorts.includes(p.name));
    if (ports.length === 0) {
      throw new Error(`${props.name}: a web service needs at least one port; fix: declare a port, or use a Worker`);
    }
    const service = (id: string, name: string): kplus.Service => {
      const s = new kplus.Service(this, id, {
        metadata: this.metadata(name),
        type: kplus.ServiceType.CLUSTER_IP,
        ports: ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.port })),
      });
      for (const [key, value] of Object.entries(props.serviceSelector ?? selectorLabels(props.labels))) s.selectLabel(key, value);
      return s;
    };
    this.service = service('Service', props.name);
    if (props.previewServiceName !== undefined) {
      if (props.previewServiceName === props.name) {
        throw new Error(`${props.name}: previewServiceName is the Service's own name; fix: name the preview "${props.name}-preview"`);
      }
      this.previewService = service('Preview', props.previewServiceName);
    }
  }
}
