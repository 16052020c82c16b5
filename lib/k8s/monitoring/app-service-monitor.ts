import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { Construct } from 'constructs';
import { selectorLabels } from '../labels';
import { ModelObject } from '../model-object';
import { type AppScrapeProps, monitoredNamespace, monitoringLabels, scrapeEndpoint } from './monitored-app';
import { APP_TARGET_LABELS, promDuration, promLabelName } from './promql';

/** Props of {@link AppServiceMonitor}. */
export interface AppServiceMonitorProps extends AppScrapeProps {}

/**
 * Scrapes an app through its Service: selects the Service by the app's labels in the app's
 * namespace only, on a named port, keeping only the workload's own pods through the Service named
 * like the monitor. Every series gets the
 * app's name and instance labels.
 * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.ServiceMonitor
 */
export class AppServiceMonitor extends Construct {
  public readonly resource: ModelObject<IServiceMonitor>;

  constructor(scope: Construct, id: string, props: AppServiceMonitorProps) {
    super(scope, id);
    const namespace = monitoredNamespace(this, props);
    const endpoint = scrapeEndpoint(props);
    this.resource = new ModelObject<IServiceMonitor>(this, 'Resource', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: props.name, namespace, labels: monitoringLabels(props) },
      spec: {
        selector: { matchLabels: selectorLabels(props.labels) },
        namespaceSelector: { matchNames: [namespace] },
        podTargetLabels: [...APP_TARGET_LABELS],
        endpoints: [
          {
            port: endpoint.port,
            path: endpoint.path,
            interval: promDuration(endpoint.interval),
            scrapeTimeout: endpoint.scrapeTimeout ? promDuration(endpoint.scrapeTimeout) : undefined,
            // Production's Service also selects the candidate beside it, which its own monitor
            // scrapes, and a blue-green preview Service selects the same pods: keep the workload's
            // own pods, through its own Service only, so each pod is scraped once.
            relabelings: [
              { sourceLabels: [`__meta_kubernetes_pod_label_${promLabelName('app.kubernetes.io/instance')}`], regex: props.labels.instance, action: 'keep' },
              { sourceLabels: ['__meta_kubernetes_service_name'], regex: props.name, action: 'keep' },
            ],
          },
        ],
      },
    });
  }
}
