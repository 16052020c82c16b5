import { type TerraformElement, TerraformStack } from 'cdktf';
import { type Construct, Node } from 'constructs';

/** Construct ids that only wrap a resource and add nothing to its address. */
const TRANSPARENT_IDS = new Set(['Resource', 'Default']);

/**
 * A stack whose resource addresses read like hand-written Terraform: the construct path below the
 * stack in snake_case (`google_container_cluster.cluster`, `google_sql_database_instance.inventory_api`)
 * instead of cdktf's default `Path_Parts_1A2B3C4D` hashes. Addresses are what `tofu plan` and
 * reviewers see, and a rename replaces the resource, so they are part of the contract.
 */
export abstract class PlatformStack extends TerraformStack {
  private readonly logicalIds = new Map<string, string>();

  constructor(scope: Construct, id: string) {
    super(scope, id);
  }

  protected override allocateLogicalId(element: TerraformElement | Node): string {
    const node = element instanceof Node ? element : element.node;
    const index = node.scopes.indexOf(this);
    const parts = node.scopes
      .slice(index + 1)
      .map((scope) => scope.node.id)
      .filter((id) => !TRANSPARENT_IDS.has(id))
      .map(snakeCase);
    const id = parts.join('_');
    // Terraform keeps resources, data sources, outputs and the like in separate namespaces.
    const block = element instanceof Node ? 'node' : blockOf(element);
    const key = `${block} ${id}`;
    const owner = this.logicalIds.get(key);
    if (owner !== undefined && owner !== node.path) {
      throw new Error(`stack "${this.node.id}": "${node.path}" and "${owner}" would share the Terraform address "${id}"; fix: rename one construct`);
    }
    this.logicalIds.set(key, node.path);
    return id;
  }
}

function blockOf(element: TerraformElement): string {
  const typed = element as TerraformElement & { terraformResourceType?: string };
  return typed.terraformResourceType ?? element.constructor.name;
}

function snakeCase(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}
