// Fixtures of the diff tests, built on the fixture platform (test/fixtures/shop), never the sample
// in apps/: a change to the sample breaks no test here.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type DiffOptions, type SynthesizedOutput, terraformPairs } from '../../lib/diff/compare';
import { objectIdentity } from '../../lib/diff/kubernetes-diff';
import type { KubernetesPair, TerraformPair } from '../../lib/diff/risk-flags';
import type { TreeSource } from '../../lib/diff/tree-source';
import type { OutputFile } from '../../lib/engine/output';
import { writeOutput } from '../../lib/engine/writer';
import { canaryPolicy } from '../../lib/gitops/release-state';
import type { JsonRecord } from '../../lib/manifest/json-access';
import type { AppConfig, PlatformConfig } from '../../lib/model/config';
import { outputLayout, SHARED_SCOPES } from '../../lib/model/output-layout';
import { definePlatform, type Platform } from '../../lib/model/platform';
import { synthWrite } from '../../lib/pipeline/synth-output';
import { platformConfig } from '../fixtures/shop/platform';

const made: string[] = [];

/** A temporary directory removed by {@link removeTempDirs}. */
export function scratchDir(prefix = 'platform-diff-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** The fixture config with some fields changed, as a platform. */
export function withConfig(change: (config: PlatformConfig) => PlatformConfig): Platform {
  return definePlatform(change(platformConfig));
}

/** The config with one app changed. */
export function withApp(config: PlatformConfig, name: string, change: (app: AppConfig) => AppConfig): PlatformConfig {
  if (!config.apps.some((a) => a.name === name)) throw new Error(`no app ${name} in the fixture platform`);
  return { ...config, apps: config.apps.map((a) => (a.name === name ? change(a) : a)) };
}

/** What the diff command passes for a platform: its environments in order, and production. */
export function diffOptions(platform: Platform): DiffOptions {
  return { environments: platform.environments.map((e) => e.name), production: [platform.production.name], canarySteps: canaryPolicy(platform).steps };
}

/**
 * An output root holding a synth of `platform`, written as synth writes it (index included, so
 * drift can be told), and the same synth in memory: a test compares it with the tree without
 * synthesizing again.
 */
export function synthesizedTree(platform: Platform): { readonly dir: string; readonly output: SynthesizedOutput } {
  const dir = scratchDir();
  const write = synthWrite({ platform, outDir: dir, envs: [], sourceCommit: 'test-commit' });
  writeOutput(write);
  return { dir, output: { files: write.files, scopes: write.scopes } };
}

/** A tree held in memory, with no index: for comparisons that need no disk. */
export function memorySource(files: readonly OutputFile[], label = 'memory'): TreeSource {
  const byPath = new Map(files.map((f) => [f.path, f.content]));
  return {
    label,
    list: (roots) => [...byPath.keys()].filter((p) => roots.some((r) => p.startsWith(`${r}/`))),
    holds: (p, content) => byPath.get(p) === content,
    read: (paths) => new Map(paths.map((p) => [p, byPath.get(p) ?? ''])),
    indexed: () => new Map(),
    file: (p) => (byPath.has(p) ? { text: byPath.get(p) ?? '', file: `${p} in ${label}` } : undefined),
  };
}

/** A copy of a tree, to change without touching the original. */
export function copyTree(dir: string): string {
  const copy = scratchDir();
  fs.cpSync(dir, copy, { recursive: true });
  return copy;
}

export function readFile(dir: string, rel: string): string {
  return fs.readFileSync(path.join(dir, rel), 'utf8');
}

export function writeFile(dir: string, rel: string, content: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), content);
}

/** Rewrites one file of a tree; fails when the edit changes nothing, so a test never edits in vain. */
export function editFile(dir: string, rel: string, edit: (text: string) => string): void {
  const before = readFile(dir, rel);
  const after = edit(before);
  if (after === before) throw new Error(`the edit of ${rel} changed nothing`);
  writeFile(dir, rel, after);
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** A git repository with one commit of everything in `dir`. */
export function commitAll(dir: string, message: string): string {
  if (!fs.existsSync(path.join(dir, '.git'))) git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, '-c', 'user.name=Test', '-c', 'user.email=test@example.com', 'commit', '-q', '--allow-empty', '-m', message);
  return git(dir, 'rev-parse', 'HEAD');
}

/**
 * One differing Kubernetes object of a scope, as the comparison pairs it: added without `before`,
 * removed without `after`. Named like the comparison names it (`Kind/name`).
 */
export function objectPair(scope: string, before?: JsonRecord, after?: JsonRecord): KubernetesPair {
  const { kind, name } = objectIdentity('object.yaml', after ?? before);
  const change = before === undefined ? 'added' : after === undefined ? 'removed' : 'changed';
  const file = `kubernetes/${scope}/${kind.toLowerCase()}-${name.slice(name.indexOf('/') + 1)}.yaml`;
  return { change: { scope, group: scope, path: file, plane: 'kubernetes', kind, name, change }, before, after };
}

/** The differing blocks of two versions of a stack (a missing side is no stack), as the comparison pairs them. */
export function stackPairs(stack: string, before: unknown, after: unknown): TerraformPair[] {
  return terraformPairs({ path: outputLayout.terraformStack(stack), scope: SHARED_SCOPES.terraform }, before, after);
}
