import { wantsColor } from '../../cli/diff-command';
import { diffOutput } from '../../lib/diff/compare';
import { renderMarkdown } from '../../lib/diff/render-markdown';
import { renderText } from '../../lib/diff/render-text';
import type { DiffReport } from '../../lib/diff/report';
import type { OutputFile } from '../../lib/engine/output';
import { toYaml } from '../../lib/engine/yaml';
import { memorySource } from './fixtures';

/*
 * Reports of a few hand-written files: the renderers need a report, not a platform. The old side
 * is held in memory under the label a git ref would have.
 */

const AGAINST = 'main in ../gitops';
const OPTIONS = { environments: ['dev', 'stage', 'canary', 'prod'], production: ['prod'] };
const SCOPES = ['dev', 'stage', 'canary', 'prod', 'argocd', 'terraform'];

const manifest = (path: string, object: unknown): OutputFile => ({ path, scope: path.split('/')[1], content: toYaml(object) });

const HPA = 'kubernetes/prod/horizontalpodautoscaler-inventory-api.yaml';

/** inventory-api's prod autoscaler: its floor is minReplicas and the most pods one scale-down step removes. */
const autoscaler = (floor: number): OutputFile =>
  manifest(HPA, {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'inventory-api', namespace: 'shop-prod' },
    spec: {
      behavior: { scaleDown: { policies: [{ periodSeconds: 60, type: 'Pods', value: floor }] } },
      maxReplicas: 10,
      metrics: [{ resource: { name: 'cpu', target: { averageUtilization: 70, type: 'Utilization' } }, type: 'Resource' }],
      minReplicas: floor,
      scaleTargetRef: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'inventory-api' },
    },
  });
const hpaEdits = ['-          value: 4', '+          value: 3', '-  minReplicas: 4', '+  minReplicas: 3'];

