import { at } from '../../manifest/json-access';
import { block, blocks, type Finding, resources, type RuleContext, tfFinding } from './types';

const T = 'google_storage_bucket';

/** The state bucket (every bucket of the bootstrap stack): versioning, 5 to 10 noncurrent versions, no public access, uniform access. */
export function gcpStateBucket(ctx: RuleContext): Finding[] {
  return ctx.stacks.filter((s) => s.stack === 'bootstrap').flatMap((s) =>
    resources(s, T).flatMap(([name, b]) => {
      const f = (message: string, fix: string): Finding => tfFinding(s, T, name, 'gcp-state-bucket', message, fix);
      const out: Finding[] = [];
      if (at(block(b.versioning), 'enabled') !== true) out.push(f('does not enable versioning', 'set versioning.enabled to true'));
      const keep = blocks(b.lifecycle_rule)
        .filter((r) => at(block(r.action), 'type') === 'Delete')
        .map((r) => at(block(r.condition), 'num_newer_versions'))
        .find((n): n is number => typeof n === 'number');
      if (keep === undefined) out.push(f('has no lifecycle rule deleting noncurrent versions', 'add a Delete lifecycle rule with num_newer_versions from 5 to 10 (StateConfig.keepVersions)'));
      else if (keep < 5 || keep > 10) out.push(f(`keeps ${keep} newer versions, not 5 to 10`, 'set StateConfig.keepVersions from 5 to 10'));
      if (b.public_access_prevention !== 'enforced') out.push(f('does not enforce public access prevention', 'set public_access_prevention to "enforced"'));
      if (b.uniform_bucket_level_access !== true) out.push(f('does not use uniform bucket-level access', 'set uniform_bucket_level_access to true'));
      return out;
    }),
  );
}
