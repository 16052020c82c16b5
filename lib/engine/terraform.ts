import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AnnotationMetadataEntryType, type TerraformStack } from 'cdktf';
import { invokeAspects } from 'cdktf/lib/synthesize/synthesizer';
import { type IConstruct } from 'constructs';
import { stableJson } from './stable-json';

/**
 * cdktf records a full stack trace (with no depth limit) for every token it creates, only to show
 * it when that token later fails to resolve; that costs about a quarter of a stack's synthesis.
 * aws-cdk offers CDK_DISABLE_STACK_TRACE for the same reason; cdktf has no switch, so the capture
 * is replaced by one that records nothing. A token that fails to resolve still fails, without the
 * stack of its creation.
 */
function disableTokenStackTraces(): void {
  const module = require('cdktf/lib/tokens/private/stack-trace') as { captureStackTrace: () => string[] };
  module.captureStackTrace = () => [];
}
disableTokenStackTraces();

/**
 * Runs `build` with a private, empty directory for cdktf Apps. An App creates its output directory
 * and `stacks/` in it when constructed (`cdktf.out/` of the current directory by default), although
 * an in-memory synth never writes there: the tool would leave a directory wherever it runs. The
 * directory is removed as soon as `build` returns; synthStack does not need it.
 */
export function withScratchOutdir<T>(build: (outdir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-cdktf-'));
  try {
    return build(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Synthesizes one cdktf stack in memory into plain Terraform JSON: aspects and validations run as
 * in `cdktf synth`, error annotations fail the run, and cdktf's `//` metadata is dropped so the
 * JSON holds only `terraform`, `provider`, `resource`, `data`, `locals` and `output` blocks.
 */
export function synthStack(stack: TerraformStack): string {
  invokeAspects(stack);
  stack.runAllValidations();
  const errors = stack.node
    .findAll()
    .flatMap((node: IConstruct) =>
      node.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.ERROR).map((m) => `[${node.node.path}] ${String(m.data)}`),
    );
  if (errors.length > 0) {
    throw new Error(`stack "${stack.node.id}" has errors: ${errors.join('; ')}`);
  }
  return stableJson(withoutMetadata(stack.toTerraform()));
}

function withoutMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMetadata);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      if (key !== '//') out[key] = withoutMetadata(child);
    }
    return out;
  }
  return value;
}
