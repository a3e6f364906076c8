/**
 * Builds the campaign service from its configuration: the Lambda entry point does it once per cold
 * start, the local platform once at `npm start`. Credentials follow the API's rules (`createDatabase`).
 * One service holds every handler of the bundle; each deployed function invokes its own.
 */
import { SQSClient } from "@aws-sdk/client-sqs";
import { boundedRequests } from "../../shared/src/aws-requests";
import { CampaignConfig } from "../../shared/src/config";
import { createDatabase } from "../../shared/src/database";
import { createLogger, Logger } from "../../shared/src/logger";
import { resolveSecret } from "../../shared/src/secrets";
import { BroadcastHandler, createBroadcastHandler } from "./broadcasts/broadcast-handler";
import { BroadcastQueue, sqsBroadcastQueue } from "./broadcasts/broadcast-queue";
import { DeadLetters, sqsDeadLetters } from "./dead-letters";
import { databaseSendRateLimiter } from "./email/send-rate-limiter";
import { createSesClient } from "./email/ses-sender";
import { createQueueHandler, QueueHandler } from "./queue-handler";
import { createSesEventsHandler } from "./ses-events/ses-events-handler";
import { snsSignatureVerifier } from "./sns-signature";

export interface CampaignService {
  /** Handles one batch of welcome queue records (Lambda's SQS payload); reports the records to deliver again. */
  handle: QueueHandler;
  /** Handles one batch of the SES events queue: bounces and complaints suppress addresses. */
  handleSesEvents: QueueHandler;
  /** Handles one batch of broadcast queue records; needs a broadcast queue (BROADCAST_QUEUE_URL). */
  handleBroadcast: BroadcastHandler;
  /** Closes the connection pool and the AWS clients (the local platform's shutdown). */
  stop(): Promise<void>;
}

export interface CampaignServiceOptions {
  logger?: Logger;
  /** Where poison messages go; the SQS queue at DEAD_LETTER_QUEUE_URL unless given (the local platform's). */
  deadLetters?: DeadLetters;
  /** Where the broadcast function sends its own messages; the SQS queue at BROADCAST_QUEUE_URL unless given. */
  broadcastQueue?: BroadcastQueue;
}

/**
 * Send messages a broadcast invocation works on at once. Four chunks of 25 in flight reach about
 * 1,000 emails a second per instance with SES answering in 50–100 ms; more would only pile work
 * up in front of everything else the process does while adding nothing the quota allows.
 */
const BROADCAST_LANES = 4;

export async function startCampaignService(config: CampaignConfig, options: CampaignServiceOptions = {}): Promise<CampaignService> {
  const logger = options.logger ?? createLogger({ level: config.logLevel, service: "campaign", env: config.appEnv });
  const db = createDatabase(config.database, { region: config.awsRegion, logger });
  const ses = createSesClient(config.awsRegion, { configurationSet: config.sesConfigurationSet });
  const sqs = options.deadLetters && options.broadcastQueue ? undefined : new SQSClient({ region: config.awsRegion, requestHandler: boundedRequests });
  const stop = async () => {
    ses.destroy();
    sqs?.destroy();
    await db.destroy();
  };
  const deadLetterQueueUrl = config.deadLetterQueueUrl;
  const deadLetters = options.deadLetters ?? (sqs && deadLetterQueueUrl ? sqsDeadLetters(sqs, deadLetterQueueUrl) : undefined);
  if (!deadLetters) {
    await stop();
    throw new Error("DEAD_LETTER_QUEUE_URL is required: poison messages must have somewhere to go");
  }
  const broadcastQueueUrl = config.broadcastQueueUrl;
  const broadcastQueue = options.broadcastQueue ?? (sqs && broadcastQueueUrl ? sqsBroadcastQueue(sqs, broadcastQueueUrl) : undefined);
  // The first connection opens while the signing key is read: in the cloud both wait on Secrets
  // Manager, and a cold start should wait once, not twice.
  const [unsubscribeSigningKey] = await Promise.all([
    resolveSecret(config.unsubscribeSigningKey, config.awsRegion),
    db.raw("SELECT 1"),
  ]).catch(async (err) => {
    await stop(); // the next invocation builds everything again
    throw err;
  });
  const emails = {
    db,
    ses,
    logger,
    deadLetters,
    concurrency: config.database.poolMax,
    // One bucket for every function of the account: welcome emails and broadcasts share the quota.
    sendRate: databaseSendRateLimiter(db, { ratePerSecond: config.sesMaxSendRate }),
    senderEmail: config.senderEmail,
    publicBaseUrl: config.publicBaseUrl,
    unsubscribeSigningKey,
  };
  const handle = createQueueHandler({ ...emails, clock: () => new Date() });
  const handleBroadcast: BroadcastHandler = broadcastQueue
    ? createBroadcastHandler({ ...emails, queue: broadcastQueue, concurrency: Math.min(config.database.poolMax, BROADCAST_LANES) })
    : async () => {
        throw new Error("BROADCAST_QUEUE_URL is required for the broadcast function: it sends its pages and emails there");
      };
  const handleSesEvents = createSesEventsHandler({
    db,
    logger,
    deadLetters,
    concurrency: config.database.poolMax,
    verifySignature: snsSignatureVerifier({ trustedLocalCertUrlPrefix: config.localSnsCertUrlPrefix }),
  });
  return { handle, handleBroadcast, handleSesEvents, stop };
}
