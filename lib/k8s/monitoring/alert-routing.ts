import type { IAlertmanagerConfig } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/AlertmanagerConfig';
import type { IReceiver } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/Receiver';
import type { IRoute } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/Route';
import { Duration } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ModelObject } from '../model-object';
import { monitoredNamespace, requirePositive } from './monitored-app';
import { promDuration, promLabelName, Severity, SEVERITY_LABEL, SLO_LABEL } from './promql';

/** A key of a Secret in the AlertmanagerConfig's namespace, holding a URL or a key. */
export interface SecretKeyRef {
  readonly secret: kplus.ISecret;
  readonly key: string;
}

/** The PagerDuty Events API v2 integration. */
export interface PagerDutyOptions {
  /** The integration's routing key. */
  readonly routingKey: SecretKeyRef;
}

/** The OpsGenie API integration. */
export interface OpsGenieOptions {
  /** The integration's API key. */
  readonly apiKey: SecretKeyRef;
}

/** Where emergency and critical alerts page someone: PagerDuty or OpsGenie. */
export abstract class PagingReceiver {
  /** Pages through PagerDuty. */
  public static pagerDuty(options: PagerDutyOptions): PagingReceiver {
    return new (class extends PagingReceiver {
      public bind(owner: string): Omit<IReceiver, 'name'> {
        return { pagerdutyConfigs: [{ routingKey: secretKeySelector(owner, 'routingKey', options.routingKey), sendResolved: true }] };
      }
    })();
  }

  /** Pages through OpsGenie. */
  public static opsGenie(options: OpsGenieOptions): PagingReceiver {
    return new (class extends PagingReceiver {
      public bind(owner: string): Omit<IReceiver, 'name'> {
        return { opsgenieConfigs: [{ apiKey: secretKeySelector(owner, 'apiKey', options.apiKey), sendResolved: true }] };
      }
    })();
  }

  /** The receiver's configuration, without its name. */
  public abstract bind(owner: string): Omit<IReceiver, 'name'>;
}

/** The Slack channel warnings go to. */
export interface SlackOptions {
  /** The incoming webhook URL. */
  readonly webhookUrl: SecretKeyRef;
  /** The channel, like `#shop-alerts`. */
  readonly channel: string;
}

/** Props of {@link AlertRouting}. */
export interface AlertRoutingProps {
  /** The name of the AlertmanagerConfig. */
  readonly name: string;
  /**
   * The namespace of the AlertmanagerConfig and of its Secrets. The Prometheus Operator routes
   * only the alerts of this namespace through it.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /** @default - no labels */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Where the alerts of `pageSeverities` page someone. Only production's namespace and the cluster
   * it runs on page (docs/alerting.md).
   * @default - nobody is paged: every alert goes to Slack
   */
  readonly paging?: PagingReceiver;
  /**
   * The severities that page, when there is `paging`.
   * @default [Severity.CRITICAL, Severity.EMERGENCY]
   */
  readonly pageSeverities?: readonly Severity[];
  /** Where every alert that does not page goes. */
  readonly slack: SlackOptions;
  /**
   * The labels that group alerts into one notification.
   * @default ['alertname', 'namespace']
   */
  readonly groupBy?: readonly string[];
  /**
   * How long to wait for more alerts of a new group before notifying.
   * @default Duration.seconds(30)
   */
  readonly groupWait?: Duration;
  /**
   * How long to wait before notifying of new alerts in a group already notified.
   * @default Duration.minutes(5)
   */
  readonly groupInterval?: Duration;
  /**
   * How long to wait before repeating a notification of an alert still firing.
   * @default Duration.hours(4)
   */
  readonly repeatInterval?: Duration;
}

const PAGING = 'paging';
/**
 * The labels two alerts share when they are the same alert about the same thing. SLO alerts are
 * about an app (its name label) and one of its SLOs, so those count too.
 */
const SAME_TARGET = [
  'alertname',
  'namespace',
  promLabelName('app.kubernetes.io/name'),
  promLabelName('app.kubernetes.io/instance'),
  SLO_LABEL,
  'instance',
  'mountpoint',
  'persistentvolumeclaim',
  // A volume's own namespace, on cluster alerts that carry the monitoring namespace (DiskUsageAlerts).
  'claim_namespace',
] as const;
const SLACK = 'slack';

