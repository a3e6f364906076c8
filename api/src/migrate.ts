/**
 * The schema's own step, run with the credentials of the role that owns the schema, never a
 * service's: `npm run migrate` here, the migrator function on AWS (migrator-handler.ts). It applies
 * pending Knex migrations, then the services' roles and their grants (database-roles/). A
 * PostgreSQL advisory lock makes concurrent runs wait for each other. The API only checks, at
 * start-up, that nothing is pending (`pendingMigrations`).
 */
import { Knex } from "knex";
import { DatabaseProcessConfig, loadDatabaseProcessConfig } from "../../shared/src/config";
import { createDatabase, Database } from "../../shared/src/database";
import { createLogger, Logger } from "../../shared/src/logger";
import { applyRoleGrants } from "./database-roles/apply-role-grants";
import { loadMigrationFiles } from "./migration-files";

const MIGRATION_LOCK_KEY = 4_210_001; // arbitrary, fixed: every process must use the same key
const UNDEFINED_TABLE = "42P01";

/**
 * Knex would record each migration under its file name, extension included, so a database migrated
 * from the repository (`.ts`) would look corrupt to the image (`.js`). Names are recorded without it.
 */
export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => (await loadMigrationFiles()).map((file) => file.name),
  getMigrationName: (name) => name,
  getMigration: async (name) => (await loadMigrationFiles()).find((file) => file.name === name)!.migration,
};

export const migrationConfig: Knex.MigratorConfig = { migrationSource };

/** Applies pending migrations and the roles' grants; returns the migrations applied. */
export async function migrateToLatest(db: Database): Promise<string[]> {
  return db.transaction(async (trx) => {
    await trx.raw("SELECT pg_advisory_xact_lock(?)", [MIGRATION_LOCK_KEY]);
    const [, applied] = (await db.migrate.latest(migrationConfig)) as [number, string[]];
    await applyRoleGrants(trx);
    return applied;
  });
}

/**
 * Migrations of this code not yet applied to the database, read without changing anything (Knex's
 * own status would create its tables), so a role without DDL can ask.
 */
export async function pendingMigrations(db: Database): Promise<string[]> {
  const names = (await loadMigrationFiles()).map((file) => file.name);
  const applied: string[] = await db("knex_migrations")
    .pluck("name")
    .catch((err: { code?: string }) => {
      if (err.code === UNDEFINED_TABLE) return []; // never migrated
      throw err;
    });
  return names.filter((name) => !applied.includes(name));
}

export class PendingMigrationsError extends Error {
  constructor(readonly pending: string[]) {
    super(
      `The database schema is behind this code: ${pending.length} migration(s) not applied (${pending.join(", ")}). ` +
        "Apply them with the schema owner's credentials first: `npm run migrate`, or on AWS the deploy's migration step " +
        "(the migrator function, docs/deploy.md). The services' roles cannot change the schema.",
    );
    this.name = "PendingMigrationsError";
  }
}

/** Refuses to go on against a schema that lacks some of this code's migrations. */
export async function assertNoPendingMigrations(db: Database): Promise<void> {
  const pending = await pendingMigrations(db);
  if (pending.length) throw new PendingMigrationsError(pending);
}

/** One migration run on the configured database (`npm run migrate`, the migrator function). */
export async function migrateDatabase(config: DatabaseProcessConfig, logger: Logger): Promise<string[]> {
  const db = createDatabase(config.database, { region: config.awsRegion, logger });
  try {
    const applied = await migrateToLatest(db);
    logger.info({ applied }, applied.length ? "migrations applied" : "database already up to date");
    return applied;
  } finally {
    await db.destroy();
  }
}

async function main(): Promise<void> {
  const config = loadDatabaseProcessConfig();
  await migrateDatabase(config, createLogger({ level: config.logLevel, service: "migrate", env: config.appEnv }));
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
