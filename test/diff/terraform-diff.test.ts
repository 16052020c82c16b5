import { attributeChanges, diffTerraform, terraformBlocks } from '../../lib/diff/terraform-diff';

const stack = (location: string, extra: Record<string, unknown> = {}) => ({
  data: { google_project: { this: { project_id: 'p' } } },
  output: { network: { value: '${google_compute_network.network.id}' } },
  provider: { google: [{ project: 'p', region: location }] },
  resource: {
    google_container_cluster: { cluster: { location, private_cluster_config: { enable_private_nodes: true, master_ipv4_cidr_block: '172.16.0.0/28' } } },
    ...extra,
  },
  terraform: { backend: { gcs: { bucket: 'state' } } },
});

test('blocks are addressed as Terraform addresses them', () => {
  const blocks = terraformBlocks(stack('europe-west1'));
  expect([...blocks.keys()]).toEqual(['data.google_project.this', 'output.network', 'provider.google', 'google_container_cluster.cluster', 'terraform']);
  expect(blocks.get('google_container_cluster.cluster')?.resourceType).toBe('google_container_cluster');
  expect(blocks.get('data.google_project.this')).toMatchObject({ kind: 'data.google_project', resourceType: undefined });
});

test('changed blocks list their changed leaves by dotted path', () => {
  const changes = diffTerraform(stack('europe-west1'), stack('europe-west4', { google_storage_bucket: { b: { name: 'b' } } }));
  expect(changes.map((c) => `${c.change} ${c.block.address}`)).toEqual([
    'changed provider.google',
    'changed google_container_cluster.cluster',
    'added google_storage_bucket.b',
  ]);
  expect(changes[0].attributes).toEqual([{ path: '[0].region', before: 'europe-west1', after: 'europe-west4' }]);
});

test('attributeChanges reports added, changed and removed leaves, nested and in lists; old before new within an attribute', () => {
  const before = { a: { b: 1, c: [1, 2] }, gone: true, empty: {}, list: [] };
  const after = { a: { b: 2, c: [1, 2, 3] }, empty: { now: 'x' }, list: ['y'] };
  expect(attributeChanges(before, after)).toEqual([
    { path: 'a.b', before: 1, after: 2 },
    { path: 'a.c[2]', after: 3 },
    // The leaf that went away reads before the one that replaces it.
    { path: 'empty', before: {} },
    { path: 'empty.now', after: 'x' },
    { path: 'list', before: [] },
    { path: 'list[0]', after: 'y' },
    { path: 'gone', before: true },
  ]);
});
