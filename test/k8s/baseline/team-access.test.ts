import { Testing } from 'cdk8s';
import { AccessLevel, TeamAccess } from '../../../lib/k8s/baseline/team-access';

interface Rule {
  verbs: string[];
  resources: string[];
}

function synth(access: AccessLevel) {
  const chart = Testing.chart();
  new TeamAccess(chart, 'T', { team: 'inventory', group: 'inventory@example.com', access });
  return Testing.synth(chart);
}

describe('TeamAccess', () => {
  test('binds a team Role to the team group', () => {
    const binding = synth(AccessLevel.VIEW).find((o) => o.kind === 'RoleBinding');
    expect(binding.metadata.name).toBe('team-inventory');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'team-inventory' });
    expect(binding.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'inventory@example.com' }]);
  });

  test('view only reads; edit also changes workloads; neither reads Secrets', () => {
    const verbs = (access: AccessLevel) => {
      const role = synth(access).find((o) => o.kind === 'Role');
      const rules = role.rules as Rule[];
      expect(rules.flatMap((r) => r.resources)).not.toContain('secrets');
      return new Set(rules.flatMap((r) => r.verbs));
    };
    expect([...verbs(AccessLevel.VIEW)].sort()).toEqual(['get', 'list', 'watch']);
    expect([...verbs(AccessLevel.EDIT)].sort()).toEqual(['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']);
  });
});
