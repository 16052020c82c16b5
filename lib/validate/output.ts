import { loadAll } from 'js-yaml';
import type { OutputFile } from '../engine/output';
import { CLOUD_SQL_PROXY } from '../model/cloud-sql-proxy';
import { GCLOUD_IMAGE } from '../model/database-backups';
import { RULE_IDS } from '../model/rule-ids';
import { RULES } from './rules/index';
import { isRecord } from '../manifest/json-access';
import { toManifest } from '../manifest/manifest';
import type { K8sObject, TfStack } from './rules/types';
import { validateObjects } from './schemas';

export { RULE_IDS } from '../model/rule-ids';

/** One thing wrong with a synthesized output. */
export interface Violation {
  /** The file, relative to the output root. */
  readonly file: string;
  /** `Kind/name`, a Terraform block, or `(file)` for the whole file. */
  readonly object: string;
  /** The rule broken, such as `schema`. */
  readonly rule: string;
  readonly message: string;
  readonly fix: string;
}

const SCHEMA_FIXES: Record<string, string> = {
  schema: 'correct the construct or config that sets this field',
  unregistered: 'add its kubernetes-models module to lib/validate/schemas.ts',
  malformed: 'make the file hold Kubernetes objects with a string apiVersion and kind',
};

/** An app's waiver of one rule, with the reason it is accepted. */
export interface Waiver {
  /** The app, matched against an object's `app.kubernetes.io/name` label. */
  readonly app: string;
  readonly rule: string;
  readonly reason: string;
}

/** Options of {@link validateOutput}: giving them (even `{}`) turns on the policy, GCP and join rules. */
/**
 * The images a platform runs from outside its own registry, on purpose: the Cloud SQL Auth Proxy
 * the model pins, and the operations image (`Platform.operationsImage`).
 */
export function platformImages(operationsImage: string = GCLOUD_IMAGE): readonly string[] {
  return [CLOUD_SQL_PROXY.image, operationsImage];
}

export interface ValidateOutputOptions {
  /**
   * Environment names (directories under `kubernetes/`) held to production rules (at least 3 replicas).
   * @default - none
   */
  readonly productionEnvs?: readonly string[];
  /** @default - none */
  readonly waivers?: readonly Waiver[];
  /**
   * Images from outside the platform's registry the platform runs on purpose (see join-image-registry).
   * @default platformImages() - with the default operations image
   */
  readonly platformImages?: readonly string[];
}

/** A violation an app's waiver accepts. */
export interface WaivedViolation extends Violation {
  readonly reason: string;
}

export interface OutputReport {
  /** Failures. */
  readonly violations: Violation[];
  /** Violations a waiver accepts: listed, not failures. */
  readonly waived: WaivedViolation[];
}

/**
 * Checks a synthesized output in memory and returns every violation at once: each Kubernetes
 * object against its upstream schema, and each Terraform stack as a JSON object. JSON files other
 * than stacks must parse. Other files are not checked. With `options`, also every rule of
 * {@link RULE_IDS} (lib/validate/rules/); violations an app waives are left out (see {@link checkOutput}).
 */
export function validateOutput(files: readonly OutputFile[], options?: ValidateOutputOptions): Violation[] {
  return checkOutput(files, options).violations;
}

/** {@link validateOutput}, with the violations waivers accept listed apart. Rules run only with `options`. */
export function checkOutput(files: readonly OutputFile[], options?: ValidateOutputOptions): OutputReport {
  const violations: Violation[] = [];
  const objects: K8sObject[] = [];
  const stacks: TfStack[] = [];
  for (const file of files) {
    if (file.path.endsWith('.yaml') || file.path.endsWith('.yml')) violations.push(...checkYaml(file, objects));
    else if (file.path.endsWith('.json')) violations.push(...checkJson(file, stacks));
  }
  const waived: WaivedViolation[] = [];
  if (options === undefined) return { violations, waived };
  const ctx = { files: files.map((f) => f.path), objects, stacks, productionEnvs: options.productionEnvs ?? [], platformImages: options.platformImages ?? platformImages() };
  for (const rule of RULE_IDS) {
    for (const { app, ...v } of RULES[rule](ctx)) {
      const waiver = (options.waivers ?? []).find((w) => w.rule === v.rule && app !== undefined && w.app === app);
      if (waiver) waived.push({ ...v, reason: waiver.reason });
      else violations.push(v);
    }
  }
  return { violations, waived };
}

function toObject(file: string, o: unknown): K8sObject | undefined {
  const m = toManifest(o);
  if (m === undefined) return undefined;
  return { ...m, file, dir: file.slice(0, file.lastIndexOf('/')), name: m.name ?? '?', app: m.labels['app.kubernetes.io/name'] };
}

function checkYaml(file: OutputFile, parsed: K8sObject[]): Violation[] {
  let objects: unknown[];
  try {
    objects = loadAll(file.content).filter((o) => o !== null && o !== undefined);
  } catch (error) {
    return [{ file: file.path, object: '(file)', rule: 'yaml', message: `is not valid YAML: ${firstLine(error)}`, fix: 'correct the YAML' }];
  }
  for (const o of objects) {
    const k = toObject(file.path, o);
    if (k) parsed.push(k);
  }
  return validateObjects(objects).map((issue) => ({
    file: file.path,
    object: issue.object,
    rule: 'schema',
    message: issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`,
    fix: SCHEMA_FIXES[issue.type],
  }));
}

function checkJson(file: OutputFile, stacks: TfStack[]): Violation[] {
  let data: unknown;
  try {
    data = JSON.parse(file.content);
  } catch (error) {
    return [{ file: file.path, object: '(file)', rule: 'json', message: `is not valid JSON: ${firstLine(error)}`, fix: 'correct the JSON' }];
  }
  if (file.path.endsWith('.tf.json') && (data === null || typeof data !== 'object' || Array.isArray(data))) {
    return [{ file: file.path, object: '(file)', rule: 'terraform-json', message: 'is not a JSON object of Terraform blocks', fix: 'make the stack a JSON object' }];
  }
  const m = /^terraform\/([^/]+)\/[^/]*\.tf\.json$/.exec(file.path);
  if (m && isRecord(data)) stacks.push({ file: file.path, stack: m[1], body: data });
  return [];
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}
