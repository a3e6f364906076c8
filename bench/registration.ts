/**
 * Registration throughput: autocannon drives POST /customer-registration on the real API (its own
 * process, started by `startApi`, LOG_LEVEL=warn) at 50 connections, then a bare `pg` Pool of the
 * same size runs the same insert transaction at the same concurrency as the ceiling. Each side has
 * a fresh database on one embedded PostgreSQL. Targets: API ≥ 60% of raw, API p99 < 30 ms.
 * Run alone with `npx tsx bench/registration.ts`; `npm run bench` runs it with the others.
 */
/* eslint-disable no-console -- a benchmark prints its figures */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import knex from "knex";
import { loadApiConfig } from "../shared/src/config";
import { startLocalPostgres } from "../local/embedded-postgres";
import { startSnsEndpoint } from "../local/aws/sns-endpoint";
import { exited, nextMessage, startChild } from "./processes";
import { migrateToLatest } from "../api/src/migrate";
import { RawFigures, RawRun } from "./raw-registrations";
import { aBenchRegistration } from "./registration-body";

const CONNECTIONS = 50;
const DURATION_S = 10;
const WARMUP_S = 2;
const TARGET_RATIO = 0.6;
const TARGET_P99_MS = 30;

export interface Figures {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  peakRssMb: number;
  failed: number;
}

export interface RegistrationFigures {
  api: Figures;
  raw: Figures;
  /** API requests/s over raw transactions/s. */
  ratio: number;
}

export async function benchRegistration(): Promise<RegistrationFigures> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "ecom-bench-pg-"));
  const postgres = await startLocalPostgres({ dataDir: path.join(dir, "data"), persistent: false });
  const topicArn = "arn:aws:sns:us-east-1:000000000000:bench";
  const sns = await startSnsEndpoint({ topics: [topicArn], latencyMs: 20 }); // SNS in a region: about 20 ms
  try {
    await postgres.createDatabase("bench_api");
    await postgres.createDatabase("bench_raw");
    const apiEnv = {
      DATABASE_URL: postgres.url("bench_api"),
      PORT: "0",
      LOG_LEVEL: "warn",
      SNS_TOPIC_ARN: topicArn,
      AWS_ENDPOINT_URL_SNS: sns.url,
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      ADMIN_API_KEY: "bench-admin-key-0123456789abcdef",
      UNSUBSCRIBE_SIGNING_KEY: "bench-unsubscribe-signing-key-0123456789abcdef",
      RATE_LIMIT_PER_CLIENT: "1000000000", // every request comes from one address here
      RATE_LIMIT_REGISTRATIONS_PER_CLIENT: "1000000000",
    };
    const poolMax = loadApiConfig(apiEnv).database.poolMax;

    const api = await measureApi(apiEnv);
    const raw = await measureRaw({ databaseUrl: postgres.url("bench_raw"), poolMax, concurrency: CONNECTIONS, warmupMs: WARMUP_S * 1000, durationMs: DURATION_S * 1000 });
    const figures = { api, raw, ratio: api.perSecond / raw.perSecond };
    printFigures(figures, poolMax);
    return figures;
  } finally {
    await sns.stop();
    await postgres.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

async function measureApi(env: Record<string, string>): Promise<Figures> {
  const child = startChild("serve-api.ts", env);
  const { url } = await nextMessage<{ url: string }>(child);
  const load = (duration: number) =>
    autocannon({
      url,
      connections: CONNECTIONS,
      duration,
      requests: [
        {
          method: "POST",
          path: "/customer-registration",
          // As through the load balancer: the client address arrives in X-Forwarded-For.
          headers: { "content-type": "application/json", "x-forwarded-for": "198.51.100.7" },
          setupRequest: (request) => ({ ...request, body: JSON.stringify(aBenchRegistration()) }),
        },
      ],
    });
  await load(WARMUP_S);
  const result = await load(DURATION_S);
  // autocannon drops its connections at the end with requests still queued for a pool connection;
  // stop() would abort those (it waits for connections, not for handlers), so let them finish first.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  child.send("stop");
  const { maxRssKb } = await nextMessage<{ maxRssKb: number }>(child);
  await exited(child); // its connections are closed only then
  return {
    perSecond: result["2xx"] / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    peakRssMb: maxRssKb / 1024,
    failed: result.non2xx + result.errors + result.timeouts,
  };
}

async function measureRaw(run: RawRun): Promise<Figures> {
  const db = knex({ client: "pg", connection: run.databaseUrl });
  await migrateToLatest(db).finally(() => db.destroy());
  const child = startChild("raw-registrations.ts", {});
  child.send(run);
  const raw = await nextMessage<RawFigures>(child);
  await exited(child); // pg's pool.end() resolves before its sockets close; stopping PostgreSQL sooner makes them fail
  return { perSecond: raw.perSecond, p50Ms: raw.p50Ms, p99Ms: raw.p99Ms, peakRssMb: raw.maxRssKb / 1024, failed: 0 };
}

function printFigures({ api, raw, ratio }: RegistrationFigures, poolMax: number): void {
  const row = (name: string, f: Figures) =>
    `  ${name.padEnd(34)}${f.perSecond.toFixed(0).padStart(8)}${f.p50Ms.toFixed(1).padStart(9)}${f.p99Ms.toFixed(1).padStart(9)}${f.peakRssMb.toFixed(0).padStart(9)} MB${String(f.failed).padStart(8)}`;
  const verdict = (met: boolean) => (met ? "met" : "MISSED");
  console.log(`
Registration: ${CONNECTIONS} concurrent, ${DURATION_S} s after a ${WARMUP_S} s warm-up, pool of ${poolMax}, ${os.cpus().length} CPUs
  ${"".padEnd(34)}${"req/s".padStart(8)}${"p50 ms".padStart(9)}${"p99 ms".padStart(9)}${"peak RSS".padStart(12)}${"failed".padStart(8)}
${row("API  POST /customer-registration", api)}
${row("raw  pg insert transaction", raw)}
  API / raw: ${(ratio * 100).toFixed(0)}% (target ≥ ${TARGET_RATIO * 100}%: ${verdict(ratio >= TARGET_RATIO)}); API p99 ${api.p99Ms.toFixed(1)} ms (target < ${TARGET_P99_MS} ms: ${verdict(api.p99Ms < TARGET_P99_MS)})
`);
}

if (require.main === module) {
  benchRegistration().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
