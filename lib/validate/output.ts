import { loadAll } from 'js-yaml';
import { OutputFile } from '../engine/output';
import { validateObjects } from './schemas';

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

/**
 * Checks a synthesized output in memory and returns every violation at once: each Kubernetes
 * object against its upstream schema, and each Terraform stack as a JSON object. JSON files other
 * than stacks must parse. Other files are not checked.
 */
export function validateOutput(files: readonly OutputFile[]): Violation[] {
  const violations: Violation[] = [];
  for (const file of files) {
    if (file.path.endsWith('.yaml') || file.path.endsWith('.yml')) violations.push(...checkYaml(file));
    else if (file.path.endsWith('.json')) violations.push(...checkJson(file));
  }
  return violations;
}

function checkYaml(file: OutputFile): Violation[] {
  let objects: unknown[];
  try {
    objects = loadAll(file.content).filter((o) => o !== null && o !== undefined);
  } catch (error) {
    return [{ file: file.path, object: '(file)', rule: 'yaml', message: `is not valid YAML: ${firstLine(error)}`, fix: 'correct the YAML' }];
  }
  return validateObjects(objects).map((issue) => ({
    file: file.path,
    object: issue.object,
    rule: 'schema',
    message: issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`,
    fix: SCHEMA_FIXES[issue.type],
  }));
}

function checkJson(file: OutputFile): Violation[] {
  let data: unknown;
  try {
    data = JSON.parse(file.content);
  } catch (error) {
    return [{ file: file.path, object: '(file)', rule: 'json', message: `is not valid JSON: ${firstLine(error)}`, fix: 'correct the JSON' }];
  }
  if (file.path.endsWith('.tf.json') && (data === null || typeof data !== 'object' || Array.isArray(data))) {
    return [{ file: file.path, object: '(file)', rule: 'terraform-json', message: 'is not a JSON object of Terraform blocks', fix: 'make the stack a JSON object' }];
  }
  return [];
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}
