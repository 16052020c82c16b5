import { type OutputFile } from '../lib/engine/output';
import { checkOutput, type Violation, type WaivedViolation } from '../lib/validate/output';
import { platformRules } from '../lib/validate/platform-rules';
import { type Platform } from '../lib/model/platform';
import { UsageError } from './errors';
import { OutputRoot } from '../lib/engine/output-root';
import { synthPlatform } from '../lib/pipeline/synth';

/** Options of {@link runValidate}. */
export interface ValidateOptions {
  /**
   * An output root or GitOps checkout to validate as it is on disk.
   * @default - a fresh synth of `platform`, in memory
   */
  readonly dir?: string;
  readonly platform: Platform;
}

export interface ValidateResult {
  readonly lines: readonly string[];
  readonly violations: readonly Violation[];
  /** Violations an app's waiver accepts: listed, not failures. */
  readonly waived: readonly WaivedViolation[];
  /** 0 when valid, 1 with violations. */
  readonly exitCode: number;
}


/** Validates a synthesized output and reports every violation at once, one line each. */
export function runValidate(options: ValidateOptions): ValidateResult {
  const files = options.dir === undefined ? synthPlatform(options.platform).files : readOutputRoot(options.dir);
  const { violations, waived } = checkOutput(files, platformRules(options.platform));
  const lines = violations.map((v) => `${v.file}: ${v.object}: [${v.rule}] ${v.message}; fix: ${v.fix}`);
  lines.push(...waived.map((v) => `waived: ${v.file}: ${v.object}: [${v.rule}] ${v.message}; reason: ${v.reason}`));
  const where = options.dir ?? 'a fresh synth';
  const waivedNote = waived.length === 0 ? '' : `, ${waived.length} waived`;
  lines.push(`${violations.length === 0 ? 'valid' : 'invalid'}: ${files.length} file(s) of ${where}, ${violations.length} violation(s)${waivedNote}`);
  return { lines, violations, waived, exitCode: violations.length === 0 ? 0 : 1 };
}

/**
 * The Kubernetes and Terraform files of an output root, as the writer would have written them,
 * read through the writer's jail: no link is followed and `.git` is never read.
 */
export function readOutputRoot(dir: string): OutputFile[] {
  const root = new OutputRoot(dir);
  if (!root.exists()) {
    throw new UsageError(`--dir ${dir} is not a directory; fix: run npm run synth first, or pass the output root or GitOps checkout`);
  }
  const files: OutputFile[] = [];
  const walk = (rel: string): void => {
    for (const entry of root.list(rel).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const child = `${rel}/${entry.name}`;
      if (entry.isSymbolicLink()) throw root.linkRefused(child);
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile() && /\.(ya?ml|tf\.json)$/.test(entry.name)) files.push({ path: child, content: root.readFile(child), scope: '' });
    }
  };
  for (const top of ['kubernetes', 'terraform']) {
    if (root.state(top).kind === 'other' && !root.isDir(top)) throw root.linkRefused(top);
    if (root.isDir(top)) walk(top);
  }
  if (files.length === 0) {
    throw new UsageError(`--dir ${dir} holds no kubernetes/ or terraform/ output; fix: run npm run synth -- --out ${dir} first`);
  }
  return files;
}
