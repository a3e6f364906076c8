/**
 * What the campaign suites share: the queue handler built as the service builds it, on a fresh
 * migrated database, the real SES client talking HTTP to the local SES endpoint, a local
 * dead-letter queue, records shaped as SQS delivers them (SNS's envelope inside), and builders.
 */
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { SESClient } from "@aws-sdk/client-ses";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSEvent, SQSRecord } from "aws-lambda";
import { Knex } from "knex";
import pino from "pino";
import { newCustomerRegisteredEvent } from "../../../shared/src/events/customer-registered";
import { Logger } from "../../../shared/src/logger";
import { createTestDatabase, TEST_ROLE_PASSWORDS, TestDatabase } from "../../../shared/testing/test-database";
import { OutboxRelay } from "../../../api/src/outbox/relay";
import { snsPublisher } from "../../../api/src/outbox/sns-publisher";
import { testApiEnv } from "../../../api/test/support/running-api";
import { createTestApp, silentLogger, TestApp } from "../../../api/test/support/test-app";
import { LocalQueues } from "../../../local/aws/queues";
import { SesEndpoint, startSesEndpoint, useSesEndpoint } from "../../../local/aws/ses-endpoint";
import { notification } from "../../../local/aws/sns-endpoint";
import { LocalServices, startLocalServices } from "../../../local/platform";
import { DeadLetters } from "../../src/dead-letters";
import { databaseSendRateLimiter, SendRateLimiter } from "../../src/email/send-rate-limiter";
import { createSesClient } from "../../src/email/ses-sender";
import { createQueueHandler, QueueHandler } from "../../src/queue-handler";

export const TEST_SIGNING_KEY = "campaign-test-unsubscribe-signing-key-0123456789";
export const SENDER_EMAIL = "welcome@e-com.example";
export const PUBLIC_BASE_URL = "https://shop.e-com.example";
export const TOPIC_ARN = "arn:aws:sns:us-east-1:000000000000:customer-events";
const DEAD_LETTER_QUEUE = "campaign-test-dlq";

/** A pino JSON-lines logger whose lines the test reads; without the service's redaction, so tests see what the code logs. */
export function capturingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { logger: pino({ level: "debug" }, sink), lines };
}

export interface WelcomeContext extends TestDatabase {
  mailbox: SesEndpoint;
  handle: QueueHandler;
  lines: Record<string, unknown>[];
  /** Bodies and reasons of what the handler moved to the dead-letter queue. */
  deadLettered(): Promise<{ body: string; reason: string }[]>;
  stop(): Promise<void>;
}

/** The handler as the service builds it, with the test's sender, links and signing key (and, unless told, no quota to wait for). */
export function welcomeHandler(db: Knex, ses: SESClient, logger: Logger, deadLetters: DeadLetters, sendRate?: SendRateLimiter): QueueHandler {
  return createQueueHandler({
    db,
    ses,
    logger,
    deadLetters,
    concurrency: 4,
    sendRate: sendRate ?? databaseSendRateLimiter(db, { ratePerSecond: 10_000 }),
    clock: () => new Date(),
    senderEmail: SENDER_EMAIL,
    publicBaseUrl: PUBLIC_BASE_URL,
    unsubscribeSigningKey: TEST_SIGNING_KEY,
  });
}

export async function startWelcomeContext(): Promise<WelcomeContext> {
  const database = await createTestDatabase();
  const queues = await LocalQueues.open(database.db, [{ name: DEAD_LETTER_QUEUE, visibilityTimeoutMs: 60_000 }]);
  const deadLetters: DeadLetters = {
    put: async (body, reason, id) => void (await queues.send(DEAD_LETTER_QUEUE, [{ body, attributes: { reason, source_message_id: id } }])),
  };
  const mailbox = await startSesEndpoint();
  useSesEndpoint(mailbox.url);
  const ses = createSesClient("us-east-1");
  const { logger, lines } = capturingLogger();
  return {
    ...database,
    mailbox,
    handle: welcomeHandler(database.campaignDb, ses, logger, deadLetters), // as the function connects: its own role
    lines,
    deadLettered: async () => (await queues.peek(DEAD_LETTER_QUEUE)).map((m) => ({ body: m.body, reason: m.attributes.reason })),
    async stop() {
      ses.destroy();
      await mailbox.stop();
      await database.destroy();
    },
  };
}

