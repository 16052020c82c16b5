import { ApiObject, ApiObjectMetadata, Duration, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ResourceProfile } from '../model/resources';
import { AppLabels, appLabels, selectorLabels } from './labels';

/** A named container port. */
export interface WorkloadPort {
  readonly name: string;
  readonly port: number;
}

/** Props of {@link AppWorkload}. */
export interface AppWorkloadProps {
  /** The name of every object: Deployment, Service, ServiceAccount. */
  readonly name: string;
  readonly labels: AppLabels;
  /** The full image reference, tag and optional digest included. */
  readonly image: string;
  readonly replicas: number;
  readonly resources: ResourceProfile;
  /** @default - none: no Service is created */
  readonly ports?: readonly WorkloadPort[];
  /** @default - the image's entrypoint arguments */
  readonly args?: readonly string[];
  /**
   * Plain settings, given to the container as environment variables through a ConfigMap.
   * @default - none: no ConfigMap is created
   */
  readonly config?: Readonly<Record<string, string>>;
  /** The name of the ConfigMap holding `config`. */
  readonly configMapName: string;
  /**
   * Annotations of the ServiceAccount, such as the Google service account it acts as.
   * @default - none
   */
  readonly serviceAccountAnnotations?: Readonly<Record<string, string>>;
}

/**
 * One app's Deployment with its ServiceAccount, its ConfigMap and, when it listens on ports, a
 * ClusterIP Service. Every name is given, never generated, so the output carries no hash.
 */
export class AppWorkload extends Construct {
  public readonly deployment: kplus.Deployment;
  public readonly serviceAccount: kplus.ServiceAccount;
  public readonly service?: kplus.Service;
  public readonly configMap?: kplus.ConfigMap;

  constructor(scope: Construct, id: string, props: AppWorkloadProps) {
    super(scope, id);
    const labels = appLabels(props.labels);
    const metadata = (name: string): ApiObjectMetadata => ({ name, labels });
    const ports = props.ports ?? [];

    this.serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', {
      metadata: { ...metadata(props.name), annotations: props.serviceAccountAnnotations && { ...props.serviceAccountAnnotations } },
      automountToken: false,
    });

    const config = props.config ?? {};
    if (Object.keys(config).length > 0) {
      this.configMap = new kplus.ConfigMap(this, 'Config', { metadata: metadata(props.configMapName), data: { ...config } });
    }

    this.deployment = new kplus.Deployment(this, 'Deployment', {
      metadata: metadata(props.name),
      // Selecting by our own labels avoids cdk8s's generated `cdk8s.io/metadata.addr` selector.
      select: false,
      podMetadata: { labels },
      replicas: props.replicas,
      serviceAccount: this.serviceAccount,
      automountServiceAccountToken: false,
      securityContext: { ensureNonRoot: true, user: 65532, group: 65532, fsGroup: 65532 },
      terminationGracePeriod: Duration.seconds(30),
      containers: [
        {
          name: 'app',
          image: props.image,
          args: props.args ? [...props.args] : undefined,
          ports: ports.map((p) => ({ name: p.name, number: p.port })),
          envFrom: this.configMap ? [kplus.Env.fromConfigMap(this.configMap)] : undefined,
          resources: {
            cpu: { request: props.resources.cpu.request, limit: props.resources.cpu.limit },
            memory: { request: props.resources.memory.request, limit: props.resources.memory.limit },
          },
          securityContext: {
            ensureNonRoot: true,
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
            privileged: false,
          },
        },
      ],
    });
    this.deployment.select(kplus.LabelSelector.of({ labels: selectorLabels(props.labels) }));
    // cdk8s-plus always labels pods with their construct address, a hash that differs per
    // environment; our selectors use the app labels, so the label only adds noise to reviews.
    ApiObject.of(this.deployment).addJsonPatch(JsonPatch.remove('/spec/template/metadata/labels/cdk8s.io~1metadata.addr'));

    if (ports.length > 0) {
      this.service = new kplus.Service(this, 'Service', {
        metadata: metadata(props.name),
        type: kplus.ServiceType.CLUSTER_IP,
        ports: ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.port })),
      });
      for (const [key, value] of Object.entries(selectorLabels(props.labels))) this.service.selectLabel(key, value);
    }
  }
}
