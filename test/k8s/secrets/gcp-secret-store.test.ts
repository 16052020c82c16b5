import { Chart, Testing } from 'cdk8s';
import { GcpSecretStore, type GcpSecretStoreProps } from '../../../lib/k8s/secrets/gcp-secret-store';
import { validateObjects } from '../../../lib/validate/schemas';

type Manifest = ReturnType<typeof Testing.synth>[number];

const base: GcpSecretStoreProps = {
  name: 'gcp-secret-manager',
  projectId: 'shop-prod-4821',
  serviceAccount: { namespace: 'external-secrets', name: 'external-secrets' },
};

function synth(props: Partial<GcpSecretStoreProps> = {}, namespace?: string): Manifest[] {
  const chart = new Chart(Testing.app(), 'test', { namespace });
  new GcpSecretStore(chart, 'Store', { ...base, ...props });
  return Testing.synth(chart);
}

describe('GcpSecretStore', () => {
  test('a ClusterSecretStore for Secret Manager that authenticates as the operator through Workload Identity', () => {
    const [store] = synth();
    expect(store).toEqual({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: 'gcp-secret-manager' },
      spec: {
        provider: {
          gcpsm: {
            projectID: 'shop-prod-4821',
            auth: { workloadIdentity: { serviceAccountRef: { name: 'external-secrets', namespace: 'external-secrets' } } },
          },
        },
      },
    });
  });

  test('stays cluster-scoped in a namespaced chart', () => {
    expect(synth({}, 'shop')[0].metadata.namespace).toBeUndefined();
  });

  test('names the cluster when given, in the Secret Manager project by default', () => {
    const [store] = synth({ cluster: { name: 'prod', location: 'europe-west1' } });
    expect(store.spec.provider.gcpsm.auth.workloadIdentity).toEqual({
      clusterName: 'prod',
      clusterLocation: 'europe-west1',
      clusterProjectID: 'shop-prod-4821',
      serviceAccountRef: { name: 'external-secrets', namespace: 'external-secrets' },
    });
    const [other] = synth({ cluster: { name: 'prod', location: 'europe-west1', projectId: 'shop-clusters' } });
    expect(other.spec.provider.gcpsm.auth.workloadIdentity.clusterProjectID).toBe('shop-clusters');
  });

  test('limits the store to the given namespaces', () => {
    expect(synth({ namespaces: ['shop', 'shop-canary'] })[0].spec.conditions).toEqual([{ namespaces: ['shop', 'shop-canary'] }]);
  });

  test('is referenced by its name', () => {
    const chart = Testing.chart();
    expect(new GcpSecretStore(chart, 'Store', base).storeName).toBe('gcp-secret-manager');
    expect(GcpSecretStore.fromStoreName('gcp-secret-manager').storeName).toBe('gcp-secret-manager');
  });

  test('passes the upstream schema', () => {
    expect(validateObjects(synth({ cluster: { name: 'prod', location: 'europe-west1' }, namespaces: ['shop'] }, 'shop'))).toEqual([]);
  });

  test('fails if the project ID is not a project ID', () => {
    expect(() => synth({ projectId: 'Shop Prod' })).toThrow(
      'gcp-secret-manager: projectId "Shop Prod" is not a Google Cloud project ID (6 to 30 lower-case letters, digits and \'-\', starting with a letter); fix: use the project ID, not its name or number',
    );
    expect(() => synth({ projectId: '123456789012' })).toThrow('is not a Google Cloud project ID');
  });

  test('fails if the operator service account is not a Kubernetes name', () => {
    expect(() => synth({ serviceAccount: { namespace: 'external-secrets', name: '' } })).toThrow('serviceAccount.name "" is not a Kubernetes name');
  });

  test('fails if the namespace list is empty', () => {
    expect(() => synth({ namespaces: [] })).toThrow('namespaces is empty');
  });
});
