import { asArray, isRecord } from '../../manifest/json-access';
import { type Finding, resources, type RuleContext, tfFinding } from './types';

const T = 'google_artifact_registry_repository';

/** Every Artifact Registry repository has cleanup policies that delete and keep. */
export function gcpRegistryCleanup(ctx: RuleContext): Finding[] {
  return ctx.stacks.flatMap((s) =>
    resources(s, T).flatMap(([name, r]) => {
      const actions = asArray(r.cleanup_policies).filter(isRecord).map((p) => p.action);
      if (r.cleanup_policy_dry_run === true) {
        return [tfFinding(s, T, name, 'gcp-registry-cleanup', 'runs its cleanup policies as a dry run', 'set cleanup_policy_dry_run to false')];
      }
      return (['DELETE', 'KEEP'] as const)
        .filter((a) => !actions.includes(a))
        .map((a) => tfFinding(s, T, name, 'gcp-registry-cleanup', `has no ${a} cleanup policy`, 'give the repository a DELETE policy for old images and a KEEP policy for recent releases'));
    }),
  );
}
