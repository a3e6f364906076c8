/**
 * SNS → Lambda, in this process: the outbox relay publishes here locally instead of to SNS, and each
 * message is handed to the subscribed handler in SNS's Lambda event envelope with the semantics of
 * Lambda's asynchronous invocation: `publish` returns once the message is accepted, a failed
 * invocation is retried twice, and then a dead-letter record is kept, like the on-failure
 * destination's. Lambda waits about 1 and 2 minutes before its retries; here the waits are short.
 * Like a function's reserved concurrency, only so many invocations run at once; the others wait
 * their turn, as events wait in Lambda's queue, rather than all at once for a database connection.
 */
import { randomUUID } from "node:crypto";
import { appendFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { setImmediate as nextTurn, setTimeout as sleep } from "node:timers/promises";
import { SNSEvent } from "aws-lambda";
import { EventPublisher, OutboxMessage } from "../api/src/outbox/publisher";
import { Logger } from "../shared/src/logger";

export interface InProcessSnsOptions {
  /** The subscribed function (the campaign service's handler). */
  deliver: (event: SNSEvent) => Promise<unknown>;
  topicArn: string;
  logger: Logger;
  /** Waits before the first and second retry. Default 1 s and 2 s. */
  retryDelaysMs?: [number, number];
  /** Also append each dead-letter record to this file, one JSON line each. */
  deadLetterFile?: string;
  /** Invocations running at once (the handler's connection pool size suits). Default 10. */
  concurrency?: number;
}

/** What Lambda sends to an on-failure destination once retries are exhausted (same shape). */
export interface DeadLetterRecord {
  version: "1.0";
  timestamp: string;
  requestContext: { requestId: string; functionArn: string; condition: "RetriesExhausted"; approximateInvokeCount: number };
  requestPayload: SNSEvent;
  responseContext: { statusCode: 200; executedVersion: "$LATEST"; functionError: "Unhandled" };
  responsePayload: { errorType: string; errorMessage: string };
}

const LOCAL_FUNCTION_ARN = "arn:aws:lambda:local:000000000000:function:ecom-campaign:$LATEST";

export class InProcessSns implements EventPublisher {
  /** Messages whose every attempt failed, oldest first. */
  readonly deadLetters: DeadLetterRecord[] = [];
  private readonly retryDelaysMs: number[];
  private readonly subscriptionArn: string;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly concurrency: number;
  private running = 0;
  private readonly queued: (() => void)[] = [];

  constructor(private readonly options: InProcessSnsOptions) {
    this.retryDelaysMs = options.retryDelaysMs ?? [1_000, 2_000];
    this.concurrency = options.concurrency ?? 10;
    this.subscriptionArn = `${options.topicArn}:${randomUUID()}`;
  }

  async publish(message: OutboxMessage): Promise<void> {
    const event = snsLambdaEvent(message, this.options.topicArn, this.subscriptionArn);
    const delivery = this.invokeWithRetries(event).finally(() => this.inFlight.delete(delivery));
    this.inFlight.add(delivery);
  }

  /** Resolves once every accepted message was handled or dead-lettered, retries included. */
  async drain(): Promise<void> {
    while (this.inFlight.size) await Promise.all(this.inFlight);
  }

  private async invokeWithRetries(event: SNSEvent): Promise<void> {
    const requestId = randomUUID(); // Lambda keeps the request id across the retries of one event
    const snsMessageId = event.Records[0].Sns.MessageId;
    await nextTurn(); // invoked after publish has returned, as from Lambda's event queue
    for (let attempt = 1; ; attempt++) {
      let failure: unknown;
      await this.takeTurn();
      try {
        await this.options.deliver(event);
        return;
      } catch (err) {
        failure = err;
      } finally {
        this.endTurn(); // a retry waits without holding a turn
      }
      const retryInMs = this.retryDelaysMs[attempt - 1];
      if (retryInMs === undefined) return this.deadLetter(event, requestId, attempt, failure);
      this.options.logger.warn({ snsMessageId, requestId, attempt, retryInMs }, "in-process SNS: invocation failed; retrying");
      await sleep(retryInMs);
    }
  }

  private async takeTurn(): Promise<void> {
    if (this.running < this.concurrency) {
      this.running++;
      return;
    }
    await new Promise<void>((resolve) => this.queued.push(resolve)); // endTurn hands its turn over
  }

  private endTurn(): void {
    const next = this.queued.shift();
    if (next) next();
    else this.running--;
  }

  private async deadLetter(event: SNSEvent, requestId: string, attempts: number, err: unknown): Promise<void> {
    const error = err instanceof Error ? err : new Error(String(err));
    const record: DeadLetterRecord = {
      version: "1.0",
      timestamp: new Date().toISOString(),
      requestContext: { requestId, functionArn: LOCAL_FUNCTION_ARN, condition: "RetriesExhausted", approximateInvokeCount: attempts },
      requestPayload: event,
      responseContext: { statusCode: 200, executedVersion: "$LATEST", functionError: "Unhandled" },
      responsePayload: { errorType: error.name, errorMessage: error.message },
    };
    this.deadLetters.push(record);
    // The payload holds the customer's email address: it goes to the file, not to the log.
    this.options.logger.error(
      { snsMessageId: event.Records[0].Sns.MessageId, requestId, attempts, error: record.responsePayload, deadLetterFile: this.options.deadLetterFile },
      "in-process SNS: retries exhausted; message dead-lettered",
    );
    if (!this.options.deadLetterFile) return;
    try {
      await mkdir(path.dirname(this.options.deadLetterFile), { recursive: true });
      await appendFile(this.options.deadLetterFile, `${JSON.stringify(record)}\n`);
    } catch (writeErr) {
      this.options.logger.error({ err: writeErr }, "in-process SNS: could not write the dead-letter file");
    }
  }
}

/** The event Lambda receives from an SNS subscription, field for field. Nothing is signed here. */
export function snsLambdaEvent(message: OutboxMessage, topicArn: string, subscriptionArn = `${topicArn}:local`): SNSEvent {
  const region = topicArn.split(":")[3];
  return {
    Records: [
      {
        EventSource: "aws:sns",
        EventVersion: "1.0",
        EventSubscriptionArn: subscriptionArn,
        Sns: {
          Type: "Notification",
          MessageId: randomUUID(),
          TopicArn: topicArn,
          Subject: null as unknown as undefined, // SNS sends null when the publisher gave no subject
          Message: message.body,
          Timestamp: new Date().toISOString(),
          SignatureVersion: "1",
          Signature: "LOCAL-UNSIGNED",
          SigningCertUrl: `https://sns.${region}.amazonaws.com/SimpleNotificationService-local.pem`,
          UnsubscribeUrl: `https://sns.${region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`,
          MessageAttributes: { event_type: { Type: "String", Value: message.eventType } },
        },
      },
    ],
  };
}
