import { asArray, asString, at, strMap, type JsonRecord } from '../../manifest/json-access';
import { WORKLOAD_IDENTITY_ANNOTATION } from '../../model/workload-identity';
import { clusterOf, finding, type Finding, inNamespace, type K8sObject, namespaceOf, providerProject, resources, type RuleContext, type TfStack, tfFinding } from './types';

const RULE = 'join-secret-access';
/** The roles that let a member read a secret's payload. */
const READ_ROLES = new Set(['roles/secretmanager.secretAccessor', 'roles/secretmanager.admin']);
const PROJECT_GRANTS = ['google_project_iam_member', 'google_project_iam_binding'];

/** A secret Terraform creates, and who may read it. */
interface TfSecret {
  readonly project: string;
  readonly secretId: string;
  readonly readers: Set<string>;
}

/**
 * Every ExternalSecret reads secrets that some Terraform stack creates, through a store that
 * authenticates (GKE Workload Identity, through an annotated KSA) as a Google service account the
 * stack grants read access on each of those very secrets; and no stack grants read access to Secret
 * Manager on a whole project, which would let every store read every secret. Skipped when the
 * output holds no stack.
 */
export function joinSecretAccess(ctx: RuleContext): Finding[] {
  if (ctx.stacks.length === 0) return [];
  const secrets = new Map<string, TfSecret>();
  const projectGrants: Finding[] = [];
  for (const s of ctx.stacks) {
    for (const [, body] of resources(s, 'google_secret_manager_secret')) {
      const project = asString(body.project) ?? providerProject(s);
      const secretId = asString(body.secret_id);
      if (project && secretId) secrets.set(`${project}/${secretId}`, { project, secretId, readers: new Set() });
    }
    for (const type of PROJECT_GRANTS) {
      for (const [name, body] of resources(s, type)) {
        if (typeof body.role === 'string' && READ_ROLES.has(body.role)) {
          projectGrants.push(tfFinding(s, type, name, RULE, `grants ${body.role} on the whole project, so every secret store could read every secret`,
            'grant it on each secret its reader needs (google_secret_manager_secret_iam_member)'));
        }
      }
    }
  }
  for (const s of ctx.stacks) {
    for (const type of ['google_secret_manager_secret_iam_member', 'google_secret_manager_secret_iam_binding']) {
      for (const [, body] of resources(s, type)) {
        if (typeof body.role !== 'string' || !READ_ROLES.has(body.role)) continue;
        const ref = secretRef(resolve(s, asString(body.secret_id)), asString(body.project) ?? providerProject(s));
        const secret = ref && secrets.get(ref);
        const members = [body.member, ...asArray(body.members)].map((m) => resolve(s, asString(m))).filter((m): m is string => m !== undefined);
        if (secret) for (const m of members) secret.readers.add(m);
      }
    }
  }
  const externalSecrets = ctx.objects.filter((o) => o.kind === 'ExternalSecret').flatMap((o) => checkExternalSecret(ctx, o, secrets));
  return [...externalSecrets, ...projectGrants];
}

