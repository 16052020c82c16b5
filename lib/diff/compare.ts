import { sha256 } from '../engine/hash';
import type { OutputFile } from '../engine/output';
import { DEFAULT_STEP_WEIGHTS } from '../model/delivery';
import { SHARED_SCOPES } from '../model/output-layout';
import { compareCodePoints } from '../engine/stable-json';
import { objectIdentity, parseManifest, textPatch } from './kubernetes-diff';
import { clusterDirs, environmentDirs, layoutRoots, scopeOf, stackOf } from './layout-scope';
import type { DiffReport, ObjectChange } from './report';
import { type KubernetesPair, riskFlags, type TerraformPair } from './risk-flags';
import { diffTerraform, terraformBlocks, unchangedBlocks } from './terraform-diff';
import type { TreeSource } from './tree-source';

/** A synth held in memory: its files and the scopes they cover. */
export interface SynthesizedOutput {
  readonly files: readonly OutputFile[];
  readonly scopes: readonly string[];
}

export interface DiffOptions {
  /** Every environment of the platform, in promotion order: it orders the report. */
  readonly environments: readonly string[];
  /** The environments the production-only risk rules watch (replicas, disruption budgets, sync). */
  readonly production: readonly string[];
  /**
   * The canary weights the platform moves through, ascending (`canaryPolicy(platform).steps`).
   * @default DEFAULT_STEP_WEIGHTS
   */
  readonly canarySteps?: readonly number[];
}

/** Both sides of one differing file; a missing side is an added or removed file. */
interface FilePair {
  readonly path: string;
  readonly scope: string;
  readonly before?: string;
  readonly after?: string;
}

/**
 * Compares a synthesized output with a tree. Only files in the output's scopes are compared:
 * files of other environments, other teams' directories and the manifest index are left out. A
 * file is parsed only when its bytes differ.
 */
export function diffOutput(output: SynthesizedOutput, against: TreeSource, options: DiffOptions): DiffReport {
  const selected = new Set(output.scopes);
  const wanted = new Map(output.files.map((f) => [f.path, f]));
  const listed = against.list(layoutRoots());
  const owners = new Set([...options.environments, ...environmentDirs(listed)]);
  const clusters = clusterDirs(listed);
  // The against-tree's files in the compared scopes, with their scope.
  const previous = new Map<string, string>();
  for (const p of listed) {
    const scope = wanted.get(p)?.scope ?? scopeOf(p, owners, clusters);
    if (scope !== undefined && selected.has(scope)) previous.set(p, scope);
  }

  const pending: { path: string; scope: string; after?: string }[] = [];
  // Counted in objects, as changes are: a manifest holds one, a stack one per block.
  let unchangedObjects = 0;
  for (const file of output.files) {
    if (previous.has(file.path) && against.holds(file.path, file.content)) unchangedObjects += objectsIn(file);
    else pending.push({ path: file.path, scope: file.scope, after: file.content });
  }
  for (const [p, scope] of previous) if (!wanted.has(p)) pending.push({ path: p, scope });
  const old = against.read(pending.filter((f) => previous.has(f.path)).map((f) => f.path));
  const pairs: FilePair[] = pending.map((f) => ({ ...f, before: old.get(f.path) }));
  // Drift matters where the synth would change or prune a file: elsewhere nothing touches it.
  const indexed = against.indexed();
  const drift = pairs
    .filter((p) => p.before !== undefined && indexed.has(p.path) && indexed.get(p.path)?.sha256 !== sha256(p.before))
    .map((p) => p.path)
    .sort(compareCodePoints);

  const kubernetes: KubernetesPair[] = [];
  const terraform: TerraformPair[] = [];
  for (const pair of pairs) {
    if (stackOf(pair.path) !== undefined) {
      const stack = compareStack(pair);
      terraform.push(...stack.pairs);
      unchangedObjects += stack.unchanged;
    } else kubernetes.push(compareManifest(pair));
  }
  const changes: ObjectChange[] = [...kubernetes.map((p) => p.change), ...terraform.map((p) => p.change)];

  const groups = [
    ...options.environments.filter((e) => selected.has(e)),
    ...[...selected].filter((s) => s !== SHARED_SCOPES.terraform && !options.environments.includes(s)),
    ...[...new Set([...output.files.map((f) => f.path), ...previous.keys()].filter((p) => stackOf(p) !== undefined).map(groupOf))].sort(
      compareCodePoints,
    ),
  ];
  const rank = new Map(groups.map((g, i) => [g, i]));
  changes.sort(
    (a, b) =>
      (rank.get(a.group) ?? groups.length) - (rank.get(b.group) ?? groups.length) ||
      compareCodePoints(a.path, b.path) ||
      compareCodePoints(a.name, b.name),
  );
  const risks = riskFlags(kubernetes, terraform, { production: new Set(options.production), canarySteps: options.canarySteps ?? DEFAULT_STEP_WEIGHTS });
  risks.sort((a, b) => (rank.get(a.group) ?? groups.length) - (rank.get(b.group) ?? groups.length) || compareCodePoints(a.path, b.path));
  return { against: against.label, groups, changes, risks, unchangedObjects, drift };
}

