import { Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AlertRouting, type AlertRoutingProps, PagingReceiver } from '../../../lib/k8s/monitoring/alert-routing';
import { Severity } from '../../../lib/k8s/monitoring/promql';
import { validateObjects } from '../../../lib/validate/schemas';

type Manifest = ReturnType<typeof Testing.synth>[number];

function synth(props: (chart: Chart) => Partial<AlertRoutingProps> = () => ({})): Manifest[] {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  const secret = kplus.Secret.fromSecretName(chart, 'Alerting', 'alerting');
  new AlertRouting(chart, 'Routing', {
    name: 'shop-alerts',
    paging: PagingReceiver.pagerDuty({ routingKey: { secret, key: 'pagerduty-routing-key' } }),
    slack: { webhookUrl: { secret, key: 'slack-webhook-url' }, channel: '#shop-alerts' },
    ...props(chart),
  });
  return Testing.synth(chart);
}

describe('AlertRouting', () => {
  test('an AlertmanagerConfig: emergency and critical alerts page, everything else goes to Slack', () => {
    const [config] = synth();
    expect(config).toMatchObject({ apiVersion: 'monitoring.coreos.com/v1alpha1', kind: 'AlertmanagerConfig', metadata: { name: 'shop-alerts', namespace: 'shop' } });
    expect(config.spec.route).toEqual({
      receiver: 'slack',
      groupBy: ['alertname', 'namespace'],
      groupWait: '30s',
      groupInterval: '5m',
      repeatInterval: '4h',
      routes: [{ receiver: 'paging', matchers: [{ name: 'severity', matchType: '=~', value: 'critical|emergency' }] }],
    });
    // Alertmanager anchors matcher regexes.
    const pages = new RegExp(`^(?:${config.spec.route.routes[0].matchers[0].value})$`);
    expect(['emergency', 'critical', 'warning', 'info', 'critical-ish'].map((s) => pages.test(s))).toEqual([true, true, false, false, false]);
  });

  test('PagerDuty reads its routing key and Slack its webhook URL from a Secret', () => {
    const [config] = synth();
    expect(config.spec.receivers).toEqual([
      { name: 'paging', pagerdutyConfigs: [{ routingKey: { name: 'alerting', key: 'pagerduty-routing-key' }, sendResolved: true }] },
      { name: 'slack', slackConfigs: [{ apiURL: { name: 'alerting', key: 'slack-webhook-url' }, channel: '#shop-alerts', sendResolved: true }] },
    ]);
  });

  test('OpsGenie reads its API key from a Secret', () => {
    const [config] = synth((chart) => ({
      paging: PagingReceiver.opsGenie({ apiKey: { secret: kplus.Secret.fromSecretName(chart, 'OpsGenie', 'opsgenie'), key: 'api-key' } }),
    }));
    expect(config.spec.receivers[0]).toEqual({ name: 'paging', opsgenieConfigs: [{ apiKey: { name: 'opsgenie', key: 'api-key' }, sendResolved: true }] });
  });

  test('no credential is written inline', () => {
    const text = JSON.stringify(synth());
    expect(text).not.toMatch(/https?:\/\//);
    expect(text).not.toMatch(/"(url|apiURL|routingKey|serviceKey|apiKey)":"/);
  });

  test('a critical alert silences the warning, an emergency both, of the same alert about the same target', () => {
    const equal = ['alertname', 'namespace', 'app_kubernetes_io_name', 'app_kubernetes_io_instance', 'slo', 'instance', 'mountpoint', 'persistentvolumeclaim', 'claim_namespace'];
    expect(synth()[0].spec.inhibitRules).toEqual([
      {
        sourceMatch: [{ name: 'severity', matchType: '=', value: 'critical' }],
        targetMatch: [{ name: 'severity', matchType: '=', value: 'warning' }],
        equal,
      },
      {
        sourceMatch: [{ name: 'severity', matchType: '=', value: 'emergency' }],
        targetMatch: [{ name: 'severity', matchType: '=~', value: 'critical|warning' }],
        equal,
      },
    ]);
  });

  test('without paging, every alert goes to Slack and no paging receiver exists', () => {
    const [config] = synth(() => ({ paging: undefined }));
    expect(config.spec.route?.routes).toBeUndefined();
    expect(config.spec.receivers?.map((r: { name: string }) => r.name)).toEqual(['slack']);
    expect(validateObjects([config])).toEqual([]);
  });

  test('the paging severities are a prop', () => {
    const [config] = synth(() => ({ pageSeverities: [Severity.EMERGENCY] }));
    expect(config.spec.route?.routes).toEqual([{ receiver: 'paging', matchers: [{ name: 'severity', matchType: '=~', value: 'emergency' }] }]);
  });

  test('grouping and timing are props', () => {
    const [config] = synth(() => ({ groupBy: ['alertname'], groupWait: Duration.seconds(10), groupInterval: Duration.minutes(1), repeatInterval: Duration.hours(12) }));
    expect(config.spec.route).toMatchObject({ groupBy: ['alertname'], groupWait: '10s', groupInterval: '1m', repeatInterval: '12h' });
  });

  test('passes the upstream schema, with either pager', () => {
    expect(validateObjects(synth())).toEqual([]);
    expect(validateObjects(synth((chart) => ({ paging: PagingReceiver.opsGenie({ apiKey: { secret: kplus.Secret.fromSecretName(chart, 'O', 'opsgenie'), key: 'api-key' } }) })))).toEqual([]);
  });

  test('fails if a Secret key is not a key', () => {
    expect(() =>
      synth((chart) => ({ paging: PagingReceiver.pagerDuty({ routingKey: { secret: kplus.Secret.fromSecretName(chart, 'P', 'pagerduty'), key: '' } }) })),
    ).toThrow('shop-alerts: routingKey.key "" is not a Secret key (letters, digits, \'-\', \'_\' and \'.\'); fix: name the key of Secret "pagerduty" that holds it');
  });

  test('fails if the Slack channel is not a channel name', () => {
    expect(() => synth((chart) => ({ slack: { webhookUrl: { secret: kplus.Secret.fromSecretName(chart, 'S', 'slack'), key: 'url' }, channel: 'Shop Alerts' } }))).toThrow(
      'slack.channel "Shop Alerts" is not a Slack channel name',
    );
  });

  test('fails if a timing is zero', () => {
    expect(() => synth(() => ({ repeatInterval: Duration.seconds(0) }))).toThrow('shop-alerts: repeatInterval (0ms) must be longer than zero');
  });
});
