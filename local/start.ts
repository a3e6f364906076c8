/**
 * `npm start`: the platform on this machine, on embedded defaults. Whatever the environment
 * already sets wins (point DATABASE_URL at your own PostgreSQL, say); what it leaves unset is
 * provided here, the way the cloud stack provides it to the deployed services.
 */
/* eslint-disable no-console -- this is an interactive command: it talks to the person who ran it */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { loadApiConfig } from "../shared/src/config";
import { startApi } from "../api/src/main";
import { exitOnFatalErrors } from "../api/src/main";
import { createLogger } from "../shared/src/logger";
import { startLocalPostgres } from "./embedded-postgres";

const DATA_DIR = path.resolve(__dirname, "..", ".data");

async function main(): Promise<void> {
  const env = process.env;
  const stops: (() => Promise<void>)[] = [];

  if (!env.DATABASE_URL && !env.DB_HOST) {
    const postgres = await startLocalPostgres({ dataDir: path.join(DATA_DIR, "postgres"), persistent: true });
    stops.unshift(() => postgres.stop());
    env.DATABASE_URL = postgres.url();
  }
  env.SNS_TOPIC_ARN ??= "arn:aws:sns:us-east-1:000000000000:ecom-local-customer-events";
  if (!env.ADMIN_API_KEY && !env.ADMIN_API_KEY_SECRET_ARN) env.ADMIN_API_KEY = randomBytes(24).toString("base64url");
  if (!env.UNSUBSCRIBE_SIGNING_KEY && !env.UNSUBSCRIBE_SIGNING_KEY_SECRET_ARN) {
    env.UNSUBSCRIBE_SIGNING_KEY = await localSecret("unsubscribe-signing-key");
  }

  const config = loadApiConfig(env);
  const logger = createLogger({ level: config.logLevel, service: "api", env: config.appEnv });
  exitOnFatalErrors(logger);
  const api = await startApi(config, { logger });
  stops.unshift(() => api.stop());

  console.log(`
  e_com is running locally
    API          ${api.url}
    Swagger UI   ${api.url}/docs
    OpenAPI      ${api.url}/openapi.json
    Admin key    ${env.ADMIN_API_KEY ?? "(from ADMIN_API_KEY_SECRET_ARN)"}   (x-api-key header for /campaigns)
    Database     ${redactPassword(config.database.kind === "url" ? config.database.url : `${config.database.host}`)}
  Press Ctrl+C to stop.
`);

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, async () => {
      for (const stop of stops) await stop().catch((err) => logger.error({ err }, "stop failed"));
      process.exit(0);
    });
  }
}

/** A key that must outlive restarts (signed unsubscribe links), kept in the git-ignored .data folder. */
async function localSecret(name: string): Promise<string> {
  const file = path.join(DATA_DIR, `${name}.txt`);
  try {
    return (await readFile(file, "utf8")).trim();
  } catch {
    const value = randomBytes(32).toString("base64url");
    await mkdir(DATA_DIR, { recursive: true });
    await writeFile(file, value, { mode: 0o600 });
    return value;
  }
}

function redactPassword(url: string): string {
  return url.replace(/:\/\/([^:/@]+):[^@]+@/, "://$1:***@");
}

main().catch((err) => {
  console.error(`npm start failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
