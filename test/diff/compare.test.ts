import { diffOutput, type SynthesizedOutput } from '../../lib/diff/compare';
import { renderMarkdown } from '../../lib/diff/render-markdown';
import { renderText } from '../../lib/diff/render-text';
import type { DiffReport } from '../../lib/diff/report';
import { dirSource } from '../../lib/diff/tree-source';
import { synthPlatform } from '../../lib/pipeline/synth';
import { fixturePlatform } from '../fixtures/shop/platform';
import { copyTree, diffOptions, editFile, readFile, removeTempDirs, scratchDir, synthesizedTree, withApp, withConfig, writeFile } from './fixtures';

const platform = fixturePlatform();
/** The fixture's synth, written once; each test compares it, or another synth, with a copy of the tree. */
let base: string;
let output: SynthesizedOutput;
beforeAll(() => {
  ({ dir: base, output } = synthesizedTree(platform));
});
afterAll(removeTempDirs);

/** The fixture's synth (of `envs` only, when given) compared with a tree. */
const diffDir = (tree: string, envs: readonly string[] = []): DiffReport =>
  diffOutput(envs.length === 0 ? output : synthPlatform(platform, envs), dirSource(tree), diffOptions(platform));

const summary = (report: DiffReport): string[] => report.changes.map((c) => `${c.group} ${c.change} ${c.name}`);

test('a fresh synth against itself has no changes and counts every object as unchanged, in the unit of changes', () => {
  const report = diffDir(base);
  expect(report.changes).toEqual([]);
  expect(report.risks).toEqual([]);
  // Objects, not files: against an empty tree every one of them is a change.
  const everything = diffDir(scratchDir()).changes.length;
  expect(report.unchangedObjects).toBe(everything);
  expect(everything).toBeGreaterThan(output.files.length);
});

test('a one-line config change is exactly one changed object with its YAML diff', () => {
  // The prod replicas of an autoscaled app live in its HorizontalPodAutoscaler: the floor, and the
  // most pods a scale-down may remove at once.
  const changed = withConfig((c) => withApp(c, 'inventory-api', (a) => ({ ...a, overrides: { ...a.overrides, prod: { replicas: 3 } } })));
  const report = diffOutput(synthPlatform(changed), dirSource(base), diffOptions(changed));
  expect(summary(report)).toEqual(['prod changed HorizontalPodAutoscaler/inventory-api']);
  const [change] = report.changes;
  const path = 'kubernetes/prod/horizontalpodautoscaler-inventory-api.yaml';
  expect(change.path).toBe(path);
  expect(change.patch).toContain(`--- a/${path}\n+++ b/${path}\n`);
  const lines = change.patch?.split('\n') ?? [];
  expect(lines.filter((l) => /^[-+] /.test(l))).toEqual(['-          value: 4', '+          value: 3', '-  minReplicas: 4', '+  minReplicas: 3']);
  // Two hunks, three lines of context on each side of each changed line.
  expect(lines.filter((l) => l.startsWith('@@ '))).toHaveLength(2);
  expect(lines.filter((l) => l.startsWith(' '))).toHaveLength(12);
});

test('files outside the layout, the manifest index and other teams directories are ignored', () => {
  const tree = copyTree(base);
  writeFile(tree, 'README.md', '# gitops\n');
  writeFile(tree, 'kubernetes/dev/README.md', 'notes\n');
  writeFile(tree, 'kubernetes/prod/notes.txt', 'notes\n');
  writeFile(tree, 'terraform/cluster-prod/.terraform.lock.hcl', '# lock\n');
  writeFile(tree, 'other-team/deployment-x.yaml', 'kind: Deployment\n');
  editFile(tree, 'platform-index.json', (t) => t.replace('test-commit', 'another-commit'));
  expect(diffDir(tree).changes).toEqual([]);
});

test('a file under the layout that the synth no longer produces is removed', () => {
  const tree = copyTree(base);
  writeFile(tree, 'kubernetes/dev/configmap-retired-config.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: retired-config\n');
  writeFile(tree, 'kubernetes/clusters/prod/configmap-retired-config.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: retired-config\n');
  writeFile(tree, 'terraform/cluster-old/main.tf.json', JSON.stringify({ resource: { google_compute_network: { network: { name: 'old' } } } }));
  const report = diffDir(tree);
  expect(summary(report)).toEqual([
    'dev removed ConfigMap/retired-config',
    'cluster-prod removed ConfigMap/retired-config',
    'terraform/cluster-old removed google_compute_network.network',
  ]);
});

