import { at } from '../../manifest/json-access';
import { block, type Finding, resources, type RuleContext, tfFinding } from './types';

const T = 'google_sql_database_instance';

/** Every Cloud SQL instance backs up, keeping 14 to 28 backups. */
export function gcpSqlBackups(ctx: RuleContext): Finding[] {
  return ctx.stacks.flatMap((s) =>
    resources(s, T).flatMap(([name, i]) => {
      const backup = block(at(block(i.settings), 'backup_configuration'));
      if (at(backup, 'enabled') !== true) {
        return [tfFinding(s, T, name, 'gcp-sql-backups', 'does not enable backups', 'set settings.backup_configuration.enabled to true')];
      }
      const kept = at(block(at(backup, 'backup_retention_settings')), 'retained_backups');
      if (typeof kept !== 'number' || kept < 14 || kept > 28) {
        return [tfFinding(s, T, name, 'gcp-sql-backups', `retains ${kept === undefined ? 'the default number of' : String(kept)} backups, not 14 to 28`, 'set backup_retention_settings.retained_backups from 14 to 28')];
      }
      return [];
    }),
  );
}
