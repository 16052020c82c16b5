import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Chart } from 'cdk8s';
import { DatabaseBackupCronJobs } from '../../../lib/k8s/data/backup-jobs';
import { DRILL_SCRIPT, rowCountQuery } from '../../../lib/k8s/data/backup-scripts';
import { type DatabaseBackups } from '../../../lib/model/database-backups';
import { definePlatform } from '../../../lib/model/platform';
import { platformConfig } from '../../fixtures/shop/platform';

type Json = Record<string, any>;

const platform = definePlatform(platformConfig);
const backups = platform.instances(platform.production).find((i) => i.backups !== undefined)?.backups as DatabaseBackups;

function objects(image = platform.operationsImage): Json[] {
  const chart = new Chart(new App(), 'test', { namespace: 'shop-prod', disableResourceNameHashes: true });
  new DatabaseBackupCronJobs(chart, 'Backups', {
    backups,
    image,
    labels: { 'app.kubernetes.io/name': 'inventory-api', 'app.kubernetes.io/instance': 'inventory-api' },
    discoveryLabels: { release: 'prometheus' },
    namespace: 'shop-prod',
    metadataServer: [{ cidr: '169.254.169.254/32', ports: [80] }],
  });
  return chart.toJson() as Json[];
}
const find = (kind: string, name: string): Json => {
  const o = objects().find((x) => x.kind === kind && x.metadata.name === name);
  if (o === undefined) throw new Error(`no ${kind}/${name}`);
  return o;
};
const podSpec = (cronJob: Json): Json => cronJob.spec.jobTemplate.spec.template.spec;
const envOf = (cronJob: Json): Record<string, string> =>
  Object.fromEntries((podSpec(cronJob).containers[0].env as { name: string; value: string }[]).map((e) => [e.name, e.value]));

/**
 * A fake gcloud: records each call, fails the one that contains `failOn`, answers --async calls with an
 * operation name, and sleeps `waitSeconds` in `sql operations wait`, then records `wait finished`.
 */
const fakeGcloud = (failOn: string, waitSeconds = 0): string =>
  `gcloud() { echo "gcloud $*" >> "$CALLS"; case "$*" in *"${failOn}"*) return 1;; "sql operations wait"*) sleep ${waitSeconds}; echo "wait finished" >> "$CALLS";; "sql backups list"*) echo 42;; "sql instances describe"*) echo 20;; *--async*) echo op-1;; esac; }\nexport -f gcloud\n`;
const callsFile = (tag: string): string => path.join(os.tmpdir(), `drill-calls-${process.pid}-${tag.replace(/\W/g, '')}`);
const readCalls = (file: string): string[] => {
  const text = fs.readFileSync(file, 'utf8');
  fs.rmSync(file, { force: true });
  return text.trim().split('\n');
};

/** Runs the drill script's control flow with gcloud replaced by a shell function; returns the calls made. */
function runDrill(failOn: string): { calls: string[]; status: number } {
  const calls = callsFile(failOn);
  fs.rmSync(calls, { force: true });
  const result = spawnSync('bash', ['-c', fakeGcloud(failOn) + DRILL_SCRIPT], { env: { ...envOf(find('CronJob', backups.drill.name)), CALLS: calls, PATH: process.env.PATH ?? '' }, encoding: 'utf8' });
  return { calls: readCalls(calls), status: result.status ?? -1 };
}

