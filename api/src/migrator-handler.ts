/**
 * The migrator function (Lambda): the deploy's migration step. `pulumi up` invokes it whenever the
 * migrations change, before the API's tasks and the campaign function are updated
 * (stacks/migrator-function.ts). It applies the migrations and the roles' grants as the database's
 * owner, whose credentials (the RDS master secret, DB_SECRET_ARN) only this function may read.
 * Its failure fails the deploy, so new code never runs against an old schema.
 */
import { loadDatabaseProcessConfig } from "../../shared/src/config";
import { createLogger } from "../../shared/src/logger";
import { migrateDatabase } from "./migrate";

export async function handler(): Promise<{ applied: string[] }> {
  const config = loadDatabaseProcessConfig();
  const logger = createLogger({ level: config.logLevel, service: "migrator", env: config.appEnv });
  try {
    return { applied: await migrateDatabase(config, logger) };
  } catch (err) {
    logger.error({ err }, "migrations failed"); // the deploy reports the error message too
    throw err;
  }
}
