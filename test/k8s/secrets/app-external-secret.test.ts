import { Chart, Duration, Testing } from 'cdk8s';
import { AppExternalSecret, type AppExternalSecretProps, type SecretReference } from '../../../lib/k8s/secrets/app-external-secret';
import { GcpSecretStore } from '../../../lib/k8s/secrets/gcp-secret-store';
import { validateObjects } from '../../../lib/validate/schemas';

type Manifest = ReturnType<typeof Testing.synth>[number];

const labels = { app: 'inventory-api', instance: 'inventory-api', partOf: 'shop', version: 'v1.4.2' };
const secrets: SecretReference[] = [
  { envName: 'DATABASE_PASSWORD', remoteKey: 'inventory-api-db-password' },
  { envName: 'STRIPE_API_KEY', remoteKey: 'stripe-api-key', version: '3' },
];

function synth(props: Partial<AppExternalSecretProps> = {}): Manifest[] {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  new AppExternalSecret(chart, 'Secrets', {
    name: 'inventory-api',
    labels,
    store: GcpSecretStore.fromStoreName('gcp-secret-manager'),
    targetSecretName: 'inventory-api-secrets',
    secrets,
    ...props,
  });
  return Testing.synth(chart);
}

describe('AppExternalSecret', () => {
  test('an ExternalSecret from the namespace\'s SecretStore into the target Secret, one key per reference', () => {
    const [es] = synth();
    expect(es).toMatchObject({ apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'inventory-api', namespace: 'shop' } });
    expect(es.metadata.labels).toMatchObject({ 'app.kubernetes.io/instance': 'inventory-api' });
    expect(es.spec).toEqual({
      refreshInterval: '1h',
      secretStoreRef: { kind: 'SecretStore', name: 'gcp-secret-manager' },
      target: { name: 'inventory-api-secrets', creationPolicy: 'Owner' },
      data: [
        { secretKey: 'DATABASE_PASSWORD', remoteRef: { key: 'inventory-api-db-password' } },
        { secretKey: 'STRIPE_API_KEY', remoteRef: { key: 'stripe-api-key', version: '3' } },
      ],
    });
  });

  test('references a store construct by its name', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
    const store = new GcpSecretStore(chart, 'Store', { name: 'gcp-sm', projectId: 'shop-prod-4821', serviceAccountName: 'gcp-sm' });
    const es = new AppExternalSecret(chart, 'Secrets', { name: 'inventory-api', store, targetSecretName: 'inventory-api-secrets', secrets });
    expect(es.secretName).toBe('inventory-api-secrets');
    const objects = Testing.synth(chart);
    expect(objects.find((o) => o.kind === 'ExternalSecret')?.spec.secretStoreRef).toEqual({ kind: 'SecretStore', name: 'gcp-sm' });
    expect(validateObjects(objects)).toEqual([]);
  });

  test('the refresh interval is a prop', () => {
    expect(synth({ refreshInterval: Duration.minutes(15) })[0].spec.refreshInterval).toBe('15m');
  });

  test('writes no Secret and no secret value', () => {
    const objects = synth();
    expect(objects.map((o) => o.kind)).toEqual(['ExternalSecret']);
    expect(JSON.stringify(objects)).not.toMatch(/"(stringData|value)"/);
  });

  test('passes the upstream schema', () => {
    expect(validateObjects(synth())).toEqual([]);
  });

  test('fails if a reference has no key', () => {
    const noKey = [secrets[0], { envName: 'STRIPE_API_KEY', remoteKey: '' }];
    expect(() => synth({ secrets: noKey })).toThrow(
      'inventory-api: secrets[1].remoteKey is missing for STRIPE_API_KEY; fix: set remoteKey to the name of the secret in Secret Manager',
    );
    // Config read from JSON may lack the field altogether.
    const missing = [JSON.parse('{"envName":"STRIPE_API_KEY"}') as SecretReference];
    expect(() => synth({ secrets: missing })).toThrow('secrets[0].remoteKey is missing for STRIPE_API_KEY');
  });

  test('fails if an environment variable name is not one, or appears twice', () => {
    expect(() => synth({ secrets: [{ envName: 'stripe-key', remoteKey: 'stripe' }] })).toThrow(
      'inventory-api: secrets[0].envName "stripe-key" is not an environment variable name',
    );
    expect(() => synth({ secrets: [secrets[0], secrets[0]] })).toThrow('secrets[1].envName "DATABASE_PASSWORD" appears twice');
  });

  test('fails if a version is not a Secret Manager version', () => {
    expect(() => synth({ secrets: [{ envName: 'A', remoteKey: 'a', version: 'v3' }] })).toThrow('secrets[0].version "v3" is not a Secret Manager version');
  });

  test('fails if there is no reference', () => {
    expect(() => synth({ secrets: [] })).toThrow('inventory-api: secrets is empty');
  });

  test('fails if the target is not a Secret name', () => {
    expect(() => synth({ targetSecretName: 'Inventory_Secrets' })).toThrow('targetSecretName "Inventory_Secrets" is not a Kubernetes object name');
  });
});
