/**
 * The local platform as `npm start` composes it (or only its services, when the test runs the API
 * as processes of its own), made ready for a fault test: a fresh database, a temporary data folder,
 * rate limits out of the way of one busy client, every delivery counted, the mailbox watched, and
 * `expectNothingLost` waiting for the outbox and SNS to drain before it checks the invariants.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import knex, { Knex } from "knex";
import { LocalPlatformOptions, LocalServices } from "../../../../local/platform";
import { SesMailbox } from "../../../../local/ses-mailbox";
import { createTestDatabase } from "../../../../shared/testing/test-database";
import { outboxBacklog } from "../../../src/outbox/repository";
import { eventually } from "../../support/eventually";
import { testApiEnv } from "../../support/running-api";
import { deliveryCounter, DeliveryCounter } from "./delivery-counter";
import { expectNothingLost, InvariantSummary } from "./invariants";
import { mailboxWatch } from "./mailbox-watch";
import { RegistrationAnswer } from "./registrations";

export interface UnderTestOptions extends Omit<LocalPlatformOptions, "env" | "dataDir"> {
  /** Run the platform's own embedded PostgreSQL (one the test may stop) instead of the suites' shared one. */
  ownPostgres?: boolean;
  /** Variables added to the platform's environment, e.g. AWS_ENDPOINT_URL_SES of a mailbox the test runs. */
  env?: Record<string, string>;
  /** That mailbox, when the test runs its own. */
  mailbox?: SesMailbox;
}

export interface UnderTest<P extends LocalServices> {
  platform: P;
  /** A pool of the test's own on the platform's database. */
  db: Knex;
  deliveries: DeliveryCounter;
  /** Waits until every event is published and handled, then checks the invariants for these answers. */
  expectNothingLost(answers: readonly RegistrationAnswer[], options?: { redeliveryAllowed?: boolean }): Promise<InvariantSummary>;
  /** Stops the platform and deletes its data. */
  remove(): Promise<void>;
}

const DRAIN_TIMEOUT_MS = 20_000;

export async function startUnderTest<P extends LocalServices>(
  start: (options: LocalPlatformOptions) => Promise<P>,
  { ownPostgres, env: extraEnv, mailbox, ...options }: UnderTestOptions = {},
): Promise<UnderTest<P>> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "ecom-faults-"));
  const database = ownPostgres ? undefined : await createTestDatabase();
  const env = testApiEnv(database?.url ?? "", {
    SENDER_EMAIL: "welcome@e-com.test",
    PUBLIC_BASE_URL: "http://localhost:3000",
    RATE_LIMIT_PER_CLIENT: "1000000000", // the load comes from one address
    RATE_LIMIT_REGISTRATIONS_PER_CLIENT: "1000000000",
    ...extraEnv,
  });
  if (!database) delete env.DATABASE_URL; // the platform starts its own PostgreSQL
  const deliveries = deliveryCounter();
  const platform = await start({
    ...options,
    env,
    dataDir,
    wrapSubscriber: (handle) => deliveries.wrap(options.wrapSubscriber?.(handle) ?? handle),
  });
  const db = database?.db ?? knex({ client: "pg", connection: platform.env.DATABASE_URL, pool: { min: 0, max: 4 } });
  const watch = await mailboxWatch(mailbox ?? platform.mailbox!);

  return {
    platform,
    db,
    deliveries,
    async expectNothingLost(answers, { redeliveryAllowed } = {}) {
      await eventually(async () => (await outboxBacklog(db)).pending === 0, DRAIN_TIMEOUT_MS, "every event published");
      await platform.sns.drain();
      const emails = await watch.received();
      return expectNothingLost(answers, { db, emails, deliveries: deliveries.succeeded, deadLetters: platform.sns.deadLetters.length, redeliveryAllowed });
    },
    async remove() {
      await platform.stop();
      await db.destroy();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
