import type { AttributeChange, ChangeKind } from './report';
import { isRecord } from '../manifest/json-access';
import { deepEqual, flatten } from './json-value';

/** One addressable block of a Terraform JSON file. */
export interface TerraformBlock {
  /** `google_container_cluster.cluster`, `data.google_project.this`, `output.network`, `terraform`. */
  readonly address: string;
  /** The resource type, `data.<type>`, or the block keyword (`output`, `provider`, `terraform`). */
  readonly kind: string;
  /** The managed resource type; undefined for data sources and other blocks. */
  readonly resourceType?: string;
  readonly body: unknown;
}

/** A block that differs between two versions of a stack. */
export interface TerraformBlockChange {
  readonly block: TerraformBlock;
  readonly change: ChangeKind;
  readonly before?: unknown;
  readonly after?: unknown;
  /** For a changed block: its changed leaves. */
  readonly attributes: readonly AttributeChange[];
}

// Blocks addressed by type and name; every other keyword with named children is addressed by name.
const TYPED = new Set(['resource', 'data']);
// Blocks that are one unit: their children are settings, not named blocks.
const SINGLE = new Set(['terraform', 'locals']);

/** Every block of a parsed `main.tf.json`, by address. */
export function terraformBlocks(json: unknown): Map<string, TerraformBlock> {
  const out = new Map<string, TerraformBlock>();
  if (!isRecord(json)) return out;
  for (const [keyword, section] of Object.entries(json)) {
    if (TYPED.has(keyword) && isRecord(section)) {
      for (const [type, named] of Object.entries(section)) {
        if (!isRecord(named)) continue;
        const prefix = keyword === 'data' ? `data.${type}` : type;
        for (const [name, body] of Object.entries(named)) {
          const resourceType = keyword === 'resource' ? type : undefined;
          out.set(`${prefix}.${name}`, { address: `${prefix}.${name}`, kind: prefix, resourceType, body });
        }
      }
    } else if (!SINGLE.has(keyword) && isRecord(section)) {
      for (const [name, body] of Object.entries(section)) out.set(`${keyword}.${name}`, { address: `${keyword}.${name}`, kind: keyword, body });
    } else {
      out.set(keyword, { address: keyword, kind: keyword, body: section });
    }
  }
  return out;
}

/**
 * The changed leaves between two bodies, by flattened path, grouped by top-level attribute in the
 * order of the newer body; within an attribute, removed leaves first.
 */
export function attributeChanges(before: unknown, after: unknown): AttributeChange[] {
  const old = flatten(before);
  const now = flatten(after);
  const out: AttributeChange[] = [];
  for (const [path, value] of now) {
    if (!old.has(path)) out.push({ path, after: value });
    else if (!deepEqual(old.get(path), value)) out.push({ path, before: old.get(path), after: value });
  }
  for (const [path, value] of old) if (!now.has(path)) out.push({ path, before: value });
  // Old before new: within one top-level attribute, the leaves that went away come before those that
  // came or changed, so `settings = {}` reads before `settings.tier = "x"` that replaces it.
  const tops = [...new Set(out.map((a) => topAttribute(a.path)))];
  return tops.flatMap((top) => {
    const mine = out.filter((a) => topAttribute(a.path) === top);
    return [...mine.filter((a) => !('after' in a)), ...mine.filter((a) => 'after' in a)];
  });
}

/** The top-level attribute of a flattened path: `settings` of `settings[0].tier`. */
export function topAttribute(path: string): string {
  return path.split(/[.[]/)[0];
}

/** How many blocks of `after` are the same in `before`: the unchanged objects of a stack. */
export function unchangedBlocks(before: unknown, after: unknown): number {
  const old = terraformBlocks(before);
  return [...terraformBlocks(after)].filter(([address, block]) => old.has(address) && deepEqual(old.get(address)?.body, block.body)).length;
}

/**
 * Compares two versions of a stack block by block. A missing side is an empty stack, so a new
 * stack lists every block as added and a removed stack every block as removed.
 */
export function diffTerraform(before: unknown, after: unknown): TerraformBlockChange[] {
  const old = terraformBlocks(before);
  const now = terraformBlocks(after);
  const out: TerraformBlockChange[] = [];
  for (const [address, block] of now) {
    const previous = old.get(address);
    if (previous === undefined) out.push({ block, change: 'added', after: block.body, attributes: [] });
    else if (!deepEqual(previous.body, block.body)) {
      out.push({ block, change: 'changed', before: previous.body, after: block.body, attributes: attributeChanges(previous.body, block.body) });
    }
  }
  for (const [address, block] of old) {
    if (!now.has(address)) out.push({ block, change: 'removed', before: block.body, attributes: [] });
  }
  return out;
}
