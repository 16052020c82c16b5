import { dump, load } from 'js-yaml';
import { samplePlatform } from '../../apps/platform';
import { synthPlatform } from '../../lib/pipeline/synth';
import { OutputFile } from '../../lib/engine/output';
import { checkOutput, OutputReport, ValidateOutputOptions, Violation } from '../../lib/validate/output';

export type Json = Record<string, unknown>;

let cached: readonly OutputFile[] | undefined;

/** The synthesized output of the sample platform (synthesized once per test file). */
export function sampleFiles(): readonly OutputFile[] {
  cached ??= synthPlatform(samplePlatform()).files;
  return cached;
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

/** The sample output with one YAML object changed in place. */
export function mutateYaml(path: string, change: (o: Json) => void, files = sampleFiles()): OutputFile[] {
  return replace(files, path, (content) => {
    const o = load(content) as Json;
    change(o);
    return dump(o);
  });
}

/** The sample output with one Terraform stack changed in place. */
export function mutateJson(path: string, change: (o: Json) => void, files = sampleFiles()): OutputFile[] {
  return replace(files, path, (content) => {
    const o = JSON.parse(content) as Json;
    change(o);
    return JSON.stringify(o);
  });
}

/** The sample output with a file added. */
export function addFile(path: string, content: string, files = sampleFiles()): OutputFile[] {
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
