import type { IPrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import type { IRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Rule';
import type { ICronJob } from 'kubernetes-models/batch/v1/CronJob';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { Construct } from 'constructs';
import { type DatabaseBackups, isPinnedByDigest } from '../../model/database-backups';
import { PRIVATE_GOOGLE_APIS_CIDR } from '../../model/google-ranges';
import { type WorkloadIdentity } from '../../model/workload-identity';
import { type CidrPeer } from '../baseline/app-network-policy';
import { IntOrString, KubeNetworkPolicy } from 'cdk8s-plus-28/lib/imports/k8s';
import { ModelObject } from '../model-object';
import { series, Severity, SEVERITY_LABEL } from '../monitoring/promql';
import { DRILL_SCRIPT, DUMP_SCRIPT, drillEnv, dumpEnv } from './backup-scripts';

/** The component label of each job's pods, which its NetworkPolicy selects. */
export const BACKUP_COMPONENTS = { drill: 'restore-drill', dump: 'db-dump' } as const;

/** HTTPS to the Google APIs. */
export const GOOGLE_APIS_PORT = 443;

/** Days after which a job that has not succeeded is overdue: a monthly job plus one day of slack. */
export const BACKUP_OVERDUE_DAYS = 32;

/**
 * Istio injects its sidecar into every pod of a meshed namespace, and the sidecar keeps running
 * after the job's container exits, so the Job never completes. The jobs call only Google APIs, so
 * their pods opt out: https://istio.io/latest/docs/setup/additional-setup/sidecar-injection/#controlling-the-injection-policy
 */
const NO_SIDECAR = { 'sidecar.istio.io/inject': 'false' } as const;

/** Props of {@link DatabaseBackupCronJobs}. */
export interface DatabaseBackupCronJobsProps {
  readonly backups: DatabaseBackups;
  /** The Google Cloud CLI image the jobs run (`Platform.operationsImage`). */
  readonly image: string;
  /** The app's labels (`app.kubernetes.io/*`), which the jobs' objects carry too. */
  readonly labels: Readonly<Record<string, string>>;
  /** The labels Prometheus selects rules by. */
  readonly discoveryLabels: Readonly<Record<string, string>>;
  readonly namespace: string;
  /** The GKE metadata server, where Workload Identity tokens come from. */
  readonly metadataServer: readonly CidrPeer[];
}

/**
 * A production database's monthly restore drill and logical dump as CronJobs, each as its own KSA
 * (bound by Terraform to its own Google account, lib/gcp/database-backup-jobs.ts), with the egress
 * they need in the default-deny namespace and alerts on kube-state-metrics series.
 */
export class DatabaseBackupCronJobs extends Construct {
  public readonly drill: ModelObject<ICronJob>;
  public readonly dump: ModelObject<ICronJob>;

  constructor(scope: Construct, id: string, props: DatabaseBackupCronJobsProps) {
    super(scope, id);
    const b = props.backups;
    this.drill = job(this, 'Drill', props, {
      name: b.drill.name, identity: b.drill.identity, component: BACKUP_COMPONENTS.drill, schedule: b.drill.schedule,
      script: DRILL_SCRIPT, env: drillEnv(b),
      // A restore of a large backup takes hours; the trap then has time to delete the scratch instance.
      deadlineSeconds: 6 * 3600, gracePeriodSeconds: 600,
    });
    this.dump = job(this, 'Dump', props, {
      name: b.dumps.name, identity: b.dumps.identity, component: BACKUP_COMPONENTS.dump, schedule: b.dumps.schedule,
      script: DUMP_SCRIPT, env: dumpEnv(b), deadlineSeconds: 4 * 3600, gracePeriodSeconds: 30,
    });
    const rules = [
      ...jobRules('DatabaseRestoreDrill', `the restore drill of ${b.live.instanceName}`, b.drill.name, props.namespace),
      ...jobRules('DatabaseDump', `the logical dump of ${b.live.instanceName}`, b.dumps.name, props.namespace),
    ];
    new ModelObject<IPrometheusRule>(this, 'Alerts', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: `${b.drill.name}-alerts`, namespace: props.namespace, labels: { ...props.labels, ...props.discoveryLabels } },
      spec: { groups: [{ name: `${b.live.instanceName}-backups`, rules }] },
    });
  }
}

interface JobSpec {
  readonly name: string;
  readonly identity: WorkloadIdentity;
  readonly component: string;
  readonly schedule: string;
  readonly script: string;
  readonly env: Readonly<Record<string, string>>;
  readonly deadlineSeconds: number;
  readonly gracePeriodSeconds: number;
}

