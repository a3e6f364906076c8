/**
 * Publishes committed outbox events. It runs inside every API task: right after a registration
 * commits (`trigger`) and on an interval (`start`), so events left behind by an SNS outage or a
 * crashed task are published too. On failure the whole relay backs off exponentially: a failing
 * SNS fails every event alike, and stopping at the first failure keeps publication in order.
 */
import { Knex } from "knex";
import { Logger } from "../../../shared/src/logger";
import { EventPublisher } from "./publisher";
import { lockPendingEvents, markPublished, recordFailedAttempt } from "./repository";

export interface OutboxRelayOptions {
  db: Knex;
  publisher: EventPublisher;
  logger: Logger;
  /** How often to look for events nobody triggered a publication for. */
  sweepIntervalMs: number;
  batchSize?: number;
  /** Backoff after a failed publication: doubles from `initialMs` up to `maxMs`. */
  backoff?: { initialMs: number; maxMs: number };
}

export class OutboxRelay {
  private readonly batchSize: number;
  private readonly backoff: { initialMs: number; maxMs: number };
  private interval?: NodeJS.Timeout;
  private retryTimer?: NodeJS.Timeout;
  private retryDelayMs: number;
  private running?: Promise<void>;
  private runAgain = false;
  private stopped = false;

  constructor(private readonly options: OutboxRelayOptions) {
    this.batchSize = options.batchSize ?? 50;
    this.backoff = options.backoff ?? { initialMs: 500, maxMs: 30_000 };
    this.retryDelayMs = this.backoff.initialMs;
  }

  start(): void {
    this.interval = setInterval(() => this.trigger(), this.options.sweepIntervalMs);
    this.interval.unref();
    this.trigger();
  }

  /** Publishes pending events soon. Calls while a sweep runs or during a backoff are coalesced. */
  trigger(): void {
    if (this.stopped || this.retryTimer) return;
    if (this.running) {
      this.runAgain = true;
      return;
    }
    this.running = this.sweep().finally(() => {
      this.running = undefined;
      if (this.runAgain) {
        this.runAgain = false;
        this.trigger();
      }
    });
  }

  /** Waits for the current sweep, if any (tests and shutdown use it). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.interval);
    clearTimeout(this.retryTimer);
    await this.idle();
  }

  private async sweep(): Promise<void> {
    try {
      for (;;) {
        const { published, failed, full } = await this.publishBatch();
        if (published > 0) this.options.logger.debug({ published }, "outbox events published");
        if (failed) return this.scheduleRetry();
        if (!full || this.stopped) break;
      }
      this.retryDelayMs = this.backoff.initialMs;
    } catch (err) {
      // The database itself failed (e.g. it is restarting): same treatment as a publishing failure.
      this.options.logger.warn({ err: { message: (err as Error).message } }, "outbox sweep failed");
      this.scheduleRetry();
    }
  }

  private publishBatch(): Promise<{ published: number; failed: boolean; full: boolean }> {
    return this.options.db.transaction(async (trx) => {
      const events = await lockPendingEvents(trx, this.batchSize);
      const published: string[] = [];
      let failed = false;
      for (const event of events) {
        try {
          await this.options.publisher.publish(event);
          published.push(event.id);
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          this.options.logger.warn({ eventId: event.id, err: { message } }, "publishing an outbox event failed; will retry");
          await recordFailedAttempt(trx, event.id, message);
          failed = true;
          break;
        }
      }
      await markPublished(trx, published);
      return { published: published.length, failed, full: events.length === this.batchSize };
    });
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    const delay = this.retryDelayMs * (0.5 + Math.random() / 2); // jitter spreads the tasks' retries
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, this.backoff.maxMs);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.trigger();
    }, delay);
    this.retryTimer.unref();
  }
}
