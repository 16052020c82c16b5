import type { IPodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import { Construct } from 'constructs';
import { selectorLabels } from '../labels';
import { ModelObject } from '../model-object';
import { type AppScrapeProps, monitoredNamespace, monitoringLabels, scrapeEndpoint } from './monitored-app';
import { APP_TARGET_LABELS, promDuration } from './promql';

/** Props of {@link AppPodMonitor}. */
export interface AppPodMonitorProps extends AppScrapeProps {}

/**
 * Scrapes an app's pods directly, for workers that have no Service: selects the pods by the
 * app's labels in the app's namespace only, on a named container port. Every series gets the
 * app's name and instance labels, as with {@link AppServiceMonitor}.
 * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.PodMonitor
 */
export class AppPodMonitor extends Construct {
  public readonly resource: ModelObject<IPodMonitor>;

  constructor(scope: Construct, id: string, props: AppPodMonitorProps) {
    super(scope, id);
    const namespace = monitoredNamespace(this, props);
    const endpoint = scrapeEndpoint(props);
    this.resource = new ModelObject<IPodMonitor>(this, 'Resource', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: { name: props.name, namespace, labels: monitoringLabels(props) },
      spec: {
        selector: { matchLabels: selectorLabels(props.labels) },
        namespaceSelector: { matchNames: [namespace] },
        podTargetLabels: [...APP_TARGET_LABELS],
        podMetricsEndpoints: [
          {
            port: endpoint.port,
            path: endpoint.path,
            interval: promDuration(endpoint.interval),
            scrapeTimeout: endpoint.scrapeTimeout ? promDuration(endpoint.scrapeTimeout) : undefined,
          },
        ],
      },
    });
  }
}
