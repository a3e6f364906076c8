/**
 * Applies pending Knex migrations. Every API task calls this at start-up; a PostgreSQL advisory
 * lock makes concurrent starts wait for each other instead of failing on Knex's own lock table.
 * Run directly (`npm run migrate`) to apply them on demand.
 */
import { readdir } from "node:fs/promises";
import path from "node:path";
import { Knex } from "knex";
import { loadDatabaseProcessConfig } from "../../shared/src/config";
import { createDatabase, Database } from "../../shared/src/database";
import { createLogger } from "../../shared/src/logger";

const MIGRATION_LOCK_KEY = 4_210_001; // arbitrary, fixed: every process must use the same key

const MIGRATIONS_DIR = path.join(__dirname, "..", "migrations");
// Migrations are TypeScript in the repository and compiled JavaScript in the image.
const EXTENSION = path.extname(__filename);

/**
 * Knex would record each migration under its file name, extension included, so a database migrated
 * from the repository (`.ts`) would look corrupt to the image (`.js`). Names are recorded without it.
 */
export const migrationSource: Knex.MigrationSource<string> = {
  async getMigrations() {
    return (await readdir(MIGRATIONS_DIR)).filter((file) => path.extname(file) === EXTENSION).sort();
  },
  getMigrationName: (file) => path.basename(file, EXTENSION),
  // require, not import(): the test runner loads TypeScript through a CommonJS hook.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  getMigration: async (file) => require(path.join(MIGRATIONS_DIR, file)),
};

export const migrationConfig: Knex.MigratorConfig = { migrationSource };

export async function migrateToLatest(db: Database): Promise<string[]> {
  return db.transaction(async (trx) => {
    await trx.raw("SELECT pg_advisory_xact_lock(?)", [MIGRATION_LOCK_KEY]);
    const [, applied] = (await db.migrate.latest(migrationConfig)) as [number, string[]];
    return applied;
  });
}

async function main(): Promise<void> {
  const config = loadDatabaseProcessConfig();
  const logger = createLogger({ level: config.logLevel, service: "migrate", env: config.appEnv });
  const db = createDatabase(config.database, { region: config.awsRegion, logger });
  try {
    const applied = await migrateToLatest(db);
    logger.info({ applied }, applied.length ? "migrations applied" : "database already up to date");
  } finally {
    await db.destroy();
  }
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
