/**
 * Lambda's SQS event source mapping, in this process: up to `maximumConcurrency` pollers each
 * receive a batch, invoke the function with SQS's Lambda event, and delete what succeeded. With
 * ReportBatchItemFailures only the records the function names come back, after the visibility
 * timeout; a function that throws or times out leaves the whole batch to come back. Pollers wake
 * when a message is sent in this process, and otherwise poll every `idlePollMs` (another process
 * may have sent it), as long polling returns as soon as a message is there. Like Lambda, it tells
 * the function how long it has left.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { InvocationContext } from "../../campaign/src/invocation-time";
import { Logger } from "../../shared/src/logger";
import { LocalQueues, QueueMessage } from "./queues";

export type QueueFunction = (event: SQSEvent, context: InvocationContext) => Promise<SQSBatchResponse | void>;

export interface EventSourceMappingOptions {
  queues: LocalQueues;
  queue: string;
  /** `arn:aws:sqs:<region>:<account>:<queue>`, as the records carry it. */
  queueArn: string;
  handler: QueueFunction;
  batchSize: number;
  maximumConcurrency: number;
  /** The function's timeout: an invocation still running then counts as failed. */
  functionTimeoutMs: number;
  logger: Logger;
  idlePollMs?: number;
}

export class LocalEventSourceMapping {
  private readonly pollers: Promise<void>[] = [];
  private stopped = false;
  private readonly sleepers = new Set<() => void>();
  private readonly onSent = (queue: string) => {
    if (queue === this.options.queue) this.wake();
  };

  constructor(private readonly options: EventSourceMappingOptions) {}

  start(): void {
    this.options.queues.sent.on("sent", this.onSent);
    for (let i = 0; i < this.options.maximumConcurrency; i++) this.pollers.push(this.poll());
  }

  /** Stops polling and waits for the invocations running now. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.options.queues.sent.off("sent", this.onSent);
    this.wake();
    await Promise.all(this.pollers);
  }

  private wake(): void {
    for (const wake of [...this.sleepers]) wake();
  }

  private async poll(): Promise<void> {
    const { queues, queue, batchSize, logger } = this.options;
    while (!this.stopped) {
      let batch: QueueMessage[] = [];
      try {
        batch = await queues.receive(queue, batchSize);
        if (batch.length) await this.invoke(batch);
      } catch (err) {
        // The queue's database is away (a restart): retried on the next poll, as Lambda's pollers do.
        logger.warn({ queue, err: { message: (err as Error).message } }, "local event source mapping: polling failed");
      }
      if (batch.length === 0 && !this.stopped) await this.idle();
    }
  }

  private idle(): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, this.options.idlePollMs ?? 100).unref();
      this.sleepers.add(wake);
    });
  }

  private async invoke(batch: QueueMessage[]): Promise<void> {
    const { handler, queues, functionTimeoutMs, logger, queue } = this.options;
    const event: SQSEvent = { Records: batch.map((m) => this.record(m)) };
    const timesOutAt = Date.now() + functionTimeoutMs;
    let failedIds: Set<string>;
    try {
      const response = await withTimeout(handler(event, { getRemainingTimeInMillis: () => Math.max(0, timesOutAt - Date.now()) }), functionTimeoutMs);
      failedIds = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      // Lambda fails the whole batch when a reported id is not one of its records.
      if ([...failedIds].some((id) => !batch.some((m) => m.messageId === id))) failedIds = new Set(batch.map((m) => m.messageId));
    } catch (err) {
      logger.warn({ queue, records: batch.length, err: { message: (err as Error).message } }, "local event source mapping: invocation failed; the batch comes back after the visibility timeout");
      return;
    }
    await queues.delete(batch.filter((m) => !failedIds.has(m.messageId)).map((m) => m.receiptHandle));
  }

  private record(m: QueueMessage): SQSRecord {
    const region = this.options.queueArn.split(":")[3];
    return {
      messageId: m.messageId,
      receiptHandle: m.receiptHandle,
      body: m.body,
      attributes: {
        ApproximateReceiveCount: String(m.receiveCount),
        SentTimestamp: String(m.sentAt.getTime()),
        SenderId: "AIDAIENQZJOLO23YVJ4VO",
        ApproximateFirstReceiveTimestamp: String(m.firstReceivedAt.getTime()),
      },
      messageAttributes: Object.fromEntries(
        Object.entries(m.attributes).map(([name, value]) => [name, { stringValue: value, dataType: "String", stringListValues: [], binaryListValues: [] }]),
      ),
      md5OfBody: "",
      eventSource: "aws:sqs",
      eventSourceARN: this.options.queueArn,
      awsRegion: region,
    };
  }
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  const controller = new AbortController();
  const timeout = sleep(ms, undefined, { signal: controller.signal }).then(() => {
    throw new Error(`Task timed out after ${ms / 1000} seconds`);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    controller.abort();
    timeout.catch(() => undefined);
  }
}
