/**
 * Process entry of the registration API: config → secrets → database (schema up to date?) → listen
 * → outbox relay and personal data retention → graceful shutdown. `startApi` is also what
 * `npm start` (local/) and the tests call. The API never migrates: it connects as a role that cannot
 * change the schema, and stops when a migration is pending (migrate.ts).
 */
import { ApiConfig, ConfigError, loadApiConfig } from "../../shared/src/config";
import { createDatabase, Database } from "../../shared/src/database";
import { createLogger, flushLogs, Logger } from "../../shared/src/logger";
import { resolveSecret } from "../../shared/src/secrets";
import { buildApp } from "./app";
import { listen, Listening } from "./http/http-server";
import { assertNoPendingMigrations } from "./migrate";
import { reportBacklogMetrics } from "./outbox/backlog-metrics";
import { EventPublisher } from "./outbox/publisher";
import { OutboxRelay } from "./outbox/relay";
import { RetentionJob } from "./privacy/retention-job";
import { createSnsClient, snsPublisher } from "./outbox/sns-publisher";

/**
 * Connections of the relay (two claims in flight, each followed by its mark), the retention job
 * and the backlog metric, beside the requests' pool, so none of them waits behind a retention
 * round or the metric's count.
 */
const BACKGROUND_POOL_MAX = 4;

/** Fargate sends SIGKILL 30 s after SIGTERM; finish well before. */
const DRAIN_TIMEOUT_MS = 25_000;

export interface RunningApi {
  url: string;
  db: Database;
  logger: Logger;
  relay: OutboxRelay;
  /** Stops taking requests, lets in-flight ones finish, then closes the pool. */
  stop(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** Where outbox events go; SNS (`SNS_TOPIC_ARN`) unless given. */
  publisher?: EventPublisher;
}

export async function startApi(config: ApiConfig, options: StartOptions = {}): Promise<RunningApi> {
  const logger = options.logger ?? createLogger({ level: config.logLevel, service: "api", env: config.appEnv });
  const [adminApiKey, unsubscribeSigningKey, previousUnsubscribeSigningKey] = await Promise.all([
    resolveSecret(config.adminApiKey, config.awsRegion),
    resolveSecret(config.unsubscribeSigningKey, config.awsRegion),
    config.unsubscribeSigningKeyPrevious && resolveSecret(config.unsubscribeSigningKeyPrevious, config.awsRegion),
  ]);
  const db = createDatabase(config.database, { region: config.awsRegion, logger });
  // The background work (relay, retention, metrics) has connections of its own: under a burst its
  // claims would otherwise wait behind every request queued for the pool, and publishing fall behind.
  const backgroundDb = createDatabase({ ...config.database, poolMax: BACKGROUND_POOL_MAX }, { region: config.awsRegion, logger });
  const publisher = options.publisher ?? snsPublisher(createSnsClient(config.awsRegion), config.snsTopicArn);
  const relay = new OutboxRelay({ db: backgroundDb, publisher, logger, sweepIntervalMs: config.outboxSweepIntervalMs, leaseMs: config.outboxLeaseMs });
  const retention = new RetentionJob({ db: backgroundDb, logger, retentionDays: config.personalDataRetentionDays });
  let shuttingDown = false;
  const app = buildApp({
    db,
    logger,
    appEnv: config.appEnv,
    adminApiKey,
    unsubscribeSigningKey,
    previousUnsubscribeSigningKey,
    onEventCommitted: () => relay.trigger(),
    rateLimits: config.rateLimits,
    corsOrigins: config.corsOrigins,
    trustProxyHops: config.trustProxyHops,
    publicBaseUrl: config.publicBaseUrl,
    isShuttingDown: () => shuttingDown,
  });

  let listening: Listening;
  try {
    await assertNoPendingMigrations(db);
    listening = await listen(app, config);
  } catch (err) {
    await Promise.all([db.destroy(), backgroundDb.destroy()]); // a failed start leaves nothing open behind it
    throw err;
  }
  relay.start(); // also publishes what earlier tasks left in the outbox
  retention.start();
  const stopMetrics = reportBacklogMetrics({ db: backgroundDb, logger, appEnv: config.appEnv });
  const { server, address, port, url } = listening;
  logger.info({ address, port, url }, "registration API listening");

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      shuttingDown = true;
      // One deadline for the whole drain: Fargate's SIGKILL comes 30 s after SIGTERM whatever we wait for.
      const drainUntil = Date.now() + DRAIN_TIMEOUT_MS;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const cutOff = setTimeout(() => server.closeAllConnections(), DRAIN_TIMEOUT_MS);
      await closed;
      clearTimeout(cutOff);
      stopMetrics();
      await relay.stop(); // events it did not get to stay in the outbox for the next task
      await retention.stop(); // a round cut short is finished by the next one
      // A handler can outlive its connection (the client gave up): let its queries finish first.
      await poolIdle(db, drainUntil);
      await Promise.all([db.destroy(), backgroundDb.destroy()]);
      logger.info("registration API stopped");
    })());

  return { url, db, logger, relay, stop };
}

async function poolIdle(db: Database, deadline: number): Promise<void> {
  const pool = db.client.pool;
  while (pool && pool.numUsed() + pool.numPendingAcquires() + pool.numPendingCreates() > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function main(): Promise<void> {
  let config: ApiConfig;
  try {
    config = loadApiConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger({ level: config.logLevel, service: "api", env: config.appEnv, buffered: true });
  exitOnFatalErrors(logger);
  let api: RunningApi;
  try {
    api = await startApi(config, { logger });
  } catch (err) {
    logger.fatal({ err }, "registration API failed to start"); // a JSON line CloudWatch can alarm on
    return exitWithLogs(logger, 1);
  }
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      logger.info({ signal }, "shutting down");
      api.stop().then(
        () => exitWithLogs(logger, 0),
        (err) => {
          logger.error({ err }, "shutdown failed");
          return exitWithLogs(logger, 1);
        },
      );
    });
  }
}

/** A crash is logged as one JSON line like any other error, then the process exits for ECS to replace it. */
export function exitOnFatalErrors(logger: Logger): void {
  process.on("uncaughtException", (err) => {
    logger.fatal({ err }, "uncaught exception");
    void exitWithLogs(logger, 1);
  });
  process.on("unhandledRejection", (reason) => {
    logger.fatal({ err: reason }, "unhandled promise rejection");
    void exitWithLogs(logger, 1);
  });
}

/** Exits once every line logged is on stdout: a buffered logger writes asynchronously, and exit() would not wait. */
async function exitWithLogs(logger: Logger, code: number): Promise<never> {
  await flushLogs(logger);
  process.exit(code);
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`registration API failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
