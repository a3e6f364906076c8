/**
 * What the broadcast suites share: the broadcast handler built as the service builds it, on a fresh
 * migrated database, the real SES client talking HTTP to the local SES endpoint, the broadcast queue
 * and its dead-letter queue as the local platform keeps them, a driver that plays the event source
 * mapping one batch at a time (so a test can deliver a batch twice, or cut an invocation short),
 * and builders for broadcasts and the customers they reach.
 */
import { randomUUID } from "node:crypto";
import { SESClient } from "@aws-sdk/client-ses";
import { SQSBatchResponse } from "aws-lambda";
import { Knex } from "knex";
import { aCampaign } from "../../../api/test/support/campaign-builders";
import { LocalQueues, QueueMessage } from "../../../local/aws/queues";
import { SesEndpoint, startSesEndpoint, useSesEndpoint } from "../../../local/aws/ses-endpoint";
import { notification } from "../../../local/aws/sns-endpoint";
import { BROADCAST_QUEUE, broadcastQueues } from "../../../local/broadcast-queue";
import { Segment } from "../../../shared/src/broadcast-audience";
import { Logger } from "../../../shared/src/logger";
import { createTestDatabase, TestDatabase } from "../../../shared/testing/test-database";
import { BroadcastHandler, createBroadcastHandler } from "../../src/broadcasts/broadcast-handler";
import { InvocationContext } from "../../src/invocation-time";
import { BROADCAST_LAUNCHED } from "../../src/broadcasts/messages";
import { databaseSendRateLimiter } from "../../src/email/send-rate-limiter";
import { createSesClient } from "../../src/email/ses-sender";
import { aCustomer, capturingLogger, CustomerRow, PUBLIC_BASE_URL, SENDER_EMAIL, TEST_SIGNING_KEY, TOPIC_ARN } from "./welcome-fixture";

const DEAD_LETTER_QUEUE = `${BROADCAST_QUEUE}-dlq`;

export interface BroadcastContext extends TestDatabase {
  mailbox: SesEndpoint;
  queues: LocalQueues;
  ses: SESClient;
  handle: BroadcastHandler;
  lines: Record<string, unknown>[];
  /** Builds a handler like `handle` with other parts (a stub SES, another logger, a slower quota). */
  handler(overrides?: Partial<HandlerParts>): BroadcastHandler;
  /**
   * Receives one batch (up to 10) and hands it to the handler; what it reports failed stays in the
   * queue. With `twice`, the batch is handed over a second time, in a row or at once (a delivery
   * whose answer was lost, or two pollers given the same message), before it is deleted.
   */
  deliverBatch(options?: DeliveryOptions): Promise<{ batch: QueueMessage[]; response?: SQSBatchResponse }>;
  /** Delivers batches until the queue is empty (failed records come back at once); returns the batches. */
  drain(options?: DeliveryOptions & { maxBatches?: number }): Promise<QueueMessage[][]>;
  deadLettered(): Promise<{ body: string; reason: string }[]>;
  stop(): Promise<void>;
}

export interface DeliveryOptions {
  handle?: BroadcastHandler;
  context?: InvocationContext;
  twice?: "in-a-row" | "at-once";
}

interface HandlerParts {
  ses: SESClient;
  logger: Logger;
  ratePerSecond: number;
  concurrency: number;
}

export async function startBroadcastContext(options: { sesMaxSendRate?: number } = {}): Promise<BroadcastContext> {
  const database = await createTestDatabase();
  // Failed records are visible again at once: the driver plays their redelivery without waiting.
  const queues = await LocalQueues.open(database.db, broadcastQueues({ batchSize: 10, maxReceiveCount: 20, functionTimeoutMs: 5_000, visibilityTimeoutMs: 0 }));
  const mailbox = await startSesEndpoint({ maxSendRate: options.sesMaxSendRate });
  useSesEndpoint(mailbox.url);
  const ses = createSesClient("us-east-1");
  const { logger, lines } = capturingLogger();
  const handler = (overrides: Partial<HandlerParts> = {}) =>
    createBroadcastHandler({
      db: database.db,
      ses: overrides.ses ?? ses,
      logger: overrides.logger ?? logger,
      deadLetters: { put: async (body, reason, id) => void (await queues.send(DEAD_LETTER_QUEUE, [{ body, attributes: { reason, source_message_id: id } }])) },
      queue: { send: async (messages) => void (await queues.send(BROADCAST_QUEUE, messages.map((m) => ({ body: JSON.stringify(m) })))) },
      concurrency: overrides.concurrency ?? 4,
      sendRate: databaseSendRateLimiter(database.db, { ratePerSecond: overrides.ratePerSecond ?? 10_000 }),
      senderEmail: SENDER_EMAIL,
      publicBaseUrl: PUBLIC_BASE_URL,
      unsubscribeSigningKey: TEST_SIGNING_KEY,
    });
  const handle = handler();
  const deliverBatch: BroadcastContext["deliverBatch"] = async ({ handle: h = handle, context, twice } = {}) => {
    const batch = await queues.receive(BROADCAST_QUEUE, 10);
    if (!batch.length) return { batch };
    const event = { Records: batch.map(toRecord) };
    if (twice === "in-a-row") await h(event, context);
    const [response] = await Promise.all([h(event, context), ...(twice === "at-once" ? [h(event, context)] : [])]);
    const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
    await queues.delete(batch.filter((m) => !failed.has(m.messageId)).map((m) => m.receiptHandle));
    return { batch, response };
  };
  return {
    ...database,
    mailbox,
    queues,
    ses,
    handle,
    lines,
    handler,
    deliverBatch,
    async drain({ maxBatches = 10_000, ...options } = {}) {
      const batches: QueueMessage[][] = [];
      for (let i = 0; i < maxBatches; i++) {
        const { batch } = await deliverBatch(options);
        if (!batch.length) return batches;
        batches.push(batch);
      }
      throw new Error(`the broadcast queue did not drain in ${maxBatches} batches`);
    },
    deadLettered: async () => (await queues.peek(DEAD_LETTER_QUEUE)).map((m) => ({ body: m.body, reason: m.attributes.reason })),
    async stop() {
      ses.destroy();
      await mailbox.stop();
      await database.destroy();
    },
  };
}

