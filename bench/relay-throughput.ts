/**
 * Does publishing keep pace with registration? The API (its own process, as main.ts starts it)
 * takes registrations from autocannon at 50 connections for 20 s while its relay publishes them
 * with the real SNS client to the local SNS endpoint, answering after 0 ms and then 20 ms (a
 * Publish inside a region). Sampled every half second: the outbox backlog. Printed: the
 * registration rate, the publish rate during the burst, the largest backlog, and how long the
 * backlog took to drain once the burst stopped (target: under 5 s at 20 ms).
 * Run alone with `npx tsx bench/relay-throughput.ts`; `npm run bench` runs it with the others.
 */
/* eslint-disable no-console -- a benchmark prints its figures */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import knex from "knex";
import { startLocalPostgres } from "../local/embedded-postgres";
import { startSnsEndpoint } from "../local/aws/sns-endpoint";
import { outboxBacklog } from "../api/src/outbox/repository";
import { exited, nextMessage, startChild } from "./processes";
import { aBenchRegistration } from "./registration-body";

const CONNECTIONS = 50;
const BURST_S = 20;
const TARGET_DRAIN_S = 5;
const TOPIC_ARN = "arn:aws:sns:us-east-1:000000000000:bench-relay";

export interface RelayFigures {
  snsLatencyMs: number;
  registrationsPerSecond: number;
  publishedPerSecond: number;
  largestBacklog: number;
  drainSeconds: number;
}

export async function benchRelayThroughput(): Promise<RelayFigures[]> {
  const figures: RelayFigures[] = [];
  for (const latency of [0, 20]) figures.push(await burst(latency));
  console.log(`\nRelay throughput: ${CONNECTIONS} connections for ${BURST_S} s, ${os.cpus().length} CPUs shared by the API, PostgreSQL, autocannon and SNS`);
  console.log(`  ${"SNS latency".padEnd(13)}${"registered/s".padStart(14)}${"published/s".padStart(13)}${"max backlog".padStart(13)}${"drained in".padStart(12)}`);
  for (const f of figures) {
    console.log(
      `  ${`${f.snsLatencyMs} ms`.padEnd(13)}${f.registrationsPerSecond.toFixed(0).padStart(14)}${f.publishedPerSecond.toFixed(0).padStart(13)}` +
        `${String(f.largestBacklog).padStart(13)}${`${f.drainSeconds.toFixed(1)} s`.padStart(12)}` +
        (f.snsLatencyMs === 20 ? `   (target < ${TARGET_DRAIN_S} s: ${f.drainSeconds < TARGET_DRAIN_S ? "met" : "MISSED"})` : ""),
    );
  }
  return figures;
}

async function burst(snsLatencyMs: number): Promise<RelayFigures> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "ecom-bench-relay-"));
  const postgres = await startLocalPostgres({ dataDir: path.join(dir, "data"), persistent: false });
  const sns = await startSnsEndpoint({ topics: [TOPIC_ARN], latencyMs: snsLatencyMs });
  const db = knex({ client: "pg", connection: postgres.url(), pool: { min: 0, max: 1 } });
  const api = startChild("serve-api.ts", {
    DATABASE_URL: postgres.url(),
    PORT: "0",
    LOG_LEVEL: "warn",
    SNS_TOPIC_ARN: TOPIC_ARN,
    AWS_ENDPOINT_URL_SNS: sns.url,
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    ADMIN_API_KEY: "bench-admin-key-0123456789abcdef",
    UNSUBSCRIBE_SIGNING_KEY: "bench-unsubscribe-signing-key-0123456789abcdef",
    RATE_LIMIT_PER_CLIENT: "1000000000",
      RATE_LIMIT_REGISTRATIONS_PER_CLIENT: "1000000000",
  });
  try {
    const { url } = await nextMessage<{ url: string }>(api);
    let largestBacklog = 0;
    const sampler = setInterval(async () => {
      largestBacklog = Math.max(largestBacklog, (await outboxBacklog(db)).pending);
    }, 500);
    const acceptedBefore = sns.accepted();
    const result = await autocannon({
      url,
      connections: CONNECTIONS,
      duration: BURST_S,
      requests: [
        {
          method: "POST",
          path: "/customer-registration",
          headers: { "content-type": "application/json" },
          setupRequest: (request) => ({ ...request, body: JSON.stringify(aBenchRegistration()) }),
        },
      ],
    });
    const publishedDuringBurst = sns.accepted() - acceptedBefore;
    const stoppedAt = performance.now();
    while ((await outboxBacklog(db)).pending > 0) await new Promise((r) => setTimeout(r, 50));
    const drainSeconds = (performance.now() - stoppedAt) / 1000;
    clearInterval(sampler);
    api.send("stop");
    await nextMessage(api);
    return {
      snsLatencyMs,
      registrationsPerSecond: result["2xx"] / result.duration,
      publishedPerSecond: publishedDuringBurst / result.duration,
      largestBacklog,
      drainSeconds,
    };
  } finally {
    await exited(api);
    await db.destroy();
    await sns.stop();
    await postgres.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchRelayThroughput().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
