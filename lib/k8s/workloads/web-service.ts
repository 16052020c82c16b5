import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { selectorLabels } from '../labels';
import { Worker, WorkerProps } from './worker';

/** Props of {@link WebService}. */
export interface WebServiceProps extends WorkerProps {
  /** Ports the Service exposes, by name. @default - every port */
  readonly servicePorts?: readonly string[];
}

/** A {@link Worker} that serves traffic: the same Deployment behind a ClusterIP Service. */
export class WebService extends Worker {
  public readonly service: kplus.Service;

  constructor(scope: Construct, id: string, props: WebServiceProps) {
    super(scope, id, props);
    const ports = (props.ports ?? []).filter((p) => props.servicePorts === undefined || props.servicePorts.includes(p.name));
    if (ports.length === 0) {
      throw new Error(`${props.name}: a web service needs at least one port; fix: declare a port, or use a Worker`);
    }
    this.service = new kplus.Service(this, 'Service', {
      metadata: this.metadata(props.name),
      type: kplus.ServiceType.CLUSTER_IP,
      ports: ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.port })),
    });
    for (const [key, value] of Object.entries(selectorLabels(props.labels))) this.service.selectLabel(key, value);
  }
}