test("a cluster's shared objects and its Application are its own section", () => {
  const tree = copyTree(base);
  editFile(tree, 'kubernetes/clusters/nonprod/prometheusrule-disk-usage.yaml', (t) => t.replace('for: 10m', 'for: 5m'));
  editFile(tree, 'kubernetes/argocd/nonprod/application-cluster-nonprod.yaml', (t) => t.replace('targetRevision: main', 'targetRevision: old'));
  const report = diffDir(tree);
  expect(summary(report)).toEqual(['cluster-nonprod changed Application/cluster-nonprod', 'cluster-nonprod changed PrometheusRule/disk-usage']);
  expect(report.groups).toEqual([
    ...['dev', 'stage', 'canary', 'prod', 'argocd', 'cluster-nonprod', 'cluster-prod'],
    ...['terraform/bootstrap', 'terraform/cluster-nonprod', 'terraform/cluster-prod'],
  ]);
});

test('the directory of a cluster the platform no longer has is left alone, as synth leaves it', () => {
  const tree = copyTree(base);
  writeFile(tree, 'kubernetes/clusters/old/configmap-x.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n');
  writeFile(tree, 'kubernetes/argocd/nonprod/application-cluster-old.yaml', 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: cluster-old\n');
  expect(diffDir(tree).changes).toEqual([]);
});

test('--env limits the comparison to those environments and the shared scopes', () => {
  const tree = copyTree(base);
  editFile(tree, 'kubernetes/stage/horizontalpodautoscaler-web.yaml', (t) => t.replace('minReplicas: 2', 'minReplicas: 5'));
  editFile(tree, 'kubernetes/argocd/nonprod/application-app-stage.yaml', (t) => t.replace('targetRevision: main', 'targetRevision: old'));
  writeFile(tree, 'kubernetes/stage/configmap-stale-config.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: stale-config\n');
  editFile(tree, 'kubernetes/dev/horizontalpodautoscaler-web.yaml', (t) => t.replace('minReplicas: 1', 'minReplicas: 7'));
  const report = diffDir(tree, ['dev']);
  expect(summary(report)).toEqual(['dev changed HorizontalPodAutoscaler/web']);
  // The clusters' shared objects, like the Terraform stacks, are compared whatever --env says.
  expect(report.groups).toEqual(['dev', 'argocd', 'cluster-nonprod', 'cluster-prod', 'terraform/bootstrap', 'terraform/cluster-nonprod', 'terraform/cluster-prod']);
  expect(summary(diffDir(tree, ['stage']))).toEqual([
    'stage changed Application/app-stage',
    'stage removed ConfigMap/stale-config',
    'stage changed HorizontalPodAutoscaler/web',
  ]);
});

test('an empty against-tree lists every object and every Terraform block as added', () => {
  const report = diffDir(scratchDir());
  const manifests = output.files.filter((f) => f.path.endsWith('.yaml'));
  expect(report.changes.every((c) => c.change === 'added')).toBe(true);
  expect(report.changes.filter((c) => c.plane === 'kubernetes')).toHaveLength(manifests.length);
  expect(report.changes.map((c) => c.name)).toContain('google_container_cluster.cluster');
  expect(report.unchangedObjects).toBe(0);
});

test('Terraform changes are reported per address with flattened attribute paths', () => {
  const tree = copyTree(base);
  const stack = 'terraform/cluster-prod/main.tf.json';
  const json = JSON.parse(readFile(tree, stack)) as { resource: Record<string, Record<string, Record<string, unknown>>> };
  const cluster = json.resource.google_container_cluster.cluster;
  const oldLocation = cluster.location;
  cluster.location = 'europe-west9';
  writeFile(tree, stack, `${JSON.stringify(json, null, 2)}\n`);
  const report = diffDir(tree);
  expect(summary(report)).toEqual(['terraform/cluster-prod changed google_container_cluster.cluster']);
  expect(report.changes[0].attributes).toEqual([{ path: 'location', before: 'europe-west9', after: oldLocation }]);
  // The stack's other blocks still count as unchanged objects.
  expect(report.unchangedObjects + report.changes.length).toBe(diffDir(base).unchangedObjects);
});

test('a Terraform file that differs only in formatting is shown as a file diff', () => {
  const tree = copyTree(base);
  const stack = 'terraform/bootstrap/main.tf.json';
  writeFile(tree, stack, JSON.stringify(JSON.parse(readFile(tree, stack))));
  const report = diffDir(tree);
  expect(summary(report)).toEqual([`terraform/bootstrap changed ${stack}`]);
  expect(report.changes[0].kind).toBe('file');
  expect(report.changes[0].patch).toContain(`+++ b/${stack}`);
});

test('a file edited by hand since the tool wrote it is named as drift, in text and markdown', () => {
  const tree = copyTree(base);
  const path = 'kubernetes/dev/deployment-web.yaml';
  editFile(tree, path, (t) => `${t}# edited by hand\n`);
  const report = diffDir(tree);
  expect(report.drift).toEqual([path]);
  expect(summary(report)).toEqual(['dev changed Deployment/web']);
  expect(renderText(report, { color: false })).toMatch(new RegExp(`Edited by hand since the tool wrote them \\(1\\).*\\n  ! ${path}`));
  expect(renderMarkdown(report)).toContain(`#### Edited by hand (1)`);
  // The same change made by the synth itself is no drift.
  expect(diffDir(base).drift).toEqual([]);
});
