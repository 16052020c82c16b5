import { ProjectService } from '@cdktf/provider-google/lib/project-service';
import { TerraformResource, type TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { GCP_RESOURCE_NEEDS } from '../model/gcp-services';

/** A Google resource of a stack and the project it is created in. */
export interface StackResource {
  readonly resource: TerraformResource;
  readonly type: string;
  readonly project: string;
}

/**
 * Every Google resource the stack declares, with its project: its own `project` argument when it
 * is a plain string, else the stack's provider project.
 */
export function stackResources(stack: TerraformStack, defaultProject: string): StackResource[] {
  return stack.node.findAll()
    .filter((c): c is TerraformResource => c instanceof TerraformResource && c.terraformResourceType.startsWith('google_'))
    .map((resource) => {
      const config: unknown = Object.values(Object.values((resource.toTerraform() as { resource: Record<string, Record<string, unknown>> }).resource)[0])[0];
      const own = (config as { project?: unknown } | undefined)?.project;
      const project = typeof own === 'string' && !own.includes('${') ? own : defaultProject;
      return { resource, type: resource.terraformResourceType, project };
    });
}

/**
 * Enables, in the stack's own projects, the APIs of the resource types the stack declares there
 * ({@link GCP_RESOURCE_NEEDS}), and makes each resource wait for its APIs: a fresh project then needs
 * no API enabled by hand. `disable_on_destroy` is false, so destroying a stack never turns off an API
 * another stack or person still uses.
 * @see https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/google_project_service
 */
export function enableProjectApis(stack: TerraformStack, defaultProject: string, ownProjects: readonly string[] = [defaultProject]): ProjectService[] {
  const resources = stackResources(stack, defaultProject);
  const scope = new Construct(stack, 'Apis');
  const services = new Map<string, ProjectService>();
  // A resource in another project (the registry's pull grant) relies on that project's own stack.
  for (const { resource, type, project } of resources.filter((r) => ownProjects.includes(r.project))) {
    const needs = GCP_RESOURCE_NEEDS[type];
    if (needs === undefined) {
      throw new Error(`stack "${stack.node.id}": resource type ${type} has no entry in GCP_RESOURCE_NEEDS; fix: add its APIs and role to lib/model/gcp-services.ts`);
    }
    const own = needs.apis.map((api) => {
      const key = `${project}/${api}`;
      let service = services.get(key);
      if (service === undefined) {
        service = new ProjectService(scope, `${project}-${api.replace(/\.googleapis\.com$/, '')}`, { project, service: api, disableOnDestroy: false });
        services.set(key, service);
      }
      return service;
    });
    resource.dependsOn = [...new Set([...(resource.dependsOn ?? []), ...own.map((s) => s.fqn)])];
  }
  return [...services.values()];
}