describe('DatabaseBackupCronJobs', () => {
  test('the drill and the dump run monthly, one at a time, with a deadline and history limits', () => {
    for (const name of [backups.drill.name, backups.dumps.name]) {
      const spec = find('CronJob', name).spec;
      expect(spec).toMatchObject({ concurrencyPolicy: 'Forbid', timeZone: 'Etc/UTC', successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 3 });
      expect(spec.schedule).toMatch(/^\d+ \d+ \d+ \* \*$/);
      expect(spec.jobTemplate.spec.activeDeadlineSeconds).toBeGreaterThan(0);
      expect(spec.jobTemplate.spec.backoffLimit).toBe(0);
    }
    expect(find('CronJob', backups.drill.name).spec.schedule).toBe('0 7 1 * *');
  });

  test('an operations image pinned by digest runs as it is, from the node\'s cache if there', () => {
    const pinned = `europe-west1-docker.pkg.dev/shop-platform/mirror/google-cloud-cli@sha256:${'a'.repeat(64)}`;
    const pods = objects(pinned).filter((o) => o.kind === 'CronJob').map(podSpec);
    expect(pods).toHaveLength(2);
    for (const pod of pods) expect(pod.containers[0]).toMatchObject({ image: pinned, imagePullPolicy: 'IfNotPresent' });
  });

  test('its pods run the gcloud image as their own KSA, restricted, without an Istio sidecar', () => {
    const cj = find('CronJob', backups.drill.name);
    const pod = podSpec(cj);
    expect(cj.spec.jobTemplate.spec.template.metadata.labels['sidecar.istio.io/inject']).toBe('false');
    expect(pod.serviceAccountName).toBe('inventory-api-restore-drill');
    // Google deletes versions older than a year: a pinned VERSION-stable would stop pulling within the year.
    expect(pod.containers[0].image).toBe('gcr.io/google.com/cloudsdktool/google-cloud-cli:stable');
    expect(pod.containers[0].imagePullPolicy).toBe('Always');
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(find('ServiceAccount', 'inventory-api-restore-drill').metadata.annotations).toEqual({ 'iam.gke.io/gcp-service-account': backups.drill.identity.email });
    // Its own instance label: the app's Service and NetworkPolicy select name and instance.
    expect(pod.containers[0].name).toBe('restore-drill');
    expect(cj.spec.jobTemplate.spec.template.metadata.labels['app.kubernetes.io/instance']).toBe('inventory-api-restore-drill');
  });

  test('the drill restores the latest backup into a scratch instance named from the model, never the live one', () => {
    const env = envOf(find('CronJob', backups.drill.name));
    expect(env).toMatchObject({ LIVE_INSTANCE: 'inventory-api-prod', SCRATCH_PREFIX: 'inventory-api-prod-drill', DATABASE: 'inventory_api' });
    expect(env.COUNT_QUERY).toBe(rowCountQuery(['items', 'stock_levels']));
    expect(DRILL_SCRIPT).toContain('gcloud sql backups restore "$BACKUP_ID" \\\n  --restore-instance="$SCRATCH" --backup-instance="$LIVE_INSTANCE"');
  });

  test('the scratch instance gets the live instance\'s storage, which a restore needs', () => {
    const { calls } = runDrill('sql backups restore');
    expect(calls.find((c) => c.startsWith('gcloud sql instances create'))).toContain('--storage-size=20');
  });

  test('the trap deletes the scratch instance when the restore fails, and when the comparison fails', () => {
    const restoreFails = runDrill('sql backups restore');
    expect(restoreFails.status).not.toBe(0);
    expect(restoreFails.calls[restoreFails.calls.length - 1]).toMatch(/^gcloud sql instances delete inventory-api-prod-drill-\d{12} --project=shop-prod --async --quiet$/);
    const exportFails = runDrill('sql export csv');
    expect(exportFails.status).not.toBe(0);
    expect(exportFails.calls[exportFails.calls.length - 1]).toMatch(/^gcloud sql instances delete inventory-api-prod-drill-/);
    // No backup found: nothing was created, so nothing is deleted.
    const noBackup = runDrill('sql backups list');
    expect(noBackup.status).not.toBe(0);
    expect(noBackup.calls.some((c) => c.includes('instances create') || c.includes('instances delete'))).toBe(false);
  });

  test('each long Cloud SQL operation is started --async and waited for without gcloud\'s time limit', () => {
    const { calls, status } = runDrill('no call fails');
    expect(status).not.toBe(0); // the fake exports no counts, so the comparison fails
    const started = calls.filter((c) => / --async /.test(c) && !c.includes('instances delete'));
    expect(started.map((c) => c.split(' ').slice(1, 4).join(' '))).toEqual([
      'sql instances create', 'sql backups restore', 'sql export csv', 'sql export csv',
    ]);
    for (const c of started) expect(c).toContain("--project=shop-prod --async --format=value(name)");
    expect(calls.filter((c) => c.startsWith('gcloud sql operations wait'))).toEqual(Array(4).fill('gcloud sql operations wait op-1 --project=shop-prod --timeout=unlimited'));
  });

  test('SIGTERM during a long restore reaches the trap at once, which deletes the scratch instance', async () => {
    const calls = callsFile('sigterm');
    fs.rmSync(calls, { force: true });
    const child = spawn('bash', ['-c', fakeGcloud('no call fails', 30) + DRILL_SCRIPT], {
      env: { ...envOf(find('CronJob', backups.drill.name)), CALLS: calls, PATH: process.env.PATH ?? '' }, stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Wait until the script waits for the scratch instance's creation, then stop it like the Job's deadline.
    while (!(fs.existsSync(calls) && fs.readFileSync(calls, 'utf8').includes('operations wait'))) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGTERM');
    const code = await exited;
    expect(code).toBe(143);
    const made = readCalls(calls);
    // The script ended while the operation was still being waited for: the trap did not wait for it.
    expect(made).not.toContain('wait finished');
    expect(made[made.length - 1]).toMatch(/^gcloud sql instances delete inventory-api-prod-drill-\d{12} --project=shop-prod --async --quiet$/);
  }, 40_000);

  test('the dump exports the live database into the bucket from the model', () => {
    const cj = find('CronJob', backups.dumps.name);
    expect(envOf(cj)).toMatchObject({ LIVE_INSTANCE: 'inventory-api-prod', DUMPS: 'gs://shop-prod-inventory-api-prod-dumps/dumps/' });
    expect(podSpec(cj).containers[0].command[2]).toContain('sql_operation gcloud sql export sql "$LIVE_INSTANCE" "$OBJECT"');
  });

  test('egress only to Google APIs and the metadata server; DNS stays the namespace\'s', () => {
    const policy = find('NetworkPolicy', backups.drill.name);
    expect(policy.spec.policyTypes).toEqual(['Egress']);
    expect(policy.spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: '199.36.153.8/30' } }], ports: [{ protocol: 'TCP', port: 443 }] },
      { to: [{ ipBlock: { cidr: '169.254.169.254/32' } }], ports: [{ protocol: 'TCP', port: 80 }] },
    ]);
  });

  test('alerts on kube-state-metrics when a run failed or none succeeded for 32 days, routed by severity', () => {
    const rule = find('PrometheusRule', 'inventory-api-restore-drill-alerts');
    expect(rule.metadata.labels.release).toBe('prometheus');
    const rules = rule.spec.groups[0].rules as Json[];
    expect(rules.map((r) => r.alert)).toEqual(['DatabaseRestoreDrillFailed', 'DatabaseRestoreDrillOverdue', 'DatabaseDumpFailed', 'DatabaseDumpOverdue']);
    expect(rules[0].expr).toContain('kube_job_status_failed{namespace="shop-prod",job_name=~"inventory-api-restore-drill-[0-9]+"}');
    // A success is the CronJob's lastSuccessfulTime or the completion of any of its Jobs, a run by hand included.
    const success = 'max by (namespace) (kube_cronjob_status_last_successful_time{namespace="shop-prod",cronjob="inventory-api-restore-drill"} or kube_job_status_completion_time{namespace="shop-prod",job_name=~"inventory-api-restore-drill-.+"})';
    expect(rules[0].expr).toContain(`kube_job_status_start_time{namespace="shop-prod",job_name=~"inventory-api-restore-drill-[0-9]+"} > on (namespace) group_left () ${success}`);
    expect(rules[1].expr).toContain(`time() - ${success} > 2764800`);
    expect(rules.every((r) => r.labels.severity === 'critical')).toBe(true);
  });
});