export interface CustomerRow {
  id: string;
  email: string;
  first_name: string;
  marketing_opt_in: boolean;
  marketing_consent_confirmed_at?: Date | null;
  created_at: Date;
}

/** Inserts a customer (opted in unless told otherwise) with a unique email. */
export async function aCustomer(db: Knex, overrides: Partial<CustomerRow> = {}): Promise<CustomerRow> {
  const [row] = await db("customers")
    .insert({
      first_name: "Jane",
      last_name: "Doe",
      email: `jane.${randomUUID().slice(0, 8)}@example.com`,
      phone: "+1 416 555 0100",
      province: "Ontario",
      city: "Toronto",
      postal_code: "M5V 2T6",
      marketing_opt_in: true,
      ...overrides,
    })
    .returning(["id", "email", "first_name", "marketing_opt_in", "created_at"]);
  return row;
}

/** A queue record as SQS hands it to the function: SNS's envelope around `message`. */
export function queueRecord(message: string, receiveCount = 1): SQSRecord {
  const body = JSON.stringify(notification(TOPIC_ARN, randomUUID(), { message, attributes: { event_type: { Type: "String", Value: "customer.registered" } } }));
  return {
    messageId: randomUUID(),
    receiptHandle: randomUUID(),
    body,
    attributes: { ApproximateReceiveCount: String(receiveCount), SentTimestamp: String(Date.now()), SenderId: "sns", ApproximateFirstReceiveTimestamp: String(Date.now()) },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:welcome",
    awsRegion: "us-east-1",
  };
}

export const queueEvent = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

/** The queue event carrying the event that announces the customer, as the relay publishes it. */
export function registeredEvent(customer: CustomerRow): SQSEvent {
  return queueEvent(queueRecord(JSON.stringify(newCustomerRegisteredEvent(customer))));
}

export interface WelcomePipeline {
  api: TestApp;
  mailbox: SesEndpoint;
  services: LocalServices;
  stop(): Promise<void>;
}

/**
 * The API (built as in its suites) with its relay publishing through the real SNS client to the
 * local platform's services on the same database: SNS endpoint → welcome queue → event source
 * mapping → campaign function → SES endpoint.
 */
export async function startWelcomePipeline(): Promise<WelcomePipeline> {
  const started: { relay?: OutboxRelay } = {}; // the app needs the relay's trigger before the relay exists
  // The links in the emails lead to this API: it verifies with the campaign service's key.
  const api = await createTestApp({ onEventCommitted: () => started.relay?.trigger(), unsubscribeSigningKey: TEST_SIGNING_KEY });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "ecom-welcome-"));
  const services = await startLocalServices({
    env: testApiEnv(api.url, { SENDER_EMAIL, PUBLIC_BASE_URL, UNSUBSCRIBE_SIGNING_KEY: TEST_SIGNING_KEY }),
    dataDir,
    local: { sesMaxSendRate: 1000, snsLatencyMs: 20, sesLatencyMs: 50 },
    logger: silentLogger,
    rolePasswords: TEST_ROLE_PASSWORDS,
  });
  const sns = new SNSClient({ region: "us-east-1", endpoint: services.sns.url, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  const relay = (started.relay = new OutboxRelay({ db: api.apiDb, publisher: snsPublisher(sns, services.apiConfig.snsTopicArn), logger: silentLogger, sweepIntervalMs: 50 }));
  relay.start();
  return {
    api,
    mailbox: services.ses!,
    services,
    async stop() {
      await relay.stop();
      sns.destroy();
      await services.stop();
      await api.destroy();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
