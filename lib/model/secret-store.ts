import { type Checks } from './checks';
import { type AppInstance } from './app-instance';
import { type Cluster } from './cluster';
import { type Environment } from './environment';
import { checkSecretId, gcpNaming } from './gcp-resources';
import { type Addons } from './kubernetes-settings';
import { WorkloadIdentity } from './workload-identity';

/** The ids of the Secret Manager secrets a namespace's alert receivers read. */
export interface AlertReceiverSecrets {
  /** Only where the routing pages (`alerts.page`): no other store can read a paging key. */
  readonly pagingKey?: string;
  readonly slackWebhook: string;
}

/**
 * The store External Secrets reads one namespace's secrets through: a namespaced SecretStore that
 * authenticates as a Kubernetes service account of the namespace, bound through Workload Identity to
 * a Google service account of its own. Terraform creates that account and grants it each secret in
 * `secretIds`, and nothing else; the namespace owner's chart emits the store and its account. The
 * canary shares production's namespace, so it shares production's store.
 */
export interface NamespaceSecretStore {
  /** The SecretStore's name, and that of its Kubernetes service account (a cluster's store: `identity`'s KSA). */
  readonly name: string;
  readonly cluster: string;
  readonly namespace: string;
  /** The environment that manages the namespace; for the cluster's monitoring namespace, `cluster-<name>`. */
  readonly owner: string;
  /** The project whose Secret Manager holds the secrets: the namespace owner's. */
  readonly project: string;
  readonly identity: WorkloadIdentity;
  /** The owner's alert receivers' secrets. */
  readonly alertReceivers: AlertReceiverSecrets;
  /** Every secret an object of the namespace reads, sorted: Terraform creates and grants these. */
  readonly secretIds: readonly string[];
}

// A Google service account id: 6 to 30 characters.
const ACCOUNT_ID_MAX = 30;

/** One store per namespace, from the environment that manages it and every environment that shares it. */
export function resolveSecretStores(
  envs: readonly Environment[],
  instances: (env: Environment) => readonly AppInstance[],
  sharers: (env: Environment) => readonly Environment[],
  addons: Addons,
  root: Checks,
): NamespaceSecretStore[] {
  return envs.filter((e) => e.managesNamespace).map((owner): NamespaceSecretStore => {
    const checks: Checks = root.within({ env: owner.name });
    const accountId = gcpNaming.secretStoreAccount(owner.namespace);
    checks.require(accountId.length <= ACCOUNT_ID_MAX, 'namespace', owner.namespace,
      `makes the secret store's Google service account id "${accountId}" longer than ${ACCOUNT_ID_MAX} characters`,
      `shorten the namespace to at most ${ACCOUNT_ID_MAX - (accountId.length - owner.namespace.length)} characters`);
    const alertReceivers = receiverSecrets(addons, owner.alertRouting.page, (key) => gcpNaming.secretId(key, owner.dataOwner), checks);
    const sharing = sharers(owner);
    const appSecrets: string[] = [];
    for (const env of sharing) {
      for (const instance of instances(env)) {
        // The store's service account shares the namespace with the apps' own.
        const appChecks: Checks = root.within({ app: instance.app.name, env: env.name });
        appChecks.require(instance.name !== addons.secretStore, 'name', instance.app.name,
          `names its service account "${instance.name}", which the secret store of namespace "${owner.namespace}" uses`,
          'rename the app, or set addons.secretStore to another name');
        appSecrets.push(...instance.gcp.secrets.map((s) => s.secretId));
      }
    }
    // Google service accounts share one namespace per project, the apps' included.
    for (const env of envs.filter((e) => e.project === owner.project)) {
      const clash = instances(env).find((i) => i.gcp.identity?.accountId === accountId);
      if (clash) {
        checks.fail('namespace', owner.namespace, `makes the secret store's Google service account "${accountId}", which app "${clash.app.name}" uses in env "${env.name}"`,
          'rename the app or the namespace');
      }
    }
    return {
      name: addons.secretStore,
      cluster: owner.cluster,
      namespace: owner.namespace,
      owner: owner.name,
      project: owner.project,
      identity: new WorkloadIdentity(owner.project, accountId, { namespace: owner.namespace, name: addons.secretStore }),
      alertReceivers,
      secretIds: [...new Set([...receiverIds(alertReceivers), ...appSecrets])].sort(),
    };
  });
}

/**
 * One store per cluster in its monitoring namespace, for the receivers of the cluster's own alerts
 * (the AlertmanagerConfig there): it reads exactly those secrets, from the cluster's project.
 */
export function resolveClusterSecretStores(clusters: readonly Cluster[], addons: Addons, checks: Checks): NamespaceSecretStore[] {
  const namespace = addons.monitoringNamespace;
  return clusters.map((cluster): NamespaceSecretStore => {
    const clash = cluster.environments.find((e) => e.namespace === namespace);
    if (clash) {
      checks.within({ env: clash.name }).fail('namespace', namespace, `is the monitoring namespace of cluster "${cluster.name}", which the cluster's alert routing owns`,
        'give the environment a namespace of its own');
    }
    const alertReceivers = receiverSecrets(addons, cluster.alertRouting.page, (key) => gcpNaming.clusterSecretId(key, cluster.name), checks);
    const account = gcpNaming.clusterAlertsAccount(cluster.name);
    return {
      name: addons.secretStore,
      cluster: cluster.name,
      namespace,
      owner: `cluster-${cluster.name}`,
      project: cluster.project,
      identity: new WorkloadIdentity(cluster.project, account, { namespace, name: account }),
      alertReceivers,
      secretIds: receiverIds(alertReceivers).sort(),
    };
  });
}

function receiverSecrets(addons: Addons, page: boolean, id: (key: string) => string, checks: Checks): AlertReceiverSecrets {
  const alerting = addons.alerting;
  const slackWebhook = id(alerting.slackWebhookSecret);
  checkSecretId(slackWebhook, checks, 'addons.alerting.slackWebhookSecret', alerting.slackWebhookSecret);
  if (!page) return { slackWebhook };
  const pagingKey = id(alerting.pagingKeySecret);
  checkSecretId(pagingKey, checks, 'addons.alerting.pagingKeySecret', alerting.pagingKeySecret);
  return { pagingKey, slackWebhook };
}

function receiverIds(secrets: AlertReceiverSecrets): string[] {
  return secrets.pagingKey === undefined ? [secrets.slackWebhook] : [secrets.pagingKey, secrets.slackWebhook];
}
