import { check, fixtureFiles, get, type Json, mutateJson, mutateYaml, of } from './helpers';

const DRILL = 'kubernetes/prod/cronjob-inventory-api-restore-drill.yaml';
const DUMP = 'kubernetes/prod/cronjob-inventory-api-db-dump.yaml';
const DRILL_KSA = 'kubernetes/prod/serviceaccount-inventory-api-restore-drill.yaml';
const PROD_STACK = 'terraform/cluster-prod/main.tf.json';
const BUCKET = 'backups_inventory_api_prod_bucket';

const lines = (rule: string, files: ReturnType<typeof fixtureFiles>): string[] => of(rule, files).map((v) => `${v.file} ${v.object}: ${v.message}`);
const container = (o: Json): Json => (get(o, 'spec', 'jobTemplate', 'spec', 'template', 'spec').containers as Json[])[0];
const setEnv = (o: Json, name: string, value: string): void => {
  const env = container(o).env as Json[];
  (env.find((e) => e.name === name) as Json).value = value;
};
const resources = (o: Json, type: string): Json => get(o, 'resource', type);

describe('production databases have a restore drill and dumps (docs/backups.md)', () => {
  test('the fixture passes backup-drill and dump-retention', () => {
    expect(check(fixtureFiles()).violations.filter((v) => v.rule === 'backup-drill' || v.rule === 'dump-retention')).toEqual([]);
  });

  test('backup-drill: a production database without a drill', () => {
    const files = fixtureFiles().filter((f) => f.path !== DRILL);
    expect(lines('backup-drill', files)).toEqual([
      `${PROD_STACK} google_sql_database_instance.databases_inventory_api_prod_instance: is a production database with no restore drill CronJob in kubernetes/prod`,
    ]);
  });

  test('backup-drill: a scratch prefix the live instance matches, no tables, no trap, a weekly schedule', () => {
    const files = mutateYaml(DRILL, (o) => {
      setEnv(o, 'SCRATCH_PREFIX', 'inventory-api');
      setEnv(o, 'COUNT_QUERY', '');
      const command = container(o).command as string[];
      command[2] = command[2].replace('trap cleanup EXIT', '');
      get(o, 'spec').schedule = '0 4 * * 1';
      get(o, 'spec').concurrencyPolicy = 'Allow';
    });
    const it = `${DRILL} CronJob/inventory-api-restore-drill`;
    expect(lines('backup-drill', files)).toEqual([
      `${it}: restores into scratch instances "inventory-api-*", a name the live instance inventory-api-prod matches`,
      `${it}: compares no table with the live data (COUNT_QUERY is empty)`,
      `${it}: does not delete its scratch instance in an EXIT trap`,
      `${it}: runs on "0 4 * * 1", not monthly`,
      `${it}: may run twice at once`,
      // The IAM condition is on the real prefix, which no longer matches.
      `${it}: acts as backups_inventory_api_prod_drill, which Terraform does not grant cloudsql.instances.create, cloudsql.instances.restoreBackup, cloudsql.instances.delete`,
    ]);
  });

  test('backup-drill: its KSA must be bound, and its account granted the restore', () => {
    const unbound = mutateJson(PROD_STACK, (s) => {
      const members = resources(s, 'google_service_account_iam_member');
      delete members.backups_inventory_api_prod_drill_workload_identity_user;
    });
    expect(lines('backup-drill', unbound)).toEqual([
      `${DRILL} CronJob/inventory-api-restore-drill: runs as KSA shop-prod/inventory-api-restore-drill, which no Workload Identity binding lets act as inventory-api-prod-drill@shop-prod.iam.gserviceaccount.com`,
    ]);
    const unannotated = mutateYaml(DRILL_KSA, (o) => { delete get(o, 'metadata').annotations; });
    expect(lines('backup-drill', unannotated)).toEqual([
      `${DRILL} CronJob/inventory-api-restore-drill: runs as KSA "inventory-api-restore-drill", which has no iam.gke.io/gcp-service-account annotation`,
    ]);
    const ungranted = mutateJson(PROD_STACK, (s) => {
      const roles = resources(s, 'google_project_iam_custom_role');
      const scratch = Object.values(roles).find((r) => String((r as Json).role_id).startsWith('backupDrillScratch')) as Json;
      scratch.permissions = ['cloudsql.instances.get'];
    });
    expect(lines('backup-drill', ungranted)).toEqual([
      `${DRILL} CronJob/inventory-api-restore-drill: acts as backups_inventory_api_prod_drill, which Terraform does not grant cloudsql.instances.create, cloudsql.instances.restoreBackup, cloudsql.instances.delete`,
    ]);
  });

  test('backup-drill: the backups must be readable, which a condition on the Instance type does not allow', () => {
    const setSourceCondition = (expression: string) => mutateJson(PROD_STACK, (s) => {
      get(get(resources(s, 'google_project_iam_member'), 'backups_inventory_api_prod_drill_source_role'), 'condition').expression = expression;
    });
    const live = 'projects/shop-prod/instances/inventory-api-prod';
    expect(lines('backup-drill', setSourceCondition(`resource.name == "${live}" || resource.name.startsWith("${live}/backupRuns/")`))).toEqual([]);
    expect(lines('backup-drill', setSourceCondition(`resource.type == "sqladmin.googleapis.com/Instance" && resource.name == "${live}"`))).toEqual([
      `${DRILL} CronJob/inventory-api-restore-drill: acts as backups_inventory_api_prod_drill, which Terraform does not grant cloudsql.backupRuns.list, cloudsql.backupRuns.get`,
    ]);
  });

  test('dump-retention: the lifecycle age is within 180 to 366 days', () => {
    const setAge = (age: number) => mutateJson(PROD_STACK, (s) => {
      const rule = (get(resources(s, 'google_storage_bucket'), BUCKET).lifecycle_rule as Json[])[0];
      get(rule, 'condition').age = age;
    });
    expect(lines('dump-retention', setAge(366))).toEqual([]);
    expect(lines('dump-retention', setAge(180))).toEqual([]);
    expect(lines('dump-retention', setAge(30))).toEqual([
      `${PROD_STACK} google_storage_bucket.${BUCKET}: deletes dumps after 30 days, not after 180 to 366`,
    ]);
    expect(lines('dump-retention', setAge(400))).toEqual([
      `${PROD_STACK} google_storage_bucket.${BUCKET}: deletes dumps after 400 days, not after 180 to 366`,
    ]);
  });

  test('dump-retention: the dump writes to that bucket, which the instance\'s service agent may write', () => {
    const elsewhere = mutateYaml(DUMP, (o) => setEnv(o, 'DUMPS', 'gs://somewhere-else/dumps/'));
    expect(lines('dump-retention', elsewhere)).toEqual([
      `${DUMP} CronJob/inventory-api-db-dump: writes to gs://somewhere-else, which stack cluster-prod does not create`,
    ]);
    const noAgent = mutateJson(PROD_STACK, (s) => {
      delete resources(s, 'google_storage_bucket_iam_member').backups_inventory_api_prod_instance_agent_writes;
    });
    expect(lines('dump-retention', noAgent)).toEqual([
      `${PROD_STACK} google_storage_bucket.${BUCKET}: does not let the service agent of inventory-api-prod, which writes the export, create objects`,
    ]);
    const missing = fixtureFiles().filter((f) => f.path !== DUMP);
    expect(lines('dump-retention', missing)).toEqual([
      `${PROD_STACK} google_sql_database_instance.databases_inventory_api_prod_instance: is a production database with no dump CronJob in kubernetes/prod`,
    ]);
  });
});
