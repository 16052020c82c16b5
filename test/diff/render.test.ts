import { samplePlatform } from '../../apps/platform';
import { wantsColor } from '../../cli/diff-command';
import { renderMarkdown } from '../../lib/diff/render-markdown';
import { renderText } from '../../lib/diff/render-text';
import { PlatformConfig } from '../../lib/model/config';
import { withConfig } from '../helpers';
import { diffDir, removeTempDirs, synthesizedTree, withApp } from './fixtures';

let base: string;
beforeAll(() => {
  base = synthesizedTree();
});
afterAll(removeTempDirs);

/**
 * The one-line change of the acceptance test: inventory-api's prod replicas, 4 → 3. The app
 * autoscales, so it changes one object, its HorizontalPodAutoscaler, in two lines.
 */
const fewerProdReplicas = (c: PlatformConfig): PlatformConfig =>
  withApp(c, 'inventory-api', (a) => ({ ...a, overrides: { ...a.overrides, prod: { replicas: 3 } } }));

const hpa = 'kubernetes/prod/horizontalpodautoscaler-inventory-api.yaml';
const hpaEdits = ['-          value: 4', '+          value: 3', '-  minReplicas: 4', '+  minReplicas: 3'];

const moveProdRegion = (c: PlatformConfig): PlatformConfig => ({
  ...c,
  clusters: c.clusters.map((k) => (k.name === 'prod' ? { ...k, region: 'europe-west4' } : k)),
  environments: c.environments.map((e) => (e.cluster === 'prod' ? { ...e, region: 'europe-west4' } : e)),
});

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
  test('a one-line change: summary table, its risk, then one collapsed section with exactly that change', () => {
    const md = renderMarkdown(diffDir(withConfig(fewerProdReplicas), base));
    const lines = md.split('\n');
    expect(lines.slice(0, 8)).toEqual([
      '### Platform diff',
      '',
      expect.stringMatching(/^Compared with `.+`: 1 changed; \d+ files unchanged\.$/),
      '',
      '| Section | Kind | Added | Changed | Removed |',
      '| --- | --- | ---: | ---: | ---: |',
      '| prod | HorizontalPodAutoscaler | 0 | 1 | 0 |',
      '',
    ]);
    expect(lines.slice(8, 11)).toEqual([
      '#### Risks (1)',
      '',
      `- :warning: **fewer-prod-replicas** \`prod\` \`${hpa}\` \`HorizontalPodAutoscaler/inventory-api\`: spec.minReplicas 4 → 3 in production environment prod`,
    ]);
    const details = lines.slice(11).join('\n');
    expect(details.match(/<details>/g)).toHaveLength(1);
    expect(details).toContain(`<details><summary><b>prod</b>: 1 changed</summary>\n\n\`\`\`diff\n--- a/${hpa}\n+++ b/${hpa}\n@@ `);
    expect(details.endsWith('```\n\n</details>\n')).toBe(true);
    expect(edits(details)).toEqual(hpaEdits);
  });

  test('Terraform attributes render as -/+ lines under the address', () => {
    const md = renderMarkdown(diffDir(withConfig(moveProdRegion), base));
    expect(md).toMatch(/<details><summary><b>terraform\/cluster-prod<\/b>: \d+ changed<\/summary>/);
    expect(md).toContain('@@ google_container_cluster.cluster @@\n-  location = "europe-west1"\n+  location = "europe-west4"\n');
    expect(md).toContain('- :warning: **forces-replacement** `terraform/cluster-prod/main.tf.json` `google_container_cluster.cluster`: location "europe-west1" → "europe-west4" forces replacement');
  });

  test('added and removed objects are listed by name; sections follow promotion order', () => {
    const md = renderMarkdown(
      diffDir(
        withConfig((c) => ({ ...c, environments: c.environments.map((e) => (e.name === 'dev' || e.name === 'stage' ? { ...e, namespace: `${e.namespace}-x` } : e)) })),
        base,
      ),
    );
    expect(md).toContain('Added: `Namespace/shop-dev-x`\n\nRemoved: `Namespace/shop-dev`\n');
    expect(md.indexOf('<b>dev</b>')).toBeLessThan(md.indexOf('<b>stage</b>'));
  });

  test('content with backticks gets a longer fence', () => {
    const md = renderMarkdown(diffDir(withConfig((c) => withApp(c, 'web', (a) => ({ ...a, config: { ...a.config, NOTE: '```' } }))), base));
    expect(md).toContain('\n````diff\n');
    expect(md).not.toContain('\n```diff\n');
  });

  test('no changes says so', () => {
    expect(renderMarkdown(diffDir(samplePlatform(), base))).toMatch(/^### Platform diff\n\nNo changes: the synthesized platform matches `.+` \(\d+ files compared\)\.\n$/);
  });
});

describe('text', () => {
  test('a one-line change shows the summary, the risk and exactly that change', () => {
    const text = renderText(diffDir(withConfig(fewerProdReplicas), base), { color: false });
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^Platform diff against .+: 1 changed \(\d+ files unchanged\)$/);
    expect(lines.slice(1, 9)).toEqual([
      '',
      'Summary',
      '  section  kind                     added  changed  removed',
      '  prod     HorizontalPodAutoscaler      0        1        0',
      '',
      'Risks (1)',
      `  ! [fewer-prod-replicas] prod ${hpa} HorizontalPodAutoscaler/inventory-api: spec.minReplicas 4 → 3 in production environment prod`,
      '',
    ]);
    expect(lines.slice(9, 11)).toEqual(['prod: 1 changed', `  ~ HorizontalPodAutoscaler/inventory-api  ${hpa}`]);
    expect(edits(lines.slice(11).join('\n'), '      ')).toEqual(hpaEdits);
    expect(text).not.toContain('\u001b[');
  });

  test('Terraform changes list each attribute with old → new', () => {
    const text = renderText(diffDir(withConfig(moveProdRegion), base), { color: false });
    expect(text).toContain('  ~ google_container_cluster.cluster\n      location: "europe-west1" → "europe-west4"\n');
  });

  test('colour marks additions green and removals red', () => {
    const text = renderText(diffDir(withConfig(fewerProdReplicas), base), { color: true });
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
