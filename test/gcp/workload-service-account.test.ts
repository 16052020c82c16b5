import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { ServiceAccountIamMember } from '@cdktf/provider-google/lib/service-account-iam-member';
import { Testing } from 'cdktf';
import { WorkloadServiceAccount } from '../../lib/gcp/workload-service-account';
import { WorkloadIdentity } from '../../lib/model/workload-identity';
import { resourcesOf, testCluster, testNetwork } from './fixtures';

const identity = new WorkloadIdentity('shop-nonprod', 'inventory-api-dev', { namespace: 'shop-dev', name: 'inventory-api' });
const synth = (id: WorkloadIdentity = identity): string =>
  Testing.synthScope((scope) => {
    new WorkloadServiceAccount(scope, 'Identity', { identity: id, cluster: testCluster(scope, testNetwork(scope)) });
  });

describe('WorkloadServiceAccount', () => {
  const json = synth();

  test('creates the Google service account the identity names', () => {
    expect(json).toHaveResourceWithProperties(ServiceAccount, {
      project: 'shop-nonprod',
      account_id: 'inventory-api-dev',
      display_name: 'Workload shop-dev/inventory-api',
    });
  });

  test('lets exactly its Kubernetes service account act as it, once the cluster\'s pool exists', () => {
    expect(json).toHaveResourceWithProperties(ServiceAccountIamMember, {
      role: 'roles/iam.workloadIdentityUser',
      member: 'serviceAccount:shop-nonprod.svc.id.goog[shop-dev/inventory-api]',
      service_account_id: expect.stringMatching(/^\$\{google_service_account\.[a-z0-9_]+\.name\}$/i),
      depends_on: [expect.stringMatching(/^google_container_cluster\./)],
    });
    expect(Object.keys(resourcesOf(json, 'google_service_account_iam_member'))).toHaveLength(1);
  });

  test('holds no project role until a resource grants one', () => {
    // The one project role in the stack is the cluster's node role.
    const roles = Object.values(resourcesOf(json, 'google_project_iam_member')).map((m) => m.role);
    expect(roles).toEqual(['roles/container.defaultNodeServiceAccount']);
  });

  test('fails when the identity is in another project than the cluster', () => {
    const elsewhere = new WorkloadIdentity('shop-prod', 'inventory-api-prod', { namespace: 'shop-prod', name: 'inventory-api' });
    expect(() => synth(elsewhere)).toThrow(
      /field "identity\.project": value "shop-prod" differs from the project of the cluster's Workload Identity pool \(shop-nonprod\.svc\.id\.goog\)/,
    );
  });
});
