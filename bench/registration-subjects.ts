/**
 * What the registration benchmark measures, each in a process of its own on one embedded
 * PostgreSQL (a fresh database each) with the local SNS endpoint answering in 20 ms:
 * - the API as the Docker image runs it (bench/built-api.ts) with a production task's environment;
 * - the framework's floor: bare Express 5, `express.json()` and the one-statement insert, with the
 *   same Node options (the task's heap);
 * - the ceiling: a bare `pg` Pool sending that statement.
 * The HTTP ones are driven by autocannon in a process of its own (bench/registration-load.ts).
 * CPU time and peak RSS are read from /proc, so the measured process carries no probe.
 */
import { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import knex from "knex";
import { migrateToLatest } from "../api/src/migrate";
import { SnsEndpoint, startSnsEndpoint } from "../local/aws/sns-endpoint";
import { prepareServiceRoles, RolePasswords } from "../local/database-roles";
import { LocalPostgres, startLocalPostgres } from "../local/embedded-postgres";
import { ApiBuild, buildApi, startBuiltApi, TaskCommand, taskCommand } from "./built-api";
import { delayedPostgres } from "./database-latency";
import { cpuMs, peakRssMb } from "./process-stats";
import { exited, nextMessage, startChild } from "./processes";
import { RawRun } from "./raw-registrations";
import { LoadProgress, LoadRun } from "./registration-load";

export const CONNECTIONS = 50;
export const DURATION_S = 10;
export const WARMUP_S = 3;
export const POOL_MAX = 10; // DB_POOL_MAX's default, for the API and both references
const SNS_LATENCY_MS = 20; // a PublishBatch inside a region
const TOPIC_ARN = "arn:aws:sns:us-east-1:000000000000:bench";

export interface Figures {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  peakRssMb: number;
  cpuMsPerRequest: number;
  failed: number;
  /** When the measured run started and ended, in milliseconds since the measured process started. */
  window: { fromMs: number; toMs: number };
}

/** What the API's process did beside answering, over its whole run (warm-up included). */
export interface ApiActivity {
  /** Statements committed in the API's database per registration stored (the insert, the relay's claims and marks). */
  statementsPerRegistration: number;
  /** Events per PublishBatch call (at most 10). */
  eventsPerPublish: number;
  /** Log lines the API wrote to stdout per registration. */
  logLinesPerRegistration: number;
  /**
   * Events the relay had not published when the API stopped (1 s after the load): publishing it
   * left for later, whose CPU the run's figures do not include.
   */
  unpublishedAtStop: number;
}

export interface Platform {
  postgres: LocalPostgres;
  build: ApiBuild;
  sns: SnsEndpoint;
  /** How the API and the floor are run: the prod task's command (read once, not per subject). */
  command: TaskCommand;
}

const BENCH_ROLE_PASSWORDS: RolePasswords = { ecom_api: "bench-api-password", ecom_campaign: "bench-campaign-password" };

/**
 * `dbLatencyMs`: every connection meets PostgreSQL through a proxy with that delay each way
 * (bench/database-latency.ts); `node`: the Node binary for the API and the floor (the image's
 * version, say), this process's by default.
 */
export async function withPlatform<T>(run: (platform: Platform) => Promise<T>, options: { dbLatencyMs?: number; node?: string } = {}): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "ecom-bench-pg-"));
  const local = await startLocalPostgres({ dataDir: path.join(dir, "data"), persistent: false });
  const far = options.dbLatencyMs ? await delayedPostgres(local, options.dbLatencyMs) : undefined;
  const sns = await startSnsEndpoint({ topics: [TOPIC_ARN], latencyMs: SNS_LATENCY_MS });
  try {
    const build = await buildApi();
    try {
      return await run({ postgres: far?.postgres ?? local, build, sns, command: taskCommand(options.node) });
    } finally {
      await build.remove();
    }
  } finally {
    await sns.stop();
    await far?.stop();
    await local.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** What a production task gets (APP_ENV=prod, HTTPS, one trusted proxy hop), pointed at the local database and SNS. */
function apiEnv(platform: Platform, databaseUrl: string, logLevel: string): Record<string, string> {
  return {
    APP_ENV: "prod",
    AWS_REGION: "us-east-1",
    DATABASE_URL: databaseUrl,
    DB_POOL_MAX: String(POOL_MAX),
    LOG_LEVEL: logLevel,
    SNS_TOPIC_ARN: TOPIC_ARN,
    AWS_ENDPOINT_URL_SNS: platform.sns.url,
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    ADMIN_API_KEY: "bench-admin-key-0123456789abcdef",
    UNSUBSCRIBE_SIGNING_KEY: "bench-unsubscribe-signing-key-0123456789abcdef",
    PUBLIC_BASE_URL: "https://api.e-com.example", // HSTS on, as with the stack's HTTPS
    TRUST_PROXY_HOPS: "1", // the load balancer; the rate limits keep their production defaults
  };
}

export async function measureApi(platform: Platform, database: string, logLevel: string, nodeArgs: string[] = []): Promise<Figures & ApiActivity> {
  await platform.postgres.createDatabase(database);
  // As on AWS: the migrations run first, as the owner; the API connects as its own role.
  const owner = knex({ client: "pg", connection: platform.postgres.url(database), pool: { min: 0, max: 2 } }); // the migration lock holds one
  const { api: apiUrl } = await prepareServiceRoles(owner, platform.postgres.url(database), BENCH_ROLE_PASSWORDS).finally(() => owner.destroy());
  const { sns } = platform;
  const [accepted, calls] = [sns.accepted(), sns.requests().total];
  const startedAt = Date.now();
  const api = await startBuiltApi(platform.build, platform.command, apiEnv(platform, apiUrl, logLevel), nodeArgs);
  const figures = await driveHttp(api.url, api.child.pid!, startedAt).finally(async () => {
    // autocannon drops its connections with requests still queued for a pool connection: let them finish.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await api.stop();
  });
  const db = knex({ client: "pg", connection: platform.postgres.url(database), pool: { min: 0, max: 1 } });
  try {
    const [{ n }] = await db("customers").count({ n: "*" });
    const { rows } = await db.raw<{ rows: { commits: string }[] }>("SELECT xact_commit AS commits FROM pg_stat_database WHERE datname = ?", [database]);
    const [{ unpublished }] = await db("outbox").whereNull("published_at").count({ unpublished: "*" });
    const stored = Number(n);
    return {
      ...figures,
      statementsPerRegistration: Number(rows[0].commits) / stored,
      eventsPerPublish: (sns.accepted() - accepted) / Math.max(1, sns.requests().total - calls),
      logLinesPerRegistration: api.logLines() / stored,
      unpublishedAtStop: Number(unpublished),
    };
  } finally {
    await db.destroy();
  }
}

export async function measureFloor(platform: Platform, database: string, nodeArgs: string[] = []): Promise<Figures> {
  await migratedDatabase(platform.postgres, database);
  const startedAt = Date.now();
  const env = { NODE_ENV: "production", DATABASE_URL: platform.postgres.url(database), DB_POOL_MAX: String(POOL_MAX) };
  const server = startChild("bare-express.ts", env, [...platform.command.nodeOptions, ...nodeArgs], platform.command.node);
  try {
    const { url } = await nextMessage<{ url: string }>(server);
    return await driveHttp(url, server.pid!, startedAt);
  } finally {
    server.send("stop");
    await exited(server);
  }
}

export async function measureCeiling(platform: Platform, database: string): Promise<Figures> {
  await migratedDatabase(platform.postgres, database);
  const startedAt = Date.now();
  const raw = startChild("raw-registrations.ts", { NODE_ENV: "production" });
  const run: RawRun = {
    databaseUrl: platform.postgres.url(database),
    poolMax: POOL_MAX,
    concurrency: CONNECTIONS,
    warmupMs: WARMUP_S * 1000,
    durationMs: DURATION_S * 1000,
  };
  raw.send(run);
  try {
    return await measureWhile(raw, raw.pid!, startedAt);
  } finally {
    raw.send("stop");
    await exited(raw); // pg's pool.end() resolves before its sockets close; stopping PostgreSQL sooner makes them fail
  }
}

async function migratedDatabase(postgres: LocalPostgres, database: string): Promise<void> {
  await postgres.createDatabase(database);
  const db = knex({ client: "pg", connection: postgres.url(database) });
  await migrateToLatest(db).finally(() => db.destroy());
}

/** autocannon, in its own process, against `url`; the CPU and memory are those of process `pid`. */
async function driveHttp(url: string, pid: number, startedAt: number): Promise<Figures> {
  const load = startChild("registration-load.ts", {});
  const run: LoadRun = { url, connections: CONNECTIONS, warmupS: WARMUP_S, durationS: DURATION_S };
  load.send(run);
  try {
    return await measureWhile(load, pid, startedAt);
  } finally {
    await exited(load);
  }
}

/** Reads `pid`'s CPU time when `driver` reports the measured run starting and ending. */
async function measureWhile(driver: ChildProcess, pid: number, startedAt: number): Promise<Figures> {
  const start = await nextMessage<LoadProgress>(driver);
  if (start.phase !== "measuring") throw new Error(`unexpected ${start.phase}`);
  const [cpuBefore, fromMs] = [await cpuMs(pid), Date.now() - startedAt];
  const done = await nextMessage<LoadProgress>(driver);
  if (done.phase !== "done") throw new Error(`unexpected ${done.phase}`);
  const [cpu, toMs] = [(await cpuMs(pid)) - cpuBefore, Date.now() - startedAt];
  const f = done.figures;
  return {
    perSecond: f.ok / f.durationS,
    p50Ms: f.p50Ms,
    p99Ms: f.p99Ms,
    peakRssMb: await peakRssMb(pid),
    cpuMsPerRequest: cpu / Math.max(1, f.answered),
    failed: f.failed,
    window: { fromMs, toMs },
  };
}
