import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UsageError } from '../../cli/errors';
import { checkOutDir } from '../../cli/project-dir';
import { loadRootPlatform } from '../../lib/pipeline/synth-output';
import { ConfigError } from '../../lib/model/config-error';
import { platformConfig } from '../fixtures/shop/platform';
import { PROJECT_DIR, runCli, tempDir } from '../helpers';

describe('the output root', () => {
  test.each([
    ['/', /--out \/ is the file system root, which the tool never writes into; fix: pass a directory of its own/],
    [os.homedir(), /is the home directory/],
    [PROJECT_DIR, /is this project itself/],
    [path.dirname(PROJECT_DIR), /is a directory that holds this project/],
    [path.join(PROJECT_DIR, 'apps'), /is inside the project's own folder apps\//],
    [path.join(PROJECT_DIR, 'lib', 'new'), /is inside the project's own folder lib\//],
  ])('%s is refused', (dir, message) => {
    expect(() => checkOutDir(dir, '--out')).toThrow(UsageError);
    expect(() => checkOutDir(dir, '--out')).toThrow(message);
  });

  test('dist, a new folder of the project and a directory elsewhere are accepted', () => {
    expect(() => checkOutDir(path.join(PROJECT_DIR, 'dist'), '--out')).not.toThrow();
    expect(() => checkOutDir(path.join(PROJECT_DIR, 'out', 'x'), '--out')).not.toThrow();
    expect(() => checkOutDir(path.join(os.tmpdir(), 'gitops'), '--out')).not.toThrow();
  });

  test('a link to the project is refused like the project', () => {
    const dir = tempDir();
    try {
      fs.symlinkSync(PROJECT_DIR, path.join(dir, 'link'));
      expect(() => checkOutDir(path.join(dir, 'link'), '--gitops')).toThrow(/--gitops .*link is this project itself/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the CLI exits 2 with one line for --out . and writes nothing', () => {
    const before = fs.readdirSync(PROJECT_DIR).sort();
    const run = runCli(['synth', '--out', '.']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^error: --out \. is this project itself, which the tool never writes into; fix: .*\n$/);
    expect(fs.readdirSync(PROJECT_DIR).sort()).toEqual(before);
  });
});

describe('a damaged releases file', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a seed that is not JSON is one config error naming it', () => {
    const seed = path.join(dir, 'releases.json');
    fs.writeFileSync(seed, '{ not json');
    const out = path.join(dir, 'out');
    expect(() => loadRootPlatform(out, platformConfig, seed)).toThrow(ConfigError);
    expect(() => loadRootPlatform(out, platformConfig, seed)).toThrow(/field "apps\/releases\.json": value \(unset\) cannot be read as JSON .*fix: restore it from git/);
  });

  test("the root's releases.json damaged: the CLI exits 2 with one line", () => {
    fs.writeFileSync(path.join(dir, 'releases.json'), '{"environments": 3}');
    const run = runCli(['synth', '--out', dir]);
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/releases\.json.*fix:/);
  });

  test("the root's releases.json as a link out of the root is refused, not read", () => {
    const outside = path.join(dir, 'outside.json');
    fs.writeFileSync(outside, '{}');
    const out = path.join(dir, 'out');
    fs.mkdirSync(out);
    fs.symlinkSync(outside, path.join(out, 'releases.json'));
    const run = runCli(['synth', '--out', out]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^error: .*out\/releases\.json: is a symbolic link, where the tool keeps a regular file; nothing was changed; fix: .*\n$/);
  });
});
