/**
 * What the campaign suites share: the handler built as the service builds it, on a fresh migrated
 * database and the real SES client talking HTTP to a local SES mailbox, and small row builders.
 */
import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { SESClient } from "@aws-sdk/client-ses";
import { SNSEvent } from "aws-lambda";
import { Knex } from "knex";
import pino from "pino";
import { newCustomerRegisteredEvent } from "../../../shared/src/events/customer-registered";
import { Logger } from "../../../shared/src/logger";
import { createTestDatabase, TestDatabase } from "../../../shared/testing/test-database";
import { OutboxRelay } from "../../../api/src/outbox/relay";
import { createTestApp, silentLogger } from "../../../api/test/support/test-app";
import { InProcessSns, snsLambdaEvent } from "../../../local/in-process-sns";
import { SesMailbox, startSesMailbox, useSesMailbox } from "../../../local/ses-mailbox";
import { createSesClient } from "../../src/email/ses-sender";
import { createWelcomeHandler, SnsHandler } from "../../src/welcome-handler";

export const TEST_SIGNING_KEY = "campaign-test-unsubscribe-signing-key-0123456789";
export const SENDER_EMAIL = "welcome@e-com.example";
export const PUBLIC_BASE_URL = "https://shop.e-com.example";
export const TOPIC_ARN = "arn:aws:sns:us-east-1:000000000000:customer-events";

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
  mailbox: SesMailbox;
  handle: SnsHandler;
  lines: Record<string, unknown>[];
  stop(): Promise<void>;
}

/** The handler as the service builds it, with the test's sender, links and signing key. */
export function welcomeHandler(db: Knex, ses: SESClient, logger: Logger): SnsHandler {
  return createWelcomeHandler({
    db,
    ses,
    logger,
    clock: () => new Date(),
    senderEmail: SENDER_EMAIL,
    publicBaseUrl: PUBLIC_BASE_URL,
    unsubscribeSigningKey: TEST_SIGNING_KEY,
  });
}

/** On a fresh database, or on the given one (a suite that also runs the API on it). */
export async function startWelcomeContext(database?: TestDatabase): Promise<WelcomeContext> {
  database ??= await createTestDatabase();
  const mailbox = await startSesMailbox();
  useSesMailbox(mailbox.url);
  const ses = createSesClient("us-east-1");
  const { logger, lines } = capturingLogger();
  const handle = welcomeHandler(database.db, ses, logger);
  const context: WelcomeContext = {
    ...database,
    mailbox, // a test may replace it, e.g. to restart SES
    handle,
    lines,
    async stop() {
      ses.destroy();
      await context.mailbox.stop();
      await database.destroy();
    },
  };
  return context;
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

/** The SNS event announcing the customer, as the relay publishes it. */
export function registeredEvent(customer: CustomerRow): SNSEvent {
  const event = newCustomerRegisteredEvent(customer);
  return snsMessage(JSON.stringify(event));
}

export function snsMessage(body: string): SNSEvent {
  return snsLambdaEvent({ id: randomUUID(), eventType: "customer.registered", body }, TOPIC_ARN);
}

export interface WelcomePipeline {
  api: Awaited<ReturnType<typeof createTestApp>>;
  ctx: WelcomeContext;
  sns: InProcessSns;
  stop(): Promise<void>;
}

/** The API with its relay publishing, through the in-process SNS, to the campaign handler and the mailbox. */
export async function startWelcomePipeline(): Promise<WelcomePipeline> {
  const api = await createTestApp({ unsubscribeSigningKey: TEST_SIGNING_KEY }); // the links in the emails lead to this API
  const ctx = await startWelcomeContext(api);
  const sns = new InProcessSns({ deliver: ctx.handle, topicArn: TOPIC_ARN, logger: silentLogger, retryDelaysMs: [10, 20] });
  const relay = new OutboxRelay({ db: api.db, publisher: sns, logger: silentLogger, sweepIntervalMs: 20 });
  relay.start();
  return {
    api,
    ctx,
    sns,
    async stop() {
      await relay.stop();
      await sns.drain();
      await ctx.stop();
    },
  };
}