function job(scope: Construct, id: string, props: DatabaseBackupCronJobsProps, spec: JobSpec): ModelObject<ICronJob> {
  // Its own instance label: the app's Service, NetworkPolicy and monitors select name and instance.
  const labels = { ...props.labels, 'app.kubernetes.io/instance': spec.name, 'app.kubernetes.io/component': spec.component };
  new ModelObject<IServiceAccount>(scope, `${id}ServiceAccount`, {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: spec.identity.kubernetesServiceAccount.name, namespace: props.namespace, labels, annotations: spec.identity.kubernetesAnnotations() },
    // GKE's metadata server gives Workload Identity tokens without the API token in the pod.
    automountServiceAccountToken: false,
  });
  // Out only to Google APIs (private.googleapis.com, docs/data.md) and the metadata server; DNS is
  // the namespace's allow-dns policy. Egress only: the namespace's default-deny keeps every caller out.
  const egress: readonly CidrPeer[] = [{ cidr: PRIVATE_GOOGLE_APIS_CIDR, ports: [GOOGLE_APIS_PORT] }, ...props.metadataServer];
  new KubeNetworkPolicy(scope, `${id}NetworkPolicy`, {
    metadata: { name: spec.name, labels },
    spec: {
      podSelector: { matchLabels: { 'app.kubernetes.io/instance': spec.name } },
      policyTypes: ['Egress'],
      egress: egress.map((p) => ({ to: [{ ipBlock: { cidr: p.cidr } }], ports: p.ports.map((port) => ({ protocol: 'TCP', port: IntOrString.fromNumber(port) })) })),
    },
  });
  const user = 1000; // the image's `cloudsdk` user
  return new ModelObject<ICronJob>(scope, id, {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: spec.name, namespace: props.namespace, labels },
    spec: {
      schedule: spec.schedule,
      timeZone: 'Etc/UTC',
      // A second run would restore into a second scratch instance, or export while one runs.
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 3600,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: {
        metadata: { labels },
        spec: {
          // No retry: a failure alerts, and a person runs it again (docs/backups.md).
          backoffLimit: 0,
          activeDeadlineSeconds: spec.deadlineSeconds,
          template: {
            metadata: { labels: { ...labels, ...NO_SIDECAR } },
            spec: {
              serviceAccountName: spec.identity.kubernetesServiceAccount.name,
              automountServiceAccountToken: false,
              restartPolicy: 'Never',
              terminationGracePeriodSeconds: spec.gracePeriodSeconds,
              securityContext: { runAsNonRoot: true, runAsUser: user, runAsGroup: user, seccompProfile: { type: 'RuntimeDefault' } },
              containers: [{
                name: spec.component,
                image: props.image,
                // A tag moves (GCLOUD_IMAGE is `stable`): each monthly run takes the current one. A digest never does.
                imagePullPolicy: isPinnedByDigest(props.image) ? 'IfNotPresent' : 'Always',
                command: ['/bin/bash', '-c', spec.script],
                env: [
                  ...Object.entries(spec.env).map(([name, value]) => ({ name, value })),
                  // A read-only root filesystem: gcloud keeps its config and logs under /tmp.
                  { name: 'HOME', value: '/tmp' },
                  { name: 'CLOUDSDK_CONFIG', value: '/tmp/gcloud' },
                  { name: 'CLOUDSDK_CORE_DISABLE_PROMPTS', value: '1' },
                ],
                resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
                securityContext: {
                  runAsNonRoot: true,
                  runAsUser: user,
                  runAsGroup: user,
                  readOnlyRootFilesystem: true,
                  allowPrivilegeEscalation: false,
                  privileged: false,
                  capabilities: { drop: ['ALL'] },
                  seccompProfile: { type: 'RuntimeDefault' },
                },
                volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
              }],
              volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '256Mi' } }],
            },
          },
        },
      },
    },
  });
}

/**
 * Two alerts per job from kube-state-metrics: its latest run failed (a failed scheduled Job started
 * after the last success), and it has not succeeded for {@link BACKUP_OVERDUE_DAYS} days (counted from
 * the CronJob's creation until a first success). A success is the CronJob's lastSuccessfulTime or the
 * completion of any of its Jobs, `<cronjob>-…`: a Job run by hand (`kubectl create job --from`) has no
 * controller reference, so the CronJob controller may not count it
 * (https://github.com/kubernetes/kubernetes/issues/118276), yet it must clear the alert; a Job's
 * completionTime is set only when it succeeds.
 * @see https://github.com/kubernetes/kube-state-metrics/blob/main/docs/metrics/workload/cronjob-metrics.md
 * @see https://github.com/kubernetes/kube-state-metrics/blob/main/docs/metrics/workload/job-metrics.md
 */
function jobRules(prefix: string, what: string, cronjob: string, namespace: string): IRule[] {
  const ns = { label: 'namespace', op: '=', value: namespace } as const;
  const scheduled = [ns, { label: 'job_name', op: '=~', value: `${cronjob}-[0-9]+` } as const];
  const anyRun = [ns, { label: 'job_name', op: '=~', value: `${cronjob}-.+` } as const];
  const cj = [ns, { label: 'cronjob', op: '=', value: cronjob } as const];
  const lastSuccess = `max by (namespace) (${series('kube_cronjob_status_last_successful_time', cj)} or ${series('kube_job_status_completion_time', anyRun)})`;
  const failed = `(${series('kube_job_status_failed', scheduled)} > 0)`;
  const overdue = BACKUP_OVERDUE_DAYS * 86400;
  return [
    {
      alert: `${prefix}Failed`,
      expr: [
        `${failed}`,
        `  and on (namespace, job_name) (${series('kube_job_status_start_time', scheduled)} > on (namespace) group_left () ${lastSuccess})`,
        'or',
        `${failed} unless on (namespace) ${lastSuccess}`,
      ].join('\n'),
      labels: { [SEVERITY_LABEL]: Severity.CRITICAL },
      annotations: {
        summary: `${what} failed`,
        description: `Job {{ $labels.job_name }} in {{ $labels.namespace }} failed after the last successful run of CronJob ${cronjob}; read its logs (docs/backups.md).`,
      },
    },
    {
      alert: `${prefix}Overdue`,
      expr: [
        `time() - ${lastSuccess} > ${overdue}`,
        'or',
        `(time() - ${series('kube_cronjob_created', cj)} > ${overdue}) unless on (namespace) ${lastSuccess}`,
      ].join('\n'),
      labels: { [SEVERITY_LABEL]: Severity.CRITICAL },
      annotations: {
        summary: `${what} has not succeeded for ${BACKUP_OVERDUE_DAYS} days`,
        description: `CronJob ${cronjob} in {{ $labels.namespace }} has no successful run in ${BACKUP_OVERDUE_DAYS} days.`,
      },
    },
  ];
}
