// diff builds the new side with the releases of the tree it compares with, as synth would write
// there: after a release and a promotion, a diff with nothing changed is empty.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type DiffCommandOptions, runDiff } from '../../cli/diff-command';
import { runPromote } from '../../cli/promote-command';
import { runRelease } from '../../cli/release-command';
import { ConfigError } from '../../lib/model/config-error';
import { git } from '../helpers';
import { commitAndPush, copyRepo, FIXTURE_RUN, gitopsRepo, type GitOpsRepo, outcome, removeTempDirs, succeeded, useTagTime } from '../release/fixtures';

useTagTime();
afterAll(removeTempDirs);

const diff = (options: Omit<DiffCommandOptions, 'config' | 'seed' | 'envs'>) =>
  runDiff({ config: FIXTURE_RUN.config, seed: FIXTURE_RUN.seed, envs: [], ...options });

let repo: GitOpsRepo;
beforeAll(async () => {
  repo = gitopsRepo();
  succeeded(await outcome(() => runRelease({ ...FIXTURE_RUN, tag: 'v1.5.0', gitops: repo.checkout })));
  succeeded(await outcome(() => runPromote({ ...FIXTURE_RUN, from: 'dev', to: 'stage', gitops: repo.checkout })));
}, 120_000);

test('the released and promoted tree differs from the seed, so the test can fail', () => {
  const released = fs.readFileSync(path.join(repo.checkout, 'releases.json'), 'utf8');
  expect(released).toContain('v1.5.0');
  expect(fs.readFileSync(FIXTURE_RUN.seed, 'utf8')).not.toContain('v1.5.0');
});

test('against the checkout directory: no changes, no risks', () => {
  const result = diff({ against: repo.checkout });
  expect(result.report.risks).toEqual([]);
  expect(result.exitCode).toBe(0);
});

test('against the ref: no changes, no risks, even when the work tree holds another releases.json', () => {
  const tree = copyRepo(repo);
  // The work tree is never read for a ref: only the file at the ref counts.
  fs.writeFileSync(path.join(tree.checkout, 'releases.json'), '{ damaged');
  const result = diff({ againstRef: 'main', gitops: tree.checkout });
  expect(result.report.risks).toEqual([]);
  expect(result.exitCode).toBe(0);
});

test('a tree with no releases.json is compared with the seed', () => {
  const tree = copyRepo(repo);
  fs.rmSync(path.join(tree.checkout, 'releases.json'));
  const result = diff({ against: tree.checkout });
  expect(result.exitCode).toBe(1);
  expect(result.report.risks.map((r) => r.rule)).toContain('image-tag-backwards');
});

describe('a damaged releases.json in the tree is one config error line', () => {
  const damaged = (): GitOpsRepo => {
    const tree = copyRepo(repo);
    fs.writeFileSync(path.join(tree.checkout, 'releases.json'), '{ damaged');
    return tree;
  };
  const oneLine = (run: () => unknown, file: RegExp): void => {
    let thrown: unknown;
    try {
      run();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const message = (thrown as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toMatch(file);
    expect(message).toMatch(/cannot be read as JSON .*fix: /);
  };

  test('in a directory', () => {
    const tree = damaged();
    oneLine(() => diff({ against: tree.checkout }), /releases\.json/);
  });

  test('at a ref', () => {
    const tree = damaged();
    commitAndPush(tree.checkout, 'damage');
    expect(git(tree.checkout, 'show', 'main:releases.json')).toBe('{ damaged');
    oneLine(() => diff({ againstRef: 'main', gitops: tree.checkout }), /releases\.json at main/);
  });
});
