import { type AppConfig, type PlatformConfig } from '../../lib/model/config';
import { definePlatform } from '../../lib/model/platform';
import { isMonthlySchedule, meetsSqlWindows, retentionDays } from '../../lib/model/database-backups';
import { platformConfig } from '../fixtures/shop/platform';

type Backups = NonNullable<AppConfig['needs']>['database'] extends infer D ? D extends { backups: infer B } ? B : never : never;

/** The fixture with inventory-api's backups config replaced. */
function withBackups(backups: Backups): PlatformConfig {
  return {
    ...platformConfig,
    apps: platformConfig.apps.map((a) => (a.needs?.database ? { ...a, needs: { ...a.needs, database: { ...a.needs.database, backups } } } : a)),
  };
}

describe('the operations image', () => {
  test('defaults to the gcloud image, and takes a copy pinned by digest', () => {
    expect(definePlatform(platformConfig).operationsImage).toBe('gcr.io/google.com/cloudsdktool/google-cloud-cli:stable');
    const pinned = `europe-west1-docker.pkg.dev/shop-platform/mirror/google-cloud-cli@sha256:${'c'.repeat(64)}`;
    expect(definePlatform({ ...platformConfig, operationsImage: pinned }).operationsImage).toBe(pinned);
  });

  test.each(['google-cloud-cli', 'gcr.io/google.com/cloudsdktool/google-cloud-cli:latest', 'gcr.io/x/gcloud@sha256:abc', 'GCR.io/x/gcloud:1'])('refuses %s in one line', (image) => {
    expect(() => definePlatform({ ...platformConfig, operationsImage: image })).toThrow(
      new RegExp(`^config error: field "operationsImage": value "${image.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" is not an image reference with a tag other than latest, or a digest; fix: use a Google Cloud CLI image such as \\S+, or a copy pinned as <registry>/<path>@sha256:<64 hex digits>$`),
    );
  });
});

describe('database backups in the model', () => {
  const platform = definePlatform(platformConfig);

  test('only the production environment, which owns its data, gets backups; never the canary or dev', () => {
    const withBackupsIn = platform.environments.filter((e) => platform.instances(e).some((i) => i.backups !== undefined)).map((e) => e.name);
    expect(withBackupsIn).toEqual([platform.production.name]);
  });

  test('derives every name once, with the documented defaults', () => {
    const prod = platform.instances(platform.production).find((i) => i.backups !== undefined)?.backups;
    expect(prod).toMatchObject({
      bucket: 'shop-prod-inventory-api-prod-dumps',
      network: 'projects/shop-prod/global/networks/prod',
      // The live instance's tier (production's database settings), so the backup fits.
      tier: 'db-custom-2-7680',
      drill: { name: 'inventory-api-restore-drill', scratchPrefix: 'inventory-api-prod-drill', schedule: '0 7 1 * *', maxDriftPercent: 5, tables: ['items', 'stock_levels'] },
      dumps: { name: 'inventory-api-db-dump', retentionMonths: 12, retentionDays: 366, schedule: '0 7 15 * *' },
    });
    expect(prod?.drill.identity.email).toBe('inventory-api-prod-drill@shop-prod.iam.gserviceaccount.com');
    expect(prod?.drill.identity.kubernetesServiceAccount).toEqual({ namespace: 'shop-prod', name: 'inventory-api-restore-drill' });
    expect(prod?.dumps.identity.accountId).toBe('inventory-api-prod-dump');
  });

  test('retention in months becomes days: 6 → 183, 12 → 366', () => {
    expect(retentionDays(6)).toBe(183);
    expect(retentionDays(12)).toBe(366);
  });

  test('a monthly schedule has a fixed minute, hour and day from 1 to 28', () => {
    expect(isMonthlySchedule('0 4 1 * *')).toBe(true);
    expect(isMonthlySchedule('30 23 28 * *')).toBe(true);
    expect(isMonthlySchedule('0 4 * * 1')).toBe(false);
    expect(isMonthlySchedule('0 4 31 * *')).toBe(false);
    expect(isMonthlySchedule('*/5 * * * *')).toBe(false);
  });

  test('the jobs keep out of the daily backup window (02:00 to 06:00 UTC) and the maintenance hour, where an export is refused', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 23].map(meetsSqlWindows)).toEqual([false, false, true, true, true, true, false, false, false]);
    expect(() => definePlatform(withBackups({ drill: { tables: ['items'], schedule: '0 6 1 * *' }, dumps: { schedule: '0 1 15 * *' } }))).not.toThrow();
  });

  test.each([
    ['a retention outside 6..12 months', { drill: { tables: ['items'] }, dumps: { retentionMonths: 24 } }, /needs\.database\.backups\.dumps\.retentionMonths.*24.*keep dumps 6 to 12 months/],
    ['a retention below 6 months', { drill: { tables: ['items'] }, dumps: { retentionMonths: 3 } }, /retentionMonths.*3/],
    ['no tables', { drill: { tables: [] } }, /needs\.database\.backups\.drill\.tables.*is empty/],
    ['a table that is not an identifier', { drill: { tables: ['items; drop table x'] } }, /drill\.tables\[0\].*is not a lowercase table name/],
    ['a weekly drill', { drill: { tables: ['items'], schedule: '0 4 * * 1' } }, /drill\.schedule.*is not a monthly cron schedule/],
    ['a drill in the backup window', { drill: { tables: ['items'], schedule: '0 4 1 * *' } }, /drill\.schedule.*"0 4 1 \* \*".*starts in the daily backup window \(2:00 to 6:00 UTC\)/],
    ['a dump in the backup window', { drill: { tables: ['items'] }, dumps: { schedule: '30 2 15 * *' } }, /dumps\.schedule.*starts in the daily backup window/],
  ])('%s is a one-line config error', (_what, backups, message) => {
    let error: unknown;
    try { definePlatform(withBackups(backups)); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(Error);
    const text = (error as Error).message;
    expect(text).toMatch(message);
    expect(text.split('\n')).toHaveLength(1);
  });
});
