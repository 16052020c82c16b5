import { synthPlatform } from '../../lib/pipeline/synth';
import { type EnvironmentConfig } from '../../lib/model/config';
import { fixtureFiles, get, type Json, mutateYaml, of, withConfig } from './helpers';

const DEV = 'kubernetes/dev/alertmanagerconfig-alert-routing.yaml';
const PROD = 'kubernetes/prod/alertmanagerconfig-alert-routing.yaml';
const NONPROD_CLUSTER = 'kubernetes/clusters/nonprod/alertmanagerconfig-alert-routing.yaml';
const PROD_CLUSTER = 'kubernetes/clusters/prod/alertmanagerconfig-alert-routing.yaml';
const DISK = 'kubernetes/clusters/nonprod/prometheusrule-disk-usage.yaml';

const messages = (files: Parameters<typeof of>[1]): string[] => of('alert-paging', files).map((v) => `${v.file} ${v.object}: ${v.message}`);
const file = (path: string): string => {
  const f = fixtureFiles().find((x) => x.path === path);
  if (!f) throw new Error(`no file ${path}`);
  return f.content;
};
const pageEverything = (o: Json): void => {
  const spec = get(o, 'spec');
  spec.receivers = [...(spec.receivers as Json[]), { name: 'oncall', pagerdutyConfigs: [{ routingKey: { name: 'alert-receivers', key: 'PAGING_KEY' } }] }];
  get(spec, 'route').routes = [{ receiver: 'oncall', matchers: [{ name: 'severity', matchType: '=', value: 'critical' }] }];
};

describe('alert-paging: only production pages, and every alert reaches a receiver', () => {
  test('the fixture output passes: production and its cluster page, dev, stage and nonprod post to chat', () => {
    expect(of('alert-paging', fixtureFiles())).toEqual([]);
    for (const path of [PROD, PROD_CLUSTER]) expect(file(path)).toContain('pagerdutyConfigs');
    for (const path of [DEV, 'kubernetes/stage/alertmanagerconfig-alert-routing.yaml', NONPROD_CLUSTER]) {
      expect(file(path)).not.toContain('pagerdutyConfigs');
      expect(file(path)).not.toContain('PAGING_KEY');
    }
  });

  test('a dev route to PagerDuty is refused', () => {
    expect(messages(mutateYaml(DEV, pageEverything))).toEqual([
      `${DEV} AlertmanagerConfig/alert-routing: spec.route.routes[0] sends alerts of environment(s) dev to paging receiver "oncall"`,
    ]);
  });

  test('a top route of the nonprod cluster to OpsGenie is refused', () => {
    const files = mutateYaml(NONPROD_CLUSTER, (o) => {
      const spec = get(o, 'spec');
      spec.receivers = [{ name: 'slack', opsgenieConfigs: [{ apiKey: { name: 'alert-receivers', key: 'PAGING_KEY' } }] }];
    });
    expect(messages(files)).toEqual([
      `${NONPROD_CLUSTER} AlertmanagerConfig/alert-routing: spec.route sends alerts of a cluster whose environments (dev, stage) are not production to paging receiver "slack"`,
    ]);
  });

  test('paging in production is allowed', () => {
    expect(messages(mutateYaml(PROD, pageEverything))).toEqual([]);
  });

  test('an environment configured to page outside production is caught end to end', () => {
    const platform = withConfig((c) => ({
      ...c,
      environments: c.environments.map((e): EnvironmentConfig => (e.name === 'stage' ? { ...e, alerts: { page: true } } : e)),
    }));
    expect(messages(synthPlatform(platform).files)).toEqual([
      'kubernetes/stage/alertmanagerconfig-alert-routing.yaml AlertmanagerConfig/alert-routing: spec.route.routes[0] sends alerts of environment(s) stage to paging receiver "paging"',
    ]);
  });

  test('disk alerts labelled with a namespace no AlertmanagerConfig covers reach no receiver', () => {
    const files = mutateYaml(DISK, (o) => {
      for (const group of get(o, 'spec').groups as Json[]) {
        for (const rule of group.rules as Json[]) get(rule, 'labels').namespace = 'kube-system';
      }
    });
    expect(messages(files)).toEqual([
      `${DISK} PrometheusRule/disk-usage: alert NodeDiskUsageHigh (namespace "kube-system", severity "warning") is matched by no route of an AlertmanagerConfig in namespace "kube-system", so it reaches no receiver`,
      `${DISK} PrometheusRule/disk-usage: alert NodeDiskUsageHigh (namespace "kube-system", severity "critical") is matched by no route of an AlertmanagerConfig in namespace "kube-system", so it reaches no receiver`,
      `${DISK} PrometheusRule/disk-usage: alert PersistentVolumeUsageHigh (namespace "kube-system", severity "warning") is matched by no route of an AlertmanagerConfig in namespace "kube-system", so it reaches no receiver`,
      `${DISK} PrometheusRule/disk-usage: alert PersistentVolumeUsageHigh (namespace "kube-system", severity "critical") is matched by no route of an AlertmanagerConfig in namespace "kube-system", so it reaches no receiver`,
    ]);
  });

  test('a top route whose matchers exclude an alert leaves it unrouted', () => {
    const files = mutateYaml(PROD_CLUSTER, (o) => {
      get(o, 'spec', 'route').matchers = [{ name: 'alertname', matchType: '=~', value: 'Node.*' }];
    });
    expect(messages(files).map((m) => m.replace(/ \(.*$/, ''))).toEqual([
      'kubernetes/clusters/prod/prometheusrule-disk-usage.yaml PrometheusRule/disk-usage: alert PersistentVolumeUsageHigh',
      'kubernetes/clusters/prod/prometheusrule-disk-usage.yaml PrometheusRule/disk-usage: alert PersistentVolumeUsageHigh',
    ]);
  });
});

describe('alert routing config', () => {
  test('only a paging namespace or cluster gets a paging secret, and Terraform creates no other', () => {
    const platform = withConfig((c) => c);
    const ids = platform.secretStores.flatMap((s) => s.secretIds).filter((id) => id.startsWith('alerting-pagerduty'));
    expect(ids.sort()).toEqual(['alerting-pagerduty-routing-key-cluster-prod', 'alerting-pagerduty-routing-key-prod']);
  });

  test('the canary may not route its own alerts: it follows production\'s', () => {
    expect(() => withConfig((c) => ({
      ...c,
      environments: c.environments.map((e): EnvironmentConfig => (e.name === 'canary' ? { ...e, alerts: { page: true } } : e)),
    }))).toThrow(/env "canary".*alerts.*shares another's namespace/);
  });

  test('pageSeverities without page is refused', () => {
    expect(() => withConfig((c) => ({
      ...c,
      environments: c.environments.map((e): EnvironmentConfig => (e.name === 'dev' ? { ...e, alerts: { pageSeverities: ['critical'] } } : e)),
    }))).toThrow(/alerts\.pageSeverities.*set page: true/);
  });
});
