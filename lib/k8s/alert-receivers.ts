import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { type AlertRoutingPolicy } from '../model/alert-routing';
import { type AlertingConfig } from '../model/config';
import { type AlertReceiverSecrets } from '../model/secret-store';
import { AlertRouting, PagingReceiver } from './monitoring/alert-routing';
import { Severity } from './monitoring/promql';
import { AppExternalSecret } from './secrets/app-external-secret';
import { type ISecretStore } from './secrets/gcp-secret-store';

/** Props of {@link AlertReceivers}. */
export interface AlertReceiversProps {
  /** The namespace of the AlertmanagerConfig, its Secret and ExternalSecret. */
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The labels the Alertmanager selects AlertmanagerConfigs by. */
  readonly monitoringLabels: Readonly<Record<string, string>>;
  readonly alerting: AlertingConfig;
  /** Who the namespace's alerts reach (`Environment.alertRouting`, `Cluster.alertRouting`). */
  readonly routing: AlertRoutingPolicy;
  /** The Secret Manager ids of the receivers' keys, which the namespace's store may read. */
  readonly secrets: AlertReceiverSecrets;
  /** The SecretStore of the namespace. */
  readonly store: ISecretStore;
}

const RECEIVERS_SECRET = 'alert-receivers';
const PAGING_KEY = 'PAGING_KEY';
const SLACK_KEY = 'SLACK_WEBHOOK_URL';
const SEVERITIES: Readonly<Record<string, Severity>> = Object.fromEntries(Object.values(Severity).map((s) => [s, s]));

/**
 * One namespace's alert routing from the model: the receivers' keys through External Secrets (the
 * paging key only where the routing pages), and the AlertmanagerConfig that routes to them.
 */
export class AlertReceivers extends Construct {
  public readonly routing: AlertRouting;

  constructor(scope: Construct, id: string, props: AlertReceiversProps) {
    super(scope, id);
    const { routing, secrets, alerting } = props;
    if (routing.page && secrets.pagingKey === undefined) {
      throw new Error(`${props.namespace}: the routing pages but the store reads no paging key; fix: give the namespace's store addons.alerting.pagingKeySecret`);
    }
    const external = new AppExternalSecret(this, 'Secret', {
      name: RECEIVERS_SECRET,
      namespace: props.namespace,
      store: props.store,
      targetSecretName: RECEIVERS_SECRET,
      secrets: [
        ...(routing.page && secrets.pagingKey ? [{ envName: PAGING_KEY, remoteKey: secrets.pagingKey }] : []),
        { envName: SLACK_KEY, remoteKey: secrets.slackWebhook },
      ],
    });
    for (const [key, value] of Object.entries(props.labels)) external.resource.metadata.addLabel(key, value);
    const secret = kplus.Secret.fromSecretName(this, 'Receivers', RECEIVERS_SECRET);
    const paging = !routing.page
      ? undefined
      : alerting.paging === 'pagerduty'
        ? PagingReceiver.pagerDuty({ routingKey: { secret, key: PAGING_KEY } })
        : PagingReceiver.opsGenie({ apiKey: { secret, key: PAGING_KEY } });
    this.routing = new AlertRouting(this, 'Routing', {
      name: 'alert-routing',
      namespace: props.namespace,
      labels: { ...props.labels, ...props.monitoringLabels },
      paging,
      pageSeverities: routing.pageSeverities.map((s) => SEVERITIES[s]),
      slack: { webhookUrl: { secret, key: SLACK_KEY }, channel: alerting.slackChannel },
    });
  }
}
