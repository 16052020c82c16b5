import { type AppGcpResources, type DatabaseRef } from './gcp-resources';

/** One database and every IAM database user that reaches it, as the model derives them. */
export interface DatabaseOwnership {
  readonly database: DatabaseRef;
  /** The IAM database users of the database: the owner environment's first, then the sharers' (the canary's). */
  readonly users: readonly string[];
}

/**
 * Each database of `resources`, with the IAM users of every environment that reaches it. The canary
 * connects to production's instance under its own user, so production's database has two.
 */
export function databaseOwnerships(resources: readonly AppGcpResources[]): DatabaseOwnership[] {
  const byInstance = new Map<string, { database: DatabaseRef; users: string[] }>();
  const ordered = [...resources.filter((r) => r.ownsData), ...resources.filter((r) => !r.ownsData)];
  for (const { database, identity } of ordered) {
    if (database === undefined || identity === undefined) continue;
    const entry = byInstance.get(database.connectionName) ?? { database, users: [] };
    if (!entry.users.includes(identity.sqlUser)) entry.users.push(identity.sqlUser);
    byInstance.set(database.connectionName, entry);
  }
  return [...byInstance.values()];
}

const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * The one-time SQL an admin runs as `postgres` on a database's instance, so that every IAM user of
 * the database acts as one owner role. PostgreSQL lets only an object's owner, or a member of the
 * owning role, ALTER or DROP it (https://www.postgresql.org/docs/current/ddl-priv.html), and Cloud
 * SQL gives a new IAM user no privileges (https://cloud.google.com/sql/docs/postgres/add-manage-iam-users):
 * without a shared owner the canary's `migrate` could not alter production's tables. `ALTER ROLE ...
 * SET role` makes each session of the user start as the owner, so objects any release creates are
 * the owner's (https://www.postgresql.org/docs/current/sql-alterrole.html). Terraform cannot run
 * SQL, so these statements are printed (the cluster stack's `database_owner_sql` output).
 */
export function databaseOwnerSql(ownership: DatabaseOwnership): string {
  const { database, users } = ownership;
  const owner = ident(database.ownerRole);
  return [
    `-- ${database.connectionName}: database ${database.databaseName}, as postgres`,
    `CREATE ROLE ${owner} NOLOGIN;`,
    // postgres may then SET ROLE to it, which ALTER ... OWNER TO requires.
    `GRANT ${owner} TO postgres;`,
    ...users.flatMap((u) => [`GRANT ${owner} TO ${ident(u)};`, `ALTER ROLE ${ident(u)} SET role = '${database.ownerRole}';`]),
    `ALTER DATABASE ${ident(database.databaseName)} OWNER TO ${owner};`,
    `\\connect ${ident(database.databaseName)}`,
    `ALTER SCHEMA public OWNER TO ${owner};`,
  ].join('\n');
}
