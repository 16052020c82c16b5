/** What happened to one object between the against-tree and the fresh synth. */
export type ChangeKind = 'added' | 'changed' | 'removed';

/** One changed leaf of a Terraform block, at a flattened path such as `private_cluster_config.enable_private_nodes`. */
export interface AttributeChange {
  readonly path: string;
  /** Absent when the attribute is new. */
  readonly before?: unknown;
  /** Absent when the attribute was removed. */
  readonly after?: unknown;
}

/** One Kubernetes object or one Terraform block that differs. */
export interface ObjectChange {
  /** The output scope: an environment, `argocd` or `terraform`. */
  readonly scope: string;
  /** The report section: the scope, or `terraform/<stack>` for a Terraform stack. */
  readonly group: string;
  /** The file, relative to the output root. */
  readonly path: string;
  readonly plane: 'kubernetes' | 'terraform';
  /** Kubernetes kind, Terraform resource type, `data.<type>`, `output`, `provider`, `terraform`, or `file`. */
  readonly kind: string;
  /** `Kind/name` for an object, the address for a Terraform block. */
  readonly name: string;
  readonly change: ChangeKind;
  /** Unified diff of the object's YAML (or of a file that parses the same), for a changed object. */
  readonly patch?: string;
  /** The changed attributes of a changed Terraform block. */
  readonly attributes?: readonly AttributeChange[];
}

/** The risk rules, each documented in docs/diff.md. */
export type RiskRule =
  | 'forces-replacement'
  | 'deletes-stateful'
  | 'fewer-prod-replicas'
  | 'weaker-disruption-budget'
  | 'widens-access'
  | 'automated-prod-sync'
  | 'image-tag-backwards'
  | 'secret-carries-data'
  | 'exposure-widened'
  | 'deletes-prod-workload'
  | 'new-prod-app'
  | 'protection-off'
  | 'canary-weight-jump';

export type Severity = 'high' | 'medium';

/** Each rule's severity: high when a mistake loses data or exposes the platform, medium when it degrades or needs a second look. */
export const RULE_SEVERITY: Readonly<Record<RiskRule, Severity>> = {
  'forces-replacement': 'high',
  'deletes-stateful': 'high',
  'fewer-prod-replicas': 'medium',
  'weaker-disruption-budget': 'medium',
  'widens-access': 'high',
  'automated-prod-sync': 'medium',
  'image-tag-backwards': 'medium',
  'secret-carries-data': 'high',
  'exposure-widened': 'high',
  'deletes-prod-workload': 'high',
  'new-prod-app': 'medium',
  'protection-off': 'high',
  'canary-weight-jump': 'medium',
};

/** A change a reviewer must look at twice. */
export interface RiskFlag {
  readonly rule: RiskRule;
  readonly severity: Severity;
  /** The app the object belongs to (its `app.kubernetes.io/name` label, or a Terraform `app` label); `platform` when none. */
  readonly app: string;
  /** The environment directory of a Kubernetes object; the stack (`cluster-prod`) of a Terraform block. */
  readonly environment: string;
  readonly group: string;
  readonly path: string;
  /** `Kind/name` or a Terraform address. */
  readonly object: string;
  /** Why, in a few words: `location "europe-west1" → "europe-west4" forces replacement`. */
  readonly reason: string;
}

/** The result of comparing a fresh synth with an output root or a git ref. */
export interface DiffReport {
  /** What the synth was compared with, never an absolute path: a directory as `displayDir` shows it, or a ref. */
  readonly against: string;
  /** The report sections in order: environments in promotion order, `argocd`, then the Terraform stacks. */
  readonly groups: readonly string[];
  readonly changes: readonly ObjectChange[];
  readonly risks: readonly RiskFlag[];
  /**
   * Objects that are the same on both sides, in the unit of `changes`: a Kubernetes object (one file
   * each) or a Terraform block.
   */
  readonly unchangedObjects: number;
  /**
   * Files of the compared scopes that were edited by hand since the tool wrote them: their bytes
   * differ from the sha256 the tree's index recorded. A synth will not overwrite or prune them.
   */
  readonly drift: readonly string[];
}

/** True when the report has anything to show; the CLI then exits 1. */
export function hasChanges(report: DiffReport): boolean {
  return report.changes.length > 0;
}
