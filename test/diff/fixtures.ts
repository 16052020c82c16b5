import * as fs from 'node:fs';
import * as path from 'node:path';
import { samplePlatform } from '../../apps/platform';
import { diffPlatform } from '../../cli/diff-command';
import { runSynth } from '../../lib/pipeline/synth-output';
import { DiffReport } from '../../lib/diff/report';
import { dirSource } from '../../lib/diff/tree-source';
import { AppConfig, PlatformConfig } from '../../lib/model/config';
import { Platform } from '../../lib/model/platform';
import { git, tempDir } from '../helpers';

const made: string[] = [];

/** A temporary directory removed by {@link removeTempDirs}. */
export function scratchDir(prefix = 'platform-diff-'): string {
  const dir = tempDir(prefix);
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** An output root holding a synth of `platform`, the sample platform by default. */
export function synthesizedTree(platform: Platform = samplePlatform()): string {
  const dir = scratchDir();
  runSynth({ platform, outDir: dir, envs: [], sourceCommit: 'test-commit' });
  return dir;
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

export function diffDir(platform: Platform, dir: string, envs: readonly string[] = []): DiffReport {
  return diffPlatform(platform, dirSource(dir), envs);
}

/** A git repository with one commit of everything in `dir`. */
export function commitAll(dir: string, message: string): string {
  if (!fs.existsSync(path.join(dir, '.git'))) git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, '-c', 'user.name=Test', '-c', 'user.email=test@example.com', 'commit', '-q', '--allow-empty', '-m', message);
  return git(dir, 'rev-parse', 'HEAD');
}

/** The sample config with one app changed. */
export function withApp(config: PlatformConfig, name: string, change: (app: AppConfig) => AppConfig): PlatformConfig {
  if (!config.apps.some((a) => a.name === name)) throw new Error(`no app ${name} in the sample platform`);
  return { ...config, apps: config.apps.map((a) => (a.name === name ? change(a) : a)) };
}
