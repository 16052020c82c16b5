// Helpers of the validate tests, built on the fixture platform (test/fixtures/shop), never the
// sample in apps/: a change to the sample breaks no test here.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { dump, load } from 'js-yaml';
import type { OutputFile } from '../../lib/engine/output';
import type { PlatformConfig } from '../../lib/model/config';
import { definePlatform, type Platform } from '../../lib/model/platform';
import { synthPlatform } from '../../lib/pipeline/synth';
import { checkOutput, type OutputReport, type ValidateOutputOptions, type Violation } from '../../lib/validate/output';
import { fixturePlatform, platformConfig } from '../fixtures/shop/platform';

export type Json = Record<string, unknown>;

let cached: readonly OutputFile[] | undefined;

/** The synthesized output of the fixture platform (synthesized once per test file). */
export function fixtureFiles(): readonly OutputFile[] {
  cached ??= synthPlatform(fixturePlatform()).files;
  return cached;
}

/** The fixture config with some fields changed, as a platform. */
export function withConfig(change: (config: PlatformConfig) => PlatformConfig): Platform {
  return definePlatform(change(platformConfig));
}

/** A fresh temporary directory, removed by the caller. */
export function tempDir(prefix = 'platform-validate-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** The object (or array element) at a path; throws when it is not there. */
export function get(o: unknown, ...keys: readonly (string | number)[]): Json {
  let cur: unknown = o;
  for (const k of keys) {
    cur = (cur as Record<string | number, unknown> | undefined)?.[k];
    if (typeof cur !== 'object' || cur === null) throw new Error(`no object at ${keys.join('.')}`);
  }
  return cur as Json;
}

function replace(files: readonly OutputFile[], path: string, change: (content: string) => string): OutputFile[] {
  const i = files.findIndex((f) => f.path === path);
  if (i < 0) throw new Error(`no file ${path}`);
  return files.map((f, j) => (j === i ? { ...f, content: change(f.content) } : f));
}

/** The fixture's output with one YAML object changed in place. */
export function mutateYaml(path: string, change: (o: Json) => void, files = fixtureFiles()): OutputFile[] {
  return replace(files, path, (content) => {
    const o = load(content) as Json;
    change(o);
    return dump(o);
  });
}

/** The fixture's output with one Terraform stack changed in place. */
export function mutateJson(path: string, change: (o: Json) => void, files = fixtureFiles()): OutputFile[] {
  return replace(files, path, (content) => {
    const o = JSON.parse(content) as Json;
    change(o);
    return JSON.stringify(o);
  });
}

/** The fixture's output with a file added. */
export function addFile(path: string, content: string, files = fixtureFiles()): OutputFile[] {
  return [...files, { path, content, scope: '' }];
}

export const OPTIONS: ValidateOutputOptions = { productionEnvs: ['prod'] };

export function check(files: readonly OutputFile[], options: ValidateOutputOptions = OPTIONS): OutputReport {
  return checkOutput(files, options);
}

/** The violations of one rule, without their fix. */
export function of(rule: string, files: readonly OutputFile[], options: ValidateOutputOptions = OPTIONS): Omit<Violation, 'fix'>[] {
  return check(files, options).violations.filter((v) => v.rule === rule).map(({ fix: _fix, ...v }) => v);
}