/** An SQS record as the event source mapping hands it to the function. */
function toRecord(m: QueueMessage) {
  return {
    messageId: m.messageId,
    receiptHandle: m.receiptHandle,
    body: m.body,
    attributes: { ApproximateReceiveCount: String(m.receiveCount), SentTimestamp: String(m.sentAt.getTime()), SenderId: "sns", ApproximateFirstReceiveTimestamp: String(m.firstReceivedAt.getTime()) },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: `arn:aws:sqs:us-east-1:000000000000:${BROADCAST_QUEUE}`,
    awsRegion: "us-east-1",
  };
}

/** A customer who confirmed marketing consent (double opt-in), in Ontario unless told otherwise. */
export function aConsentingCustomer(db: Knex, overrides: Partial<CustomerRow> & Record<string, unknown> = {}): Promise<CustomerRow> {
  return aCustomer(db, { marketing_opt_in: true, marketing_consent_confirmed_at: new Date(), ...overrides });
}

/** `count` consenting customers in one statement (ids random, so in no particular order). */
export async function manyConsentingCustomers(db: Knex, count: number, province = "Ontario"): Promise<void> {
  const run = randomUUID().slice(0, 8);
  await db.raw(
    `INSERT INTO customers (first_name, last_name, email, phone, province, city, postal_code, marketing_opt_in, marketing_consent_confirmed_at)
     SELECT 'Many', 'Customers', 'many.' || ? || '.' || n || '@example.com', '+14165550100', ?, 'Toronto', 'M5V 2T6', true, now()
     FROM generate_series(1, ?) AS n`,
    [run, province, count],
  );
}

export interface BroadcastRow {
  id: string;
  campaign_id: string;
  status: string;
  targeted: number;
  enumerated: boolean;
  started_at: Date | null;
  finished_at: Date | null;
}

/**
 * A broadcast as the API records it (status `sending`), of a new ongoing campaign unless one is given.
 * Campaign fields may be overridden (name, offer, discount_code, ends_at).
 */
export async function aBroadcast(db: Knex, options: { segment?: Segment; campaignId?: string; campaign?: Record<string, unknown> } = {}): Promise<BroadcastRow> {
  const campaignId = options.campaignId ?? (await db("campaigns").insert(aCampaign({ name: `Sale ${randomUUID().slice(0, 6)}`, ...options.campaign })).returning("id"))[0].id;
  const [row] = await db("broadcasts").insert({ campaign_id: campaignId, segment: JSON.stringify(options.segment ?? {}), status: "sending" }).returning("*");
  return row;
}

/** The `broadcast.launched` event as the relay publishes it, in SNS's envelope, as the queue holds it. */
export function launchedBody(broadcastId: string, eventId: string = randomUUID()): string {
  const event = { event_id: eventId, event_type: BROADCAST_LAUNCHED, schema_version: 1, occurred_at: new Date().toISOString(), broadcast_id: broadcastId };
  return JSON.stringify(notification(TOPIC_ARN, randomUUID(), { message: JSON.stringify(event), attributes: { event_type: { Type: "String", Value: BROADCAST_LAUNCHED } } }));
}

/** Puts the launch event on the broadcast queue, as SNS delivers it. */
export async function launch(queues: LocalQueues, broadcastId: string): Promise<void> {
  await queues.send(BROADCAST_QUEUE, [{ body: launchedBody(broadcastId) }]);
}

export async function broadcastRow(db: Knex, id: string): Promise<BroadcastRow> {
  return db("broadcasts").where({ id }).first();
}

/** Deliveries of the broadcast by status. */
export async function deliveryCounts(db: Knex, broadcastId: string): Promise<Record<string, number>> {
  const rows: { status: string; n: number }[] = await db("broadcast_deliveries").where({ broadcast_id: broadcastId }).groupBy("status").select("status", db.raw("count(*)::int AS n"));
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}