function checkExternalSecret(ctx: RuleContext, o: K8sObject, secrets: ReadonlyMap<string, TfSecret>): Finding[] {
  const keys = [
    ...asArray(at(o.body, 'spec', 'data')).map((d) => asString(at(d, 'remoteRef', 'key'))),
    ...asArray(at(o.body, 'spec', 'dataFrom')).map((d) => asString(at(d, 'extract', 'key'))),
  ].filter((k): k is string => k !== undefined);
  if (keys.length === 0) return [];
  const kind = asString(at(o.body, 'spec', 'secretStoreRef', 'kind')) ?? 'SecretStore';
  const name = asString(at(o.body, 'spec', 'secretStoreRef', 'name')) ?? '?';
  const namespace = namespaceOf(ctx, o);
  const store = kind === 'ClusterSecretStore'
    ? ctx.objects.find((x) => x.kind === kind && x.name === name && clusterOf(ctx, x) === clusterOf(ctx, o))
    : inNamespace(ctx, o, 'SecretStore').find((x) => x.name === name);
  if (!store) {
    return [finding(o, RULE, `reads from ${kind}/${name}, which is not in ${kind === 'SecretStore' ? `namespace "${namespace}"` : 'the output'}`,
      'name the SecretStore of the ExternalSecret\'s own namespace in spec.secretStoreRef')];
  }
  const gcpsm = at(store.body, 'spec', 'provider', 'gcpsm');
  const project = asString(at(gcpsm, 'projectID'));
  const account = at(gcpsm, 'auth', 'workloadIdentity', 'serviceAccountRef');
  const ksaName = asString(at(account, 'name'));
  if (project === undefined || ksaName === undefined) {
    return [finding(o, RULE, `reads from ${kind}/${name}, which authenticates to no Secret Manager project through Workload Identity`,
      'give the store spec.provider.gcpsm.projectID and auth.workloadIdentity.serviceAccountRef')];
  }
  // A SecretStore's account is always in its own namespace; a ClusterSecretStore names it.
  const ksaNamespace = kind === 'SecretStore' ? namespaceOf(ctx, store) : asString(at(account, 'namespace')) ?? 'default';
  const ksa = inNamespace(ctx, store, 'ServiceAccount', ksaNamespace).find((x) => x.name === ksaName);
  const email = ksa && strMap(at(ksa.body, 'metadata', 'annotations'))[WORKLOAD_IDENTITY_ANNOTATION];
  if (!email) {
    return [finding(o, RULE, `reads from ${kind}/${name}, whose ServiceAccount ${ksaNamespace}/${ksaName} names no Google service account`,
      `create ServiceAccount ${ksaName} in namespace "${ksaNamespace}" with the ${WORKLOAD_IDENTITY_ANNOTATION} annotation`)];
  }
  return [...new Set(keys)].flatMap((key): Finding[] => {
    const secret = secrets.get(`${project}/${key}`);
    if (!secret) {
      return [finding(o, RULE, `reads secret "${key}" of project "${project}", which no Terraform stack creates`,
        'correct the key, or create the secret in the stack of its environment')];
    }
    if (!secret.readers.has(`serviceAccount:${email}`)) {
      return [finding(o, RULE, `reads secret "${key}" as ${email}, which no Terraform stack grants roles/secretmanager.secretAccessor on it`,
        `grant ${email} roles/secretmanager.secretAccessor on secret "${key}", or read it from the store of the namespace it belongs to`)];
    }
    return [];
  });
}

/** `project/secretId` of a secret given by id or by name (`projects/P/secrets/ID`). */
function secretRef(value: string | undefined, project: string | undefined): string | undefined {
  const full = value && /^projects\/([^/]+)\/secrets\/([^/]+)$/.exec(value);
  if (full) return `${full[1]}/${full[2]}`;
  return value && project ? `${project}/${value}` : undefined;
}

/** A value with its Terraform references (`${type.name.attribute}`) to resources of the stack resolved. */
function resolve(stack: TfStack, value: string | undefined): string | undefined {
  return value?.replace(/\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z_]+)\}/g, (ref: string, type: string, name: string, attr: string) => {
    const body = resources(stack, type).find(([n]) => n === name)?.[1];
    return (body && attribute(stack, type, body, attr)) ?? ref;
  });
}

function attribute(stack: TfStack, type: string, body: JsonRecord, attr: string): string | undefined {
  if (type === 'google_service_account' && (attr === 'email' || attr === 'member')) {
    const project = asString(body.project) ?? providerProject(stack);
    const id = asString(body.account_id);
    if (!project || !id) return undefined;
    const email = `${id}@${project}.iam.gserviceaccount.com`;
    return attr === 'email' ? email : `serviceAccount:${email}`;
  }
  return asString(body[attr]);
}
