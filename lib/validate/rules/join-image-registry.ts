import { asString } from '../../manifest/json-access';
import { cname, containers, finding, type Finding, providerProject, resources, type RuleContext } from './types';

/**
 * Every image comes from an Artifact Registry Docker repository the output's Terraform creates, or is
 * exactly one of the platform's own images from elsewhere (`ctx.platformImages`: the Cloud SQL Auth
 * Proxy, the operations image). Skipped without stacks.
 */
export function joinImageRegistry(ctx: RuleContext): Finding[] {
  if (ctx.stacks.length === 0) return [];
  const prefixes = ctx.stacks.flatMap((s) =>
    resources(s, 'google_artifact_registry_repository')
      .filter(([, r]) => r.format === undefined || r.format === 'DOCKER')
      .map(([, r]) => `${asString(r.location)}-docker.pkg.dev/${asString(r.project) ?? providerProject(s)}/${asString(r.repository_id)}/`),
  );
  const fix = prefixes.length > 0 ? `use an image under ${prefixes[0]}` : 'create the Artifact Registry repository in the bootstrap stack';
  return ctx.objects.flatMap((o) =>
    containers(o)
      .filter((c) => !ctx.platformImages.includes(asString(c.body.image) ?? '') && !prefixes.some((p) => (asString(c.body.image) ?? '').startsWith(p)))
      .map((c) => finding(o, 'join-image-registry', `${cname(c)} image "${asString(c.body.image) ?? ''}" is not from the platform's Artifact Registry repository`, fix)),
  );
}