/** The report section of a file: its scope, or the stack directory for Terraform. */
function groupOf(p: string): string {
  return p.slice(0, p.lastIndexOf('/'));
}

function kindOfChange(pair: FilePair): ObjectChange['change'] {
  return pair.before === undefined ? 'added' : pair.after === undefined ? 'removed' : 'changed';
}

function compareManifest(pair: FilePair): KubernetesPair {
  const before = pair.before === undefined ? undefined : parseManifest(pair.before);
  const after = pair.after === undefined ? undefined : parseManifest(pair.after);
  const change = kindOfChange(pair);
  const { kind, name } = objectIdentity(pair.path, after ?? before);
  const patch = change === 'changed' ? textPatch(pair.path, pair.before ?? '', pair.after ?? '') : undefined;
  return { change: { scope: pair.scope, group: pair.scope, path: pair.path, plane: 'kubernetes', kind, name, change, patch }, before, after };
}

/** The objects of an unchanged file: one manifest, or the blocks of a stack (one when it cannot be read). */
function objectsIn(file: OutputFile): number {
  if (stackOf(file.path) === undefined) return 1;
  const parsed = parseJson(file.content);
  return parsed.ok ? Math.max(1, terraformBlocks(parsed.value).size) : 1;
}

/** The differing blocks of a stack file, and how many of its blocks stay the same. */
function compareStack(pair: FilePair): { pairs: TerraformPair[]; unchanged: number } {
  const before = parseJson(pair.before);
  const after = parseJson(pair.after);
  const blocks = before.ok && after.ok ? terraformPairs(pair, before.value, after.value) : [];
  if (blocks.length > 0) return { pairs: blocks, unchanged: before.ok && after.ok ? unchangedBlocks(before.value, after.value) : 0 };
  // Unreadable JSON, or bytes that differ with the same blocks: show the file itself.
  const change = kindOfChange(pair);
  const patch = change === 'changed' ? textPatch(pair.path, pair.before ?? '', pair.after ?? '') : undefined;
  const file: TerraformPair = { change: { scope: pair.scope, group: groupOf(pair.path), path: pair.path, plane: 'terraform', kind: 'file', name: pair.path, change, patch } };
  return { pairs: [file], unchanged: 0 };
}

/**
 * The differing blocks of two parsed versions of a stack file, as the risk rules read them; empty
 * when every block is the same. A missing side is an empty stack.
 */
export function terraformPairs(file: { readonly path: string; readonly scope: string }, before: unknown, after: unknown): TerraformPair[] {
  const base = { scope: file.scope, group: groupOf(file.path), path: file.path, plane: 'terraform' } as const;
  return diffTerraform(before, after).map((b) => ({
    change: {
      ...base,
      kind: b.block.kind,
      name: b.block.address,
      change: b.change,
      attributes: b.change === 'changed' ? b.attributes : undefined,
    },
    resourceType: b.block.resourceType,
    before: b.before,
    after: b.after,
  }));
}

type Parsed = { readonly ok: true; readonly value: unknown } | { readonly ok: false };

function parseJson(text: string | undefined): Parsed {
  if (text === undefined) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}
