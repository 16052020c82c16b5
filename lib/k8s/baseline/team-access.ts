import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

/** What a team may do in a namespace. */
export enum AccessLevel {
  /** Read workloads, config, events and logs. */
  VIEW = 'view',
  /** VIEW, plus change workloads and config, and exec into pods. */
  EDIT = 'edit',
}

/** Props of {@link TeamAccess}. */
export interface TeamAccessProps {
  /** The team's name: the Role and RoleBinding are `team-<name>`. */
  readonly team: string;
  /** The Google group (or other identity-provider group) the team's people are in. */
  readonly group: string;
  readonly access: AccessLevel;
}

const READABLE = [
  kplus.ApiResource.PODS,
  kplus.ApiResource.custom({ apiGroup: '', resourceType: 'pods/log' }),
  kplus.ApiResource.SERVICES,
  kplus.ApiResource.CONFIG_MAPS,
  kplus.ApiResource.EVENTS,
  kplus.ApiResource.DEPLOYMENTS,
  kplus.ApiResource.REPLICA_SETS,
  kplus.ApiResource.HORIZONTAL_POD_AUTOSCALERS,
  kplus.ApiResource.POD_DISRUPTION_BUDGETS,
  kplus.ApiResource.INGRESSES,
  kplus.ApiResource.JOBS,
];
const EDITABLE = [
  kplus.ApiResource.DEPLOYMENTS,
  kplus.ApiResource.CONFIG_MAPS,
  kplus.ApiResource.PODS,
  kplus.ApiResource.JOBS,
  kplus.ApiResource.custom({ apiGroup: '', resourceType: 'pods/exec' }),
];

/** A team's Role in a namespace and the RoleBinding that gives it to the team's group. Secrets are never readable. */
export class TeamAccess extends Construct {
  public readonly role: kplus.Role;

  constructor(scope: Construct, id: string, props: TeamAccessProps) {
    super(scope, id);
    const name = `team-${props.team}`;
    this.role = new kplus.Role(this, 'Role', { metadata: { name } });
    this.role.allow(['get', 'list', 'watch'], ...READABLE);
    if (props.access === AccessLevel.EDIT) {
      this.role.allow(['create', 'update', 'patch', 'delete'], ...EDITABLE);
    }
    const binding = new kplus.RoleBinding(this, 'Binding', { metadata: { name }, role: this.role });
    binding.addSubjects(kplus.Group.fromName(this, 'Group', props.group));
  }
}