const namespace = (env: string, name: string): OutputFile =>
  manifest(`kubernetes/${env}/namespace-${name}.yaml`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const config = (value: string): OutputFile =>
  manifest('kubernetes/dev/configmap-web-config.yaml', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config', namespace: 'shop-dev' }, data: { NOTE: value } });
const stack = (location: string): OutputFile => ({
  path: 'terraform/cluster-prod/main.tf.json',
  scope: 'terraform',
  content: `${JSON.stringify({ resource: { google_container_cluster: { cluster: { location, name: 'prod' } } } }, null, 2)}\n`,
});

/** Files both sides share. */
const unchanged = [namespace('dev', 'shop-dev'), namespace('stage', 'shop-stage'), config('hello')];

/** The report of the synth `after` against a tree holding `before`. */
const report = (before: readonly OutputFile[], after: readonly OutputFile[]): DiffReport =>
  diffOutput({ files: after, scopes: SCOPES }, memorySource(before, AGAINST), OPTIONS);

/** The one-line change of the acceptance test: inventory-api's prod replicas 4 → 3, two lines of its autoscaler. */
const fewerProdReplicas = (): DiffReport => report([...unchanged, autoscaler(4)], [...unchanged, autoscaler(3)]);
const moveProdRegion = (): DiffReport => report([...unchanged, stack('europe-west1')], [...unchanged, stack('europe-west4')]);

/**
 * Lines of a rendered diff that add or remove something, file headers left out. `indent` is what
 * the renderer puts before each patch line, so a YAML list item in a context line (`   - name`)
 * is not taken for a removal.
 */
const edits = (text: string, indent = ''): string[] =>
  text
    .split('\n')
    .filter((l) => l.startsWith(indent))
    .map((l) => l.slice(indent.length))
    .filter((l) => /^[-+]/.test(l) && !/^(---|\+\+\+) [ab]\//.test(l));

describe('markdown', () => {
  test('a one-line change: its risk grouped under its app, one summary line, then one collapsed section with exactly that change', () => {
    const lines = renderMarkdown(fewerProdReplicas()).split('\n');
    expect(lines.slice(0, 12)).toEqual([
      '### Platform diff',
      '',
      `Compared with \`${AGAINST}\`: 1 object changed; 3 objects unchanged.`,
      '',
      '#### Risks (1)',
      '',
      '- **inventory-api** (`prod`)',
      `  - :warning: medium **fewer-prod-replicas** \`prod\` \`${HPA}\` \`HorizontalPodAutoscaler/inventory-api\`: spec.minReplicas 4 → 3 in production environment prod`,
      '',
      '#### Summary',
      '',
      '- prod: 1 object changed',
    ]);
    const details = lines.slice(12).join('\n');
    expect(details.match(/<details>/g)).toHaveLength(1);
    expect(details).toContain(`<details><summary><b>prod</b>: 1 object changed</summary>\n\n\`\`\`diff\n--- a/${HPA}\n+++ b/${HPA}\n@@ `);
    expect(details.endsWith('```\n\n</details>\n')).toBe(true);
    expect(edits(details)).toEqual(hpaEdits);
  });

  test('Terraform attributes render as -/+ lines under the address', () => {
    const md = renderMarkdown(moveProdRegion());
    expect(md).toContain('<details><summary><b>terraform/cluster-prod</b>: 1 object changed</summary>');
    expect(md).toContain('@@ google_container_cluster.cluster @@\n-  location = "europe-west1"\n+  location = "europe-west4"\n');
    expect(md).toContain('  - :warning: high **forces-replacement** `terraform/cluster-prod/main.tf.json` `google_container_cluster.cluster`: location "europe-west1" → "europe-west4" forces replacement');
  });

  test('one summary line per section that changed, in objects, before the collapsed details', () => {
    const md = renderMarkdown(report(unchanged, [namespace('stage', 'shop-stage'), namespace('dev', 'shop-dev-x'), namespace('dev', 'shop-dev-y'), config('bye')]));
    const summary = md.slice(md.indexOf('#### Summary'), md.indexOf('<details>'));
    expect(summary).toBe('#### Summary\n\n- dev: 1 object changed, 2 added, 1 removed\n\n');
    expect(md).toContain('Compared with `main in ../gitops`: 1 object changed, 2 added, 1 removed; 1 object unchanged.');
    expect(md).not.toContain('file');
  });

  test('a Terraform attribute that changes shape shows its old line before its new one', () => {
    const tf = (settings: unknown): OutputFile => ({ ...stack('europe-west1'), content: JSON.stringify({ resource: { google_sql_database_instance: { db: { settings } } } }) });
    const md = renderMarkdown(report([tf({})], [tf({ tier: 'db-custom-2-7680' })]));
    expect(md).toContain('@@ google_sql_database_instance.db @@\n-  settings = {}\n+  settings.tier = "db-custom-2-7680"\n');
  });

  test('added and removed objects are listed by name; sections follow promotion order', () => {
    const md = renderMarkdown(report(unchanged, [namespace('stage', 'shop-stage-x'), namespace('dev', 'shop-dev-x'), config('hello')]));
    expect(md).toContain('Added: `Namespace/shop-dev-x`\n\nRemoved: `Namespace/shop-dev`\n');
    expect(md.indexOf('<b>dev</b>')).toBeGreaterThan(0);
    expect(md.indexOf('<b>dev</b>')).toBeLessThan(md.indexOf('<b>stage</b>'));
  });

  test('content with backticks gets a longer fence', () => {
    const md = renderMarkdown(report(unchanged, [...unchanged.slice(0, 2), config('```')]));
    expect(md).toContain('\n````diff\n');
    expect(md).not.toContain('\n```diff\n');
  });

  test('no changes says so', () => {
    expect(renderMarkdown(report(unchanged, unchanged))).toBe(`### Platform diff\n\nNo changes: the synthesized platform matches \`${AGAINST}\` (3 objects compared).\n`);
  });
});

describe('text', () => {
  test('a one-line change shows the summary, the risk and exactly that change', () => {
    const text = renderText(fewerProdReplicas(), { color: false });
    const lines = text.split('\n');
    expect(lines[0]).toBe(`Platform diff against ${AGAINST}: 1 object changed; 3 objects unchanged`);
    expect(lines.slice(1, 11)).toEqual([
      '',
      'Risks (1)',
      '  inventory-api (prod)',
      `    ! medium [fewer-prod-replicas] prod ${HPA} HorizontalPodAutoscaler/inventory-api: spec.minReplicas 4 → 3 in production environment prod`,
      '',
      'Summary',
      '  prod: 1 object changed',
      '',
      'prod: 1 object changed',
      `  ~ HorizontalPodAutoscaler/inventory-api  ${HPA}`,
    ]);
    expect(edits(lines.slice(11).join('\n'), '      ')).toEqual(hpaEdits);
    expect(text).not.toContain('\u001b[');
  });

  test('Terraform changes list each attribute with old → new', () => {
    expect(renderText(moveProdRegion(), { color: false })).toContain('  ~ google_container_cluster.cluster\n      location: "europe-west1" → "europe-west4"\n');
  });

  test('colour marks additions green and removals red', () => {
    const text = renderText(fewerProdReplicas(), { color: true });
    expect(text).toContain('\u001b[31m-  minReplicas: 4\u001b[0m');
    expect(text).toContain('\u001b[32m+  minReplicas: 3\u001b[0m');
  });

  test('colour only on a terminal, and never with NO_COLOR', () => {
    expect(wantsColor({ isTTY: true }, {})).toBe(true);
    expect(wantsColor({ isTTY: false }, {})).toBe(false);
    expect(wantsColor({}, {})).toBe(false);
    expect(wantsColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColor({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
  });
});
