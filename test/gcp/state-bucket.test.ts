import { DataGoogleStorageProjectServiceAccount } from '@cdktf/provider-google/lib/data-google-storage-project-service-account';
import { KmsCryptoKeyIamMember } from '@cdktf/provider-google/lib/kms-crypto-key-iam-member';
import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket';
import { Testing } from 'cdktf';
import { StateBucket, type StateBucketProps } from '../../lib/gcp/state-bucket';
import { onlyResource } from './fixtures';

const base: StateBucketProps = { project: 'shop-platform', name: 'shop-tofu-state', location: 'EU' };
const synth = (props: Partial<StateBucketProps> = {}): string =>
  Testing.synthScope((scope) => {
    new StateBucket(scope, 'State', { ...base, ...props });
  });

describe('StateBucket', () => {
  const json = synth();

  test('versions every object', () => {
    expect(json).toHaveResourceWithProperties(StorageBucket, { versioning: { enabled: true } });
  });

  test('deletes noncurrent versions beyond the newest 10 by default', () => {
    expect(json).toHaveResourceWithProperties(StorageBucket, {
      lifecycle_rule: [{ action: { type: 'Delete' }, condition: { num_newer_versions: 10, with_state: 'ARCHIVED' } }],
    });
  });

  test('keeps the number of versions it is given', () => {
    expect(synth({ keepVersions: 5 })).toHaveResourceWithProperties(StorageBucket, {
      lifecycle_rule: [expect.objectContaining({ condition: { num_newer_versions: 5, with_state: 'ARCHIVED' } })],
    });
  });

  test('is private: uniform bucket-level access and public access prevention enforced', () => {
    expect(json).toHaveResourceWithProperties(StorageBucket, { uniform_bucket_level_access: true, public_access_prevention: 'enforced' });
  });

  test('keeps deleted objects restorable for 7 days by default', () => {
    expect(json).toHaveResourceWithProperties(StorageBucket, { soft_delete_policy: { retention_duration_seconds: 604800 } });
    expect(synth({ softDeleteDays: 30 })).toHaveResourceWithProperties(StorageBucket, {
      soft_delete_policy: { retention_duration_seconds: 30 * 86400 },
    });
  });

  test('is never force-destroyed', () => {
    expect(json).toHaveResourceWithProperties(StorageBucket, { force_destroy: false });
  });

  test('uses Google-managed encryption unless given a key', () => {
    expect(onlyResource(json, 'google_storage_bucket').encryption).toBeUndefined();
    expect(json).not.toHaveResource(KmsCryptoKeyIamMember);
  });

  test('with a CMEK key, encrypts with it and lets the Cloud Storage service agent use it first', () => {
    const key = 'projects/shop-platform/locations/europe/keyRings/state/cryptoKeys/tofu';
    const cmek = synth({ kmsKeyName: key });
    expect(cmek).toHaveResourceWithProperties(StorageBucket, {
      encryption: { default_kms_key_name: key },
      depends_on: [expect.stringMatching(/^google_kms_crypto_key_iam_member\./)],
    });
    expect(cmek).toHaveDataSourceWithProperties(DataGoogleStorageProjectServiceAccount, { project: 'shop-platform' });
    expect(cmek).toHaveResourceWithProperties(KmsCryptoKeyIamMember, {
      crypto_key_id: key,
      role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter',
      member: expect.stringMatching(/^\$\{data\.google_storage_project_service_account\.[A-Za-z0-9_]+\.member\}$/),
    });
  });

  test.each([4, 11, 7.5])('fails on a version retention of %p', (keepVersions) => {
    expect(() => synth({ keepVersions })).toThrow(
      /^config error: field "keepVersions": value [\d.]+ is not an integer from 5 to 10; fix: set keepVersions to an integer from 5 to 10$/,
    );
  });

  test('fails on a soft-delete period outside 7 to 90 days', () => {
    expect(() => synth({ softDeleteDays: 3 })).toThrow(/field "softDeleteDays": value 3 is not an integer from 7 to 90/);
  });
});
