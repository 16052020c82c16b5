import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { naming } from '../model/naming';
import { AppInstance } from '../model/platform';
import { AppWorkload } from './app-workload';

/** Props of {@link AppChart}. */
export interface AppChartProps {
  /** The app as it runs in one environment. */
  readonly instance: AppInstance;
  /** The platform name, for the `part-of` label. */
  readonly platform: string;
}

/** Every object of one app in one environment. */
export class AppChart extends Chart {
  public readonly workload: AppWorkload;

  constructor(scope: Construct, id: string, props: AppChartProps) {
    const { instance } = props;
    super(scope, id, { namespace: instance.env.namespace, disableResourceNameHashes: true });
    this.workload = new AppWorkload(this, 'Workload', {
      name: instance.name,
      labels: { app: instance.app.name, instance: instance.name, partOf: props.platform, version: instance.image.tag },
      image: instance.image.toString(),
      replicas: instance.replicas,
      resources: instance.resources,
      ports: instance.app.ports,
      args: instance.app.args,
      config: instance.config,
      configMapName: naming.configMap(instance.name),
      // The same identity object Terraform binds, so the two planes name one account.
      serviceAccountAnnotations: instance.gcp.identity?.kubernetesAnnotations(),
    });
  }
}
