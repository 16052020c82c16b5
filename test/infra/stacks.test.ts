import { samplePlatform } from '../../apps/platform';
import { platformStacks } from '../../infra/platform-stacks';
import { synthStack } from '../../lib/engine/terraform';
import { synthPlatform } from '../../cli/platform-output';

describe('Terraform stacks', () => {
  const stacks = platformStacks(samplePlatform());
  const json = new Map(stacks.map(({ name, stack }) => [name, synthStack(stack)]));
  const parsed = (name: string) => JSON.parse(json.get(name) ?? '{}');

  test('a bootstrap stack and one stack per cluster, in apply order', () => {
    expect(stacks.map((s) => s.name)).toEqual(['bootstrap', 'cluster-nonprod', 'cluster-prod']);
  });

  test('the bootstrap stack keeps its state locally; every other stack in its own prefix of the state bucket', () => {
    expect(parsed('bootstrap').terraform.backend).toEqual({ local: { path: 'terraform.tfstate' } });
    const prefixes = ['cluster-nonprod', 'cluster-prod'].map((name) => {
      const backend = parsed(name).terraform.backend;
      expect(backend.gcs.bucket).toBe('shop-platform-tofu-state');
      return backend.gcs.prefix;
    });
    expect(new Set(prefixes).size).toBe(prefixes.length);
  });

  test('is plain Terraform JSON: only standard top-level blocks, no cdktf metadata', () => {
    for (const text of json.values()) {
      const doc = JSON.parse(text);
      for (const key of Object.keys(doc)) expect(['terraform', 'provider', 'resource', 'data', 'output', 'locals', 'variable']).toContain(key);
      expect(text).not.toContain('"//"');
    }
  });

  test('keys are sorted at every level', () => {
    const check = (value: unknown): void => {
      if (Array.isArray(value)) return value.forEach(check);
      if (value !== null && typeof value === 'object') {
        const keys = Object.keys(value);
        expect(keys).toEqual([...keys].sort());
        Object.values(value).forEach(check);
      }
    };
    for (const text of json.values()) check(JSON.parse(text));
  });

  test('pins the OpenTofu and provider versions', () => {
    for (const name of json.keys()) {
      expect(parsed(name).terraform.required_version).toBe('>= 1.6.0');
      expect(parsed(name).terraform.required_providers.google.version).toMatch(/^\d+\.\d+\.\d+$/);
    }
  });

  test('resource addresses are readable, with no hash suffix', () => {
    for (const text of json.values()) {
      for (const resources of Object.values(JSON.parse(text).resource ?? {})) {
        for (const address of Object.keys(resources as object)) expect(address).toMatch(/^[a-z][a-z0-9_]*$/);
      }
    }
    expect(Object.keys(parsed('bootstrap').resource.google_storage_bucket)).toEqual(['state_bucket']);
  });

  test('the stacks are written under terraform/<stack>/main.tf.json', () => {
    const files = synthPlatform(samplePlatform(), [], ['terraform']).files.map((f) => f.path);
    expect(files).toEqual(['terraform/bootstrap/main.tf.json', 'terraform/cluster-nonprod/main.tf.json', 'terraform/cluster-prod/main.tf.json']);
  });
});
