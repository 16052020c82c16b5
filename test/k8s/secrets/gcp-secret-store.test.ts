import { Chart, Testing } from 'cdk8s';
import { GcpSecretStore, type GcpSecretStoreProps } from '../../../lib/k8s/secrets/gcp-secret-store';
import { validateObjects } from '../../../lib/validate/schemas';

type Manifest = ReturnType<typeof Testing.synth>[number];

const base: GcpSecretStoreProps = {
  name: 'gcp-secret-manager',
  projectId: 'shop-prod-4821',
  serviceAccountName: 'gcp-secret-manager',
};

function synth(props: Partial<GcpSecretStoreProps> = {}, namespace?: string): Manifest[] {
  const chart = new Chart(Testing.app(), 'test', { namespace });
  new GcpSecretStore(chart, 'Store', { ...base, ...props });
  return Testing.synth(chart);
}

describe('GcpSecretStore', () => {
  test('a namespaced SecretStore for Secret Manager that authenticates as a service account of its namespace through Workload Identity', () => {
    const [store] = synth({}, 'shop-dev');
    expect(store).toEqual({
      apiVersion: 'external-secrets.io/v1',
      kind: 'SecretStore',
      metadata: { name: 'gcp-secret-manager', namespace: 'shop-dev' },
      spec: {
        provider: {
          gcpsm: {
            projectID: 'shop-prod-4821',
            // No namespace: the operator uses the store's own for a SecretStore.
            auth: { workloadIdentity: { serviceAccountRef: { name: 'gcp-secret-manager' } } },
          },
        },
      },
    });
  });

  test('an explicit namespace wins over the chart\'s', () => {
    expect(synth({ namespace: 'shop-stage' }, 'shop')[0].metadata.namespace).toBe('shop-stage');
  });

  test('names the cluster when given, in the Secret Manager project by default', () => {
    const [store] = synth({ cluster: { name: 'prod', location: 'europe-west1' } });
    expect(store.spec.provider.gcpsm.auth.workloadIdentity).toEqual({
      clusterName: 'prod',
      clusterLocation: 'europe-west1',
      clusterProjectID: 'shop-prod-4821',
      serviceAccountRef: { name: 'gcp-secret-manager' },
    });
    const [other] = synth({ cluster: { name: 'prod', location: 'europe-west1', projectId: 'shop-clusters' } });
    expect(other.spec.provider.gcpsm.auth.workloadIdentity.clusterProjectID).toBe('shop-clusters');
  });

  test('is referenced by its name', () => {
    const chart = Testing.chart();
    expect(new GcpSecretStore(chart, 'Store', base).storeName).toBe('gcp-secret-manager');
    expect(GcpSecretStore.fromStoreName('gcp-secret-manager').storeName).toBe('gcp-secret-manager');
  });

  test('passes the upstream schema', () => {
    expect(validateObjects(synth({ cluster: { name: 'prod', location: 'europe-west1' } }, 'shop'))).toEqual([]);
  });

  test('fails if the project ID is not a project ID', () => {
    expect(() => synth({ projectId: 'Shop Prod' })).toThrow(
      'gcp-secret-manager: projectId "Shop Prod" is not a Google Cloud project ID (6 to 30 lower-case letters, digits and \'-\', starting with a letter); fix: use the project ID, not its name or number',
    );
    expect(() => synth({ projectId: '123456789012' })).toThrow('is not a Google Cloud project ID');
  });

  test('fails if the service account is not a Kubernetes name', () => {
    expect(() => synth({ serviceAccountName: '' })).toThrow('serviceAccountName "" is not a Kubernetes name');
  });
});
