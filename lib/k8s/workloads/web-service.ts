import type * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { AppService } from './app-service';
import { Worker, type WorkerProps } from './worker';

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

/** An app that serves traffic: a {@link Worker} and the {@link AppService} in front of its pods. */
export class WebService extends Construct {
  public readonly workload: Worker;
  public readonly exposure: AppService;

  constructor(scope: Construct, id: string, props: WebServiceProps) {
    super(scope, id);
    this.workload = new Worker(this, 'Worker', props);
    this.exposure = new AppService(this, 'Exposure', {
      workload: this.workload,
      ports: props.servicePorts,
      selector: props.serviceSelector,
      previewServiceName: props.previewServiceName,
    });
  }

  /** The Service users and other apps reach. */
  public get service(): kplus.Service {
    return this.exposure.service;
  }
}