/**
 * Alertmanager routing as an AlertmanagerConfig: with `paging`, the paging severities (emergency and
 * critical) page through PagerDuty or OpsGenie; everything else, and everything without `paging`,
 * goes to Slack. The Prometheus Operator adds a `namespace="<its namespace>"` matcher to the
 * top route, so it only sees the alerts of its own namespace (alertmanagerConfigMatcherStrategy
 * OnNamespace, the default). Receivers read their keys and webhook URLs
 * from Secrets; no credential appears in the manifest. A critical alert silences the warning of the
 * same alert about the same target, and an emergency silences both.
 * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1alpha1.AlertmanagerConfig
 */
export class AlertRouting extends Construct {
  public readonly resource: ModelObject<IAlertmanagerConfig>;

  constructor(scope: Construct, id: string, props: AlertRoutingProps) {
    super(scope, id);
    const groupWait = props.groupWait ?? Duration.seconds(30);
    const groupInterval = props.groupInterval ?? Duration.minutes(5);
    const repeatInterval = props.repeatInterval ?? Duration.hours(4);
    for (const [field, value] of [['groupWait', groupWait], ['groupInterval', groupInterval], ['repeatInterval', repeatInterval]] as const) {
      requirePositive(props.name, field, value);
    }
    if (!/^#?[a-z0-9][a-z0-9._-]*$/.test(props.slack.channel)) {
      throw new Error(`${props.name}: slack.channel "${props.slack.channel}" is not a Slack channel name; fix: use a name like "#shop-alerts"`);
    }
    const critical = { name: SEVERITY_LABEL, matchType: '=', value: Severity.CRITICAL };
    const warning = { name: SEVERITY_LABEL, matchType: '=', value: Severity.WARNING };
    const emergency = { name: SEVERITY_LABEL, matchType: '=', value: Severity.EMERGENCY };
    const pageSeverities = props.pageSeverities ?? [Severity.CRITICAL, Severity.EMERGENCY];
    if (props.paging && pageSeverities.length === 0) {
      throw new Error(`${props.name}: pageSeverities is empty, so paging never pages; fix: list the severities that page, or give no paging`);
    }
    // Alertmanager anchors the regex, so this matches exactly these severities.
    const pages = { name: SEVERITY_LABEL, matchType: '=~', value: pageSeverities.join('|') };
    const escalated = { name: SEVERITY_LABEL, matchType: '=~', value: `${Severity.CRITICAL}|${Severity.WARNING}` };
    const routes: IRoute[] = props.paging ? [{ receiver: PAGING, matchers: [pages] }] : [];

    this.resource = new ModelObject<IAlertmanagerConfig>(this, 'Resource', {
      apiVersion: 'monitoring.coreos.com/v1alpha1',
      kind: 'AlertmanagerConfig',
      metadata: { name: props.name, namespace: monitoredNamespace(this, props), labels: props.labels },
      spec: {
        route: {
          receiver: SLACK,
          groupBy: [...(props.groupBy ?? ['alertname', 'namespace'])],
          groupWait: promDuration(groupWait),
          groupInterval: promDuration(groupInterval),
          repeatInterval: promDuration(repeatInterval),
          routes: routes.length > 0 ? routes : undefined,
        },
        receivers: [
          ...(props.paging ? [{ name: PAGING, ...props.paging.bind(props.name) }] : []),
          {
            name: SLACK,
            slackConfigs: [
              { apiURL: secretKeySelector(props.name, 'slack.webhookUrl', props.slack.webhookUrl), channel: props.slack.channel, sendResolved: true },
            ],
          },
        ],
        // Labels absent from both alerts count as equal, so this covers apps, nodes and volumes alike.
        inhibitRules: [
          { sourceMatch: [critical], targetMatch: [warning], equal: [...SAME_TARGET] },
          { sourceMatch: [emergency], targetMatch: [escalated], equal: [...SAME_TARGET] },
        ],
      },
    });
  }
}

function secretKeySelector(owner: string, field: string, ref: SecretKeyRef): { name: string; key: string } {
  if (!/^[-._a-zA-Z0-9]+$/.test(ref.key)) {
    throw new Error(`${owner}: ${field}.key "${ref.key}" is not a Secret key (letters, digits, '-', '_' and '.'); fix: name the key of Secret "${ref.secret.name}" that holds it`);
  }
  return { name: ref.secret.name, key: ref.key };
}
