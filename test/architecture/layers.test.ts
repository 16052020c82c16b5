import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_DIR } from '../helpers';

/**
 * The layers of docs/ARCHITECTURE.md, lowest first: a file may import from its own layer and the
 * ones below, never from one above. Config (apps/) is data: it may use the model alone.
 */
const LAYERS: readonly { readonly name: string; readonly dirs: readonly string[] }[] = [
  { name: 'model', dirs: ['lib/model'] },
  { name: 'constructs', dirs: ['lib/k8s', 'lib/gcp', 'infra', 'lib/engine'] },
  { name: 'lib', dirs: ['lib/validate', 'lib/diff', 'lib/gitops', 'lib/pipeline', 'lib/manifest'] },
  { name: 'cli', dirs: ['cli'] },
];
const CONFIG = 'apps';

function layerOf(file: string): number | 'config' | undefined {
  const rel = path.relative(PROJECT_DIR, file).split(path.sep).join('/');
  if (rel.startsWith(`${CONFIG}/`)) return 'config';
  const at = LAYERS.findIndex((l) => l.dirs.some((d) => rel.startsWith(`${d}/`)));
  return at < 0 ? undefined : at;
}

function sources(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) out.push(p);
    }
  };
  walk(path.join(PROJECT_DIR, dir));
  return out;
}

/** Every relative import of a file, resolved to a path of the project. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from\s+|require\(|import\()'(\.[^']+)'/g)].map((m) => m[1]);
  return specs.map((s) => path.resolve(path.dirname(file), s));
}

/** The imports of `files` that point up, as `file -> import`. */
function upward(files: readonly string[]): string[] {
  const out: string[] = [];
  for (const file of files) {
    const from = layerOf(file);
    for (const target of importsOf(file)) {
      const to = layerOf(`${target}.ts`) ?? layerOf(path.join(target, 'index.ts'));
      const bad = from === 'config' ? to !== 0 && to !== 'config' : to === 'config' ? from !== LAYERS.length - 1 : from !== undefined && to !== undefined && to > from;
      if (bad) out.push(`${path.relative(PROJECT_DIR, file)} -> ${path.relative(PROJECT_DIR, target)}`);
    }
  }
  return out;
}

describe('layers point down', () => {
  const files = ['lib', 'infra', 'apps', 'cli'].flatMap(sources);

  test('no file imports from a layer above its own, and only the CLI reads the config', () => {
    expect(upward(files)).toEqual([]);
  });

  test('the check catches an import that points up', () => {
    const probe = path.join(PROJECT_DIR, 'lib', 'model', 'probe.ts');
    const text = "import { synthPlatform } from '../pipeline/synth';\n";
    const spy = jest.spyOn(fs, 'readFileSync').mockImplementation(((p: fs.PathOrFileDescriptor) => (p === probe ? text : '')) as typeof fs.readFileSync);
    try {
      expect(upward([probe])).toEqual(['lib/model/probe.ts -> lib/pipeline/synth']);
    } finally {
      spy.mockRestore();
    }
  });
});
