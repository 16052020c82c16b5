import { goDuration } from '../duration';
import type { IExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret';
import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { type AppLabels, appLabels } from '../labels';
import { ModelObject } from '../model-object';
import { type ISecretStore } from './gcp-secret-store';

/** One secret an app reads from Secret Manager, exposed to it as an environment variable. */
export interface SecretReference {
  /** The environment variable, and the key of the Secret that holds the value. */
  readonly envName: string;
  /** The name of the secret in Secret Manager. */
  readonly remoteKey: string;
  /**
   * The secret's version in Secret Manager: a version number or `latest`.
   * @default - the latest version
   */
  readonly version?: string;
}

/** Props of {@link AppExternalSecret}. */
export interface AppExternalSecretProps {
  /** The name of the ExternalSecret. */
  readonly name: string;
  /** @default - the chart's namespace */
  readonly namespace?: string;
  /** @default - no labels */
  readonly labels?: AppLabels;
  /** The store the secrets are read from: a SecretStore of the ExternalSecret's namespace. */
  readonly store: ISecretStore;
  /** The Secret the operator writes, which the app reads its variables from. */
  readonly targetSecretName: string;
  /** The secrets, one key of the target Secret each. */
  readonly secrets: readonly SecretReference[];
  /**
   * How often the operator reads the secrets again.
   * @default Duration.hours(1)
   */
  readonly refreshInterval?: Duration;
}

/**
 * An ExternalSecret that copies an app's secrets from Secret Manager into one Secret, a key per
 * environment variable. The manifest holds only references: no secret value is ever written.
 * The Secret belongs to the ExternalSecret, so removing one removes the other.
 * @see https://external-secrets.io/latest/api/externalsecret/
 */
export class AppExternalSecret extends Construct {
  public readonly resource: ModelObject<IExternalSecret>;
  /** The name of the Secret the operator writes. */
  public readonly secretName: string;

  constructor(scope: Construct, id: string, props: AppExternalSecretProps) {
    super(scope, id);
    const refresh = props.refreshInterval ?? Duration.hours(1);
    checkReferences(props.name, props.secrets);
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(props.targetSecretName) || props.targetSecretName.length > 253) {
      throw new Error(`${props.name}: targetSecretName "${props.targetSecretName}" is not a Kubernetes object name; fix: use lower-case letters, digits and '-', like "inventory-api-secrets"`);
    }
    if (!(refresh.toMilliseconds() >= 1000)) {
      throw new Error(`${props.name}: refreshInterval (${refresh.toMilliseconds()}ms) must be at least one second; fix: give a duration like Duration.hours(1)`);
    }
    this.secretName = props.targetSecretName;
    this.resource = new ModelObject<IExternalSecret>(this, 'Resource', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels ? appLabels(props.labels) : undefined },
      spec: {
        refreshInterval: goDuration(refresh),
        secretStoreRef: { kind: 'SecretStore', name: props.store.storeName },
        target: { name: props.targetSecretName, creationPolicy: 'Owner' },
        data: props.secrets.map((ref) => ({
          secretKey: ref.envName,
          remoteRef: { key: ref.remoteKey, version: ref.version },
        })),
      },
    });
  }
}

/** Construct-level checks of the references; the config checks them earlier with the app's name. */
function checkReferences(owner: string, refs: readonly SecretReference[]): void {
  if (refs.length === 0) {
    throw new Error(`${owner}: secrets is empty; fix: list the app's secret references, or create no AppExternalSecret`);
  }
  const seen = new Set<string>();
  refs.forEach((ref, index) => {
    const field = `secrets[${index}]`;
    if (typeof ref.envName !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(ref.envName)) {
      throw new Error(`${owner}: ${field}.envName "${String(ref.envName)}" is not an environment variable name; fix: use letters, digits and '_', like "DATABASE_PASSWORD"`);
    }
    if (seen.has(ref.envName)) {
      throw new Error(`${owner}: ${field}.envName "${ref.envName}" appears twice; fix: give each secret its own variable`);
    }
    seen.add(ref.envName);
    if (typeof ref.remoteKey !== 'string' || ref.remoteKey.trim() === '') {
      throw new Error(`${owner}: ${field}.remoteKey is missing for ${ref.envName}; fix: set remoteKey to the name of the secret in Secret Manager`);
    }
    if (/\s/.test(ref.remoteKey)) {
      throw new Error(`${owner}: ${field}.remoteKey "${ref.remoteKey}" contains white space; fix: use the secret's name in Secret Manager`);
    }
    if (ref.version !== undefined && !/^(latest|[1-9][0-9]*)$/.test(ref.version)) {
      throw new Error(`${owner}: ${field}.version "${ref.version}" is not a Secret Manager version; fix: use a version number like "3", or "latest"`);
    }
  });
}
