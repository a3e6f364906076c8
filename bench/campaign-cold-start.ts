/**
 * The campaign Lambda's bundle size and cold start: a fresh `node` process per run requires the
 * esbuild bundle and handles its first event against the local SES endpoint and embedded PostgreSQL,
 * as a new Lambda execution environment would (the AWS SDK comes from node_modules here, from the
 * runtime there). Targets: bundle under 1 MB, load + first event under 200 ms.
 * Run alone with `npx tsx bench/campaign-cold-start.ts`; `bench/run.ts` calls `main`.
 */
/* eslint-disable no-console -- a benchmark prints its figures */
import { execFile } from "node:child_process";
import { mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { buildCampaignBundle } from "../campaign/build";
import { aCampaign } from "../api/test/support/campaign-builders";
import { aCustomer, PUBLIC_BASE_URL, registeredEvent, SENDER_EMAIL, TEST_SIGNING_KEY } from "../campaign/test/support/welcome-fixture";
import { startSesEndpoint } from "../local/aws/ses-endpoint";
import { createTestDatabase, stopTestPostgres } from "../shared/testing/test-database";

const RUNS = 7;
const ROOT = path.resolve(__dirname, "..");

export interface ColdStartFigures {
  bundleBytes: number;
  /** Medians over the runs, in milliseconds. */
  sdkLoadMs: number;
  loadMs: number;
  firstEventMs: number;
  /** Loading the bundle and handling the first event (the AWS SDK's own load excluded). */
  coldStartMs: number;
}

// Runs in the fresh process. The AWS SDK is timed apart: the Lambda runtime provides it, and the
// target is for our code (the bundle) loading and handling the first event.
const PROBE = `
const t0 = performance.now();
require("@aws-sdk/client-ses");
require("@aws-sdk/client-secrets-manager");
require("@aws-sdk/client-sqs");
const t1 = performance.now();
const { handler } = require(process.env.BUNDLE);
const t2 = performance.now();
handler(JSON.parse(process.env.EVENT)).then(() => {
  process.stdout.write(JSON.stringify({ sdkMs: t1 - t0, loadMs: t2 - t1, firstEventMs: performance.now() - t2 }));
  process.exit(0);
});`;

interface ProbeTimes {
  sdkMs: number;
  loadMs: number;
  firstEventMs: number;
}

export async function measureCampaignColdStart(): Promise<ColdStartFigures> {
  const outDir = await mkdtemp(path.join(os.tmpdir(), "ecom-campaign-bundle-"));
  const database = await createTestDatabase();
  const mailbox = await startSesEndpoint();
  try {
    const bundle = await buildCampaignBundle(outDir);
    await database.db("campaigns").insert(aCampaign({ name: "Cold start sale" }));
    const env = {
      PATH: process.env.PATH,
      NODE_PATH: path.join(ROOT, "node_modules"), // where the Lambda runtime would provide @aws-sdk/*
      BUNDLE: bundle,
      DATABASE_URL: database.campaignUrl, // as the function connects: its own role
      DB_POOL_MAX: "1",
      SENDER_EMAIL,
      PUBLIC_BASE_URL,
      UNSUBSCRIBE_SIGNING_KEY: TEST_SIGNING_KEY,
      LOG_LEVEL: "warn",
      AWS_REGION: "us-east-1",
      AWS_ENDPOINT_URL_SES: mailbox.url,
      DEAD_LETTER_QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/000000000000/unused", // no poison here
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
    };
    const runs: ProbeTimes[] = [];
    for (let i = 0; i < RUNS; i++) {
      const customer = await aCustomer(database.db); // a new customer each time: a real first email
      const { stdout } = await promisify(execFile)(process.execPath, ["-e", PROBE], {
        env: { ...env, EVENT: JSON.stringify(registeredEvent(customer)) },
      });
      runs.push(JSON.parse(stdout));
      if ((await mailbox.emails(customer.email)).length !== 1) throw new Error("a cold start did not send its welcome email");
    }
    return {
      bundleBytes: (await stat(bundle)).size,
      sdkLoadMs: median(runs.map((r) => r.sdkMs)),
      loadMs: median(runs.map((r) => r.loadMs)),
      firstEventMs: median(runs.map((r) => r.firstEventMs)),
      coldStartMs: median(runs.map((r) => r.loadMs + r.firstEventMs)),
    };
  } finally {
    await mailbox.stop();
    await database.destroy();
    await rm(outDir, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export async function main(): Promise<ColdStartFigures> {
  const figures = await measureCampaignColdStart().finally(() => stopTestPostgres());
  const kb = (figures.bundleBytes / 1024).toFixed(0);
  const ms = (n: number) => n.toFixed(0);
  console.log(`campaign Lambda bundle     ${kb} KiB (target < 1 MiB, AWS SDK excluded)`);
  console.log(
    `campaign Lambda cold start ${ms(figures.coldStartMs)} ms (target < 200 ms; medians of ${RUNS} fresh processes: ` +
      `load ${ms(figures.loadMs)} ms, first event ${ms(figures.firstEventMs)} ms; loading the AWS SDK took ${ms(figures.sdkLoadMs)} ms more)`,
  );
  return figures;
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
