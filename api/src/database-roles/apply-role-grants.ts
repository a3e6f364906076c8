/**
 * Makes the services' roles exist and hold exactly ROLE_GRANTS. Runs in the transaction that holds
 * the migration lock, after the migrations (migrate.ts), so a new table is granted in the run that
 * creates it. Idempotent: every run revokes what the roles hold in the schema and grants the list
 * again, so a privilege taken off the list is gone after the next run.
 *
 * Roles belong to the server, not to one database: several databases of one server (the test
 * suites') may create them at once, and whichever loses the race finds them created.
 */
import { Knex } from "knex";
import { Grant, ROLE_GRANTS } from "./role-grants";

const SCHEMA = "public";
/** duplicate_object, or the catalog's unique index when another database's run created the role first. */
const ALREADY_CREATED = new Set(["42710", "23505"]);
/** On RDS: members log in with IAM tokens only (rds-db:connect), never with a password. */
const RDS_IAM = "rds_iam";
const TABLE_PRIVILEGES = new Set(["SELECT", "INSERT", "UPDATE", "DELETE"]);

export async function applyRoleGrants(trx: Knex.Transaction): Promise<void> {
  const database = (await trx.raw("SELECT current_database() AS name")).rows[0].name as string;
  // Defaults every role would otherwise get: CONNECT and TEMP on the database, CREATE on the
  // schema (PostgreSQL before 15). Only the roles named below may connect.
  await trx.raw("REVOKE ALL ON DATABASE ?? FROM PUBLIC", [database]);
  await trx.raw("REVOKE CREATE ON SCHEMA ?? FROM PUBLIC", [SCHEMA]);
  for (const [role, grants] of Object.entries(ROLE_GRANTS)) {
    await createRoleIfMissing(trx, role);
    await allowIamLogin(trx, role);
    await trx.raw("REVOKE ALL ON ALL TABLES IN SCHEMA ?? FROM ??", [SCHEMA, role]);
    await trx.raw("REVOKE ALL ON ALL SEQUENCES IN SCHEMA ?? FROM ??", [SCHEMA, role]);
    await trx.raw("GRANT CONNECT ON DATABASE ?? TO ??", [database, role]);
    await trx.raw("GRANT USAGE ON SCHEMA ?? TO ??", [SCHEMA, role]);
    for (const [table, privileges] of Object.entries(grants.tables)) {
      const { sql, columns } = privilegeList(privileges);
      await trx.raw(`GRANT ${sql} ON TABLE ??.?? TO ??`, [...columns, SCHEMA, table, role]);
    }
    for (const sequence of grants.sequences) await trx.raw("GRANT USAGE ON SEQUENCE ??.?? TO ??", [SCHEMA, sequence, role]);
  }
}

async function createRoleIfMissing(trx: Knex.Transaction, role: string): Promise<void> {
  if ((await trx.raw("SELECT 1 FROM pg_roles WHERE rolname = ?", [role])).rows.length) return;
  try {
    // A savepoint: losing the race must not abort the migration's transaction.
    await trx.transaction((savepoint) =>
      savepoint.raw("CREATE ROLE ?? LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS", [role]),
    );
  } catch (err) {
    if (!ALREADY_CREATED.has((err as { code?: string }).code ?? "")) throw err;
  }
}

async function allowIamLogin(trx: Knex.Transaction, role: string): Promise<void> {
  const { rows } = await trx.raw("SELECT pg_has_role(?, rolname, 'MEMBER') AS member FROM pg_roles WHERE rolname = ?", [role, RDS_IAM]);
  if (rows.length === 1 && !rows[0].member) await trx.raw("GRANT ?? TO ??", [RDS_IAM, role]);
}

/** `SELECT, UPDATE ("a", "b")` with its column identifiers as bindings (quoted by knex, never spliced in). */
function privilegeList(privileges: readonly Grant[]): { sql: string; columns: string[] } {
  for (const p of privileges) if (typeof p === "string" && !TABLE_PRIVILEGES.has(p)) throw new Error(`not a table privilege: ${p}`);
  const columns = privileges.flatMap((p) => (typeof p === "string" ? [] : p.update));
  const sql = privileges.map((p) => (typeof p === "string" ? p : `UPDATE (${p.update.map(() => "??").join(", ")})`)).join(", ");
  return { sql, columns };
}
