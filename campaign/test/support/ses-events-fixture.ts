/**
 * What the SES events suites share: the handler as the service builds it on a fresh migrated
 * database, a local dead-letter queue, notifications signed as SNS signs them (the local SNS's key,
 * its certificate served by a running local SNS endpoint the verifier is told to trust, as locally),
 * and builders of the JSON SES publishes.
 */
import { randomUUID } from "node:crypto";
import { SQSRecord } from "aws-lambda";
import { LocalQueues } from "../../../local/aws/queues";
import { SnsEndpoint, notification, startSnsEndpoint } from "../../../local/aws/sns-endpoint";
import { localSnsSigningKey, SignatureVersion, SnsSigningKey } from "../../../local/aws/sns-signer";
import { createTestDatabase, TestDatabase } from "../../../shared/testing/test-database";
import { QueueHandler } from "../../src/queue-handler";
import { createSesEventsHandler } from "../../src/ses-events/ses-events-handler";
import { snsSignatureVerifier, SnsSignatureVerifierOptions } from "../../src/sns-signature";
import { capturingLogger } from "./welcome-fixture";

export const SES_EVENTS_TOPIC = "arn:aws:sns:us-east-1:000000000000:ecom-test-ses-events";
const QUEUE_ARN = "arn:aws:sqs:us-east-1:000000000000:ecom-test-ses-events";
const DEAD_LETTER_QUEUE = "ses-events-test-dlq";

export interface SesEventsContext extends TestDatabase {
  handle: QueueHandler;
  lines: Record<string, unknown>[];
  sns: SnsEndpoint;
  key: SnsSigningKey;
  /** Bodies and reasons of what the handler moved to the dead-letter queue. */
  deadLettered(): Promise<{ body: string; reason: string }[]>;
  /** The handler with other verifier options (e.g. a certificate fetch that fails). */
  handlerWith(options: SnsSignatureVerifierOptions): QueueHandler;
  stop(): Promise<void>;
}

export async function startSesEventsContext(): Promise<SesEventsContext> {
  const database = await createTestDatabase();
  const queues = await LocalQueues.open(database.db, [{ name: DEAD_LETTER_QUEUE, visibilityTimeoutMs: 60_000 }]);
  const sns = await startSnsEndpoint({});
  const { logger, lines } = capturingLogger();
  const handlerWith = (options: SnsSignatureVerifierOptions) =>
    createSesEventsHandler({
      db: database.db,
      logger,
      concurrency: 4,
      deadLetters: { put: async (body, reason, id) => void (await queues.send(DEAD_LETTER_QUEUE, [{ body, attributes: { reason, source_message_id: id } }])) },
      verifySignature: snsSignatureVerifier(options),
    });
  return {
    ...database,
    handle: handlerWith({ trustedLocalCertUrlPrefix: `${sns.url}/` }),
    handlerWith,
    lines,
    sns,
    key: await localSnsSigningKey(),
    deadLettered: async () => (await queues.peek(DEAD_LETTER_QUEUE)).map((m) => ({ body: m.body, reason: m.attributes.reason })),
    async stop() {
      await sns.stop();
      await database.destroy();
    },
  };
}

export interface EnvelopeOptions {
  version?: SignatureVersion;
  topicArn?: string;
  /** The SigningCertURL; default the local SNS endpoint's. */
  certificateUrl?: string;
  /** Changes the envelope after it was signed. */
  tamper?: (envelope: Record<string, unknown>) => void;
}

/** The queue record SQS hands the function: SNS's signed envelope around the SES event's JSON. */
export function sesEventRecord(ctx: SesEventsContext, event: unknown, options: EnvelopeOptions = {}): SQSRecord {
  const message = typeof event === "string" ? event : JSON.stringify(event);
  const signing = { key: ctx.key, version: options.version ?? "2", certificateUrl: options.certificateUrl ?? ctx.sns.certificateUrl };
  const envelope: Record<string, unknown> = notification(options.topicArn ?? SES_EVENTS_TOPIC, randomUUID(), { message, attributes: {} }, signing);
  options.tamper?.(envelope);
  return {
    messageId: randomUUID(),
    receiptHandle: randomUUID(),
    body: JSON.stringify(envelope),
    attributes: { ApproximateReceiveCount: "1", SentTimestamp: String(Date.now()), SenderId: "sns", ApproximateFirstReceiveTimestamp: String(Date.now()) },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: QUEUE_ARN,
    awsRegion: "us-east-1",
  };
}

const mail = (recipients: string[]) => ({
  timestamp: new Date().toISOString(),
  source: "welcome@e-com.example",
  sourceArn: "arn:aws:ses:us-east-1:000000000000:identity/e-com.example",
  sendingAccountId: "000000000000",
  messageId: `0100${randomUUID()}-000000`,
  destination: recipients,
});

/** A Bounce event as SES publishes it through a configuration set. */
export function aBounce(address: string, overrides: { bounceType?: string; bounceSubType?: string; feedbackId?: string; timestamp?: Date } = {}) {
  return {
    eventType: "Bounce",
    bounce: {
      bounceType: overrides.bounceType ?? "Permanent",
      bounceSubType: overrides.bounceSubType ?? "General",
      bouncedRecipients: [{ emailAddress: address, action: "failed", status: "5.1.1", diagnosticCode: `smtp; 550 5.1.1 <${address}>: user unknown` }],
      timestamp: (overrides.timestamp ?? new Date()).toISOString(),
      feedbackId: overrides.feedbackId ?? `0100${randomUUID()}-000000`,
      reportingMTA: "dsn; mta.example.com",
    },
    mail: mail([address]),
  };
}

/** A Complaint event; `notificationType` instead of `eventType` is how an identity's feedback notifications name it. */
export function aComplaint(address: string, overrides: { complaintFeedbackType?: string; feedbackId?: string; timestamp?: Date } = {}) {
  return {
    eventType: "Complaint",
    complaint: {
      complainedRecipients: [{ emailAddress: address }],
      timestamp: (overrides.timestamp ?? new Date()).toISOString(),
      feedbackId: overrides.feedbackId ?? `0100${randomUUID()}-000000`,
      userAgent: "ExampleCorp Feedback Loop (V0.01)",
      complaintFeedbackType: overrides.complaintFeedbackType ?? "abuse",
      arrivalDate: new Date().toISOString(),
    },
    mail: mail([address]),
  };
}

export function aDelivery(address: string) {
  return {
    eventType: "Delivery",
    delivery: { timestamp: new Date().toISOString(), processingTimeMillis: 546, recipients: [address], smtpResponse: "250 ok", reportingMTA: "a8-70.smtp-out.amazonses.com" },
    mail: mail([address]),
  };
}
