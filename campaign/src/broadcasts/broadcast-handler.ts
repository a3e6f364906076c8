/**
 * The broadcast function's SQS adapter (ReportBatchItemFailures, as the welcome queue's). A
 * `broadcast.launched` event (SNS's envelope) starts enumerating the recipients; `page` messages
 * go on with it; `send` messages send. Several records are handled at once, one per pooled
 * connection. A record that fails for a reason that can pass (SES or the database away) is reported
 * back alone and comes back after its visibility timeout; a record that can never be processed goes
 * to the dead-letter queue at once; a `send` message the invocation has no time left for goes back
 * to the queue as a new message, so waiting for the quota never uses up its receives.
 */
import { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { InvalidEventError } from "../../../shared/src/events/event-parsing";
import { forEachConcurrently } from "../concurrently";
import { InvocationContext, InvocationTime, invocationTime } from "../invocation-time";
import { DeadLetters } from "../dead-letters";
import { moveToDeadLetters } from "../dead-letters";
import { maskEmails } from "../queue-handler";
import { BroadcastQueue } from "./broadcast-queue";
import { enumerateRecipients } from "./enumerate-recipients";
import { BroadcastQueueMessage, parseBroadcastQueueMessage, SendMessage } from "./messages";
import { BroadcastToSend, findBroadcast, finishIfDone, startEnumeration } from "./repository";
import { BroadcastEmailDependencies, sendBroadcastEmails } from "./send-broadcast-emails";

export interface BroadcastHandlerDependencies extends BroadcastEmailDependencies {
  deadLetters: DeadLetters;
  queue: BroadcastQueue;
  /** Records handled at once; each holds a database connection while a chunk is sent. */
  concurrency: number;
}

export type BroadcastHandler = (event: SQSEvent, context?: InvocationContext) => Promise<SQSBatchResponse>;

type RecordResult = "done" | "retry" | SendMessage;

export function createBroadcastHandler(deps: BroadcastHandlerDependencies): BroadcastHandler {
  return async (event, context) => {
    const time = invocationTime(context);
    // The campaign and segment are read once per broadcast per invocation; the status, per chunk.
    const found = new Map<string, Promise<BroadcastToSend | undefined>>();
    const broadcast = (id: string) => found.get(id) ?? found.set(id, findBroadcast(deps.db, id)).get(id)!;
    const failed: string[] = [];
    const deferred: { record: SQSRecord; message: SendMessage }[] = [];
    await forEachConcurrently(event.Records, deps.concurrency, async (record) => {
      const result = await handleRecord(deps, record, broadcast, time);
      if (result === "retry") failed.push(record.messageId);
      else if (result !== "done") deferred.push({ record, message: result });
    });
    if (deferred.length) {
      try {
        await deps.queue.send(deferred.map((d) => d.message));
      } catch (err) {
        deps.logger.warn({ records: deferred.length, err: { message: (err as Error).message } }, "putting back unsent broadcast emails failed; their messages will be delivered again");
        failed.push(...deferred.map((d) => d.record.messageId));
      }
    }
    return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
  };
}

async function handleRecord(
  deps: BroadcastHandlerDependencies,
  record: SQSRecord,
  broadcast: (id: string) => Promise<BroadcastToSend | undefined>,
  time: InvocationTime,
): Promise<RecordResult> {
  let message: BroadcastQueueMessage;
  try {
    message = parseBroadcastQueueMessage(record.body);
  } catch (err) {
    if (!(err instanceof InvalidEventError)) throw err;
    return (await moveToDeadLetters(deps, record, err.message)) ? "done" : "retry";
  }
  const context = { sqsMessageId: record.messageId, broadcastId: message.broadcast_id, kind: message.kind };
  try {
    return message.kind === "send" ? await send(deps, message, await broadcast(message.broadcast_id), time, context) : await enumerate(deps, message, context);
  } catch (err) {
    const logged = { name: (err as Error)?.name, message: maskEmails(String((err as Error)?.message ?? err)) };
    deps.logger.warn({ ...context, receiveCount: Number(record.attributes.ApproximateReceiveCount), err: logged }, "broadcast message failed; the queue will deliver it again");
    return "retry";
  }
}

async function send(deps: BroadcastHandlerDependencies, message: SendMessage, broadcast: BroadcastToSend | undefined, time: InvocationTime, context: object): Promise<RecordResult> {
  if (!broadcast) {
    deps.logger.warn(context, "broadcast no longer exists; its emails are not sent");
    return "done";
  }
  const outcome = await sendBroadcastEmails(deps, broadcast, message.customer_ids, time);
  deps.logger.info({ ...context, outcome: outcome.status, ...outcome.counts }, "broadcast emails sent");
  if (outcome.status === "done") await finishIfDone(deps.db, broadcast.id);
  if (outcome.status === "retry") return "retry";
  if (outcome.status === "deferred") return { ...message, customer_ids: outcome.remaining };
  return "done";
}

async function enumerate(deps: BroadcastHandlerDependencies, message: Exclude<BroadcastQueueMessage, SendMessage>, context: object): Promise<RecordResult> {
  // Read afresh, not from the invocation's memo: a page must see a cancel or a relaunch.
  const broadcast = await findBroadcast(deps.db, message.broadcast_id);
  const sending = broadcast && (message.kind === "launched" ? await startEnumeration(deps.db, broadcast.id) : broadcast.status === "sending");
  if (!broadcast || !sending) {
    deps.logger.info({ ...context, status: broadcast?.status ?? "missing" }, "broadcast is not sending; nothing enumerated");
    return "done";
  }
  const page = await enumerateRecipients(deps, broadcast, message.kind === "page" ? message.after : null);
  deps.logger.info({ ...context, ...page }, page.last ? "broadcast recipients enumerated" : "broadcast recipients page enumerated");
  return "done";
}
