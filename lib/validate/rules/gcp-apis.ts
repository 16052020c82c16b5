import { asString } from '../../manifest/json-access';
import { GCP_RESOURCE_NEEDS } from '../../model/gcp-services';
import { type Finding, providerProject, resources, type TfStack, tfFinding, type RuleContext } from './types';

const RULE = 'gcp-apis';

/**
 * A fresh project needs no API enabled by hand: every stack enables (google_project_service, with
 * disable_on_destroy false) the APIs of each resource type it declares in its provider's project,
 * as the typed table lib/model/gcp-services.ts lists them; a type missing from the table is a finding.
 * @see https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/google_project_service
 */
export function gcpApis(ctx: RuleContext): Finding[] {
  return ctx.stacks.flatMap(checkStack);
}

function checkStack(stack: TfStack): Finding[] {
  const home = providerProject(stack);
  const resourceBlock = stack.body.resource;
  if (home === undefined || typeof resourceBlock !== 'object' || resourceBlock === null) return [];
  const enabled = new Set<string>();
  const out: Finding[] = [];
  for (const [name, body] of resources(stack, 'google_project_service')) {
    const service = asString(body.service);
    if (body.disable_on_destroy !== false) {
      out.push(tfFinding(stack, 'google_project_service', name, RULE, `enables ${service ?? '?'} with disable_on_destroy not false, so destroying this stack would turn the API off under every other user`,
        'set disable_on_destroy = false'));
    }
    if (service) enabled.add(`${asString(body.project) ?? home}/${service}`);
  }
  // Service Usage itself, which enables the others, is on in every new project.
  for (const type of Object.keys(resourceBlock).filter((t) => t.startsWith('google_') && t !== 'google_project_service').sort()) {
    for (const [name, body] of resources(stack, type)) {
      const project: string = asString(body.project) ?? home;
      if (project !== home) continue;
      const needs = GCP_RESOURCE_NEEDS[type];
      if (needs === undefined) {
        out.push(tfFinding(stack, type, name, RULE, `is of a type with no entry in the table of APIs and roles, so neither its API nor CI's role is known`,
          'add the type to GCP_RESOURCE_NEEDS in lib/model/gcp-services.ts'));
        continue;
      }
      const missing = needs.apis.filter((api) => !enabled.has(`${project}/${api}`));
      if (missing.length > 0) {
        out.push(tfFinding(stack, type, name, RULE, `needs ${missing.join(', ')} in project "${project}", which the stack does not enable`,
          'enable it in the stack (enableProjectApis, lib/gcp/project-apis.ts)'));
      }
    }
  }
  return out;
}
