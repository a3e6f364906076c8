/**
 * Publishes committed outbox events to SNS from every API task: right after a registration commits
 * (`trigger`) and on an interval (`start`), so events left behind by an outage or a crashed task go
 * out too. There is no global order: events are claimed for a lease, up to ten PublishBatch calls'
 * worth at a time, published in batches of ten side by side, and marked in one statement; an entry
 * SNS refuses is retried after its own backoff without holding the others back. When a call fails
 * as a whole (SNS or the network down) the relay itself backs off, so a long outage costs a request
 * every few seconds.
 */
import { Knex } from "knex";
import { Logger } from "../../../shared/src/logger";
import { EventPublisher, PUBLISH_BATCH_MAX } from "./publisher";
import { ClaimedEvent, claimDueEvents, markPublished, scheduleRetries } from "./repository";

/**
 * Events one claim takes. Under a burst a claim and a mark per ten events cost the API task as much
 * CPU as the SNS calls themselves (docs/benchmarks/registration-profile.md); ten calls' worth per
 * claim shares them, and keeps pace when the database is a few milliseconds away and the process is
 * saturated (with fifty, the relay fell thousands of events behind in 13 s). Under light load a
 * claim finds one or two events and goes at once.
 */
const CLAIM_MAX = 10 * PUBLISH_BATCH_MAX;

export interface OutboxRelayOptions {
  db: Knex;
  publisher: EventPublisher;
  logger: Logger;
  /** How often to look for events nobody triggered a publication for (and retries now due). */
  sweepIntervalMs: number;
  /**
   * Claims in flight at once, each with up to ten PublishBatch calls. Default 2: with SNS answering
   * in 20 ms that is thousands of events/s, several times a task's registrations; and under
   * load a claim waits for the other's calls, then takes what was committed meanwhile in full
   * batches of ten (with four, a claim followed every commit and most calls carried fewer).
   */
  concurrency?: number;
  /** How long a claimed event is reserved for this relay before another may take it. Default 30 s. */
  leaseMs?: number;
  /** Backoff after failed attempts: doubles from `initialMs` up to `maxMs`, with jitter. */
  backoff?: { initialMs: number; maxMs: number };
}

export class OutboxRelay {
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly backoff: { initialMs: number; maxMs: number };
  private readonly workers = new Set<Promise<void>>();
  private interval?: NodeJS.Timeout;
  private wakeTimer?: NodeJS.Timeout;
  private wakeAt = 0;
  private pausedUntil = 0;
  private outageDelayMs: number;
  private again = false;
  private claiming = 0;
  private stopped = false;

  constructor(private readonly options: OutboxRelayOptions) {
    this.concurrency = options.concurrency ?? 2;
    this.leaseMs = options.leaseMs ?? 30_000;
    // At most 10 s between tries: an SNS outage costs a call per task every 10 s, and its end is noticed soon.
    this.backoff = options.backoff ?? { initialMs: 500, maxMs: 10_000 };
    this.outageDelayMs = this.backoff.initialMs;
  }

  start(): void {
    this.interval = setInterval(() => this.trigger(), this.options.sweepIntervalMs);
    this.interval.unref();
    this.trigger();
  }

  /**
   * Publishes due events soon. While a claim is being made, or every claim is busy publishing, the
   * call is remembered, not queued: the registrations committed together call it once each, and
   * one claim after the one under way takes all their events.
   */
  trigger(): void {
    if (this.stopped) return;
    const paused = this.pausedUntil - Date.now();
    if (paused > 0) return this.wakeAfter(paused);
    if (this.claiming === 0 && this.workers.size < this.concurrency) this.spawn();
    else this.again = true;
  }

  /** Resolves once no claim is in flight (tests and shutdown use it). */
  async idle(): Promise<void> {
    while (this.workers.size) await Promise.all(this.workers);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.interval);
    clearTimeout(this.wakeTimer);
    await this.idle(); // what is claimed but not published goes again when its lease ends
  }

  private spawn(): void {
    const worker = this.work().finally(() => this.workers.delete(worker));
    this.workers.add(worker);
  }

  private async work(): Promise<void> {
    try {
      for (;;) {
        this.again = false;
        this.claiming++;
        const events = await claimDueEvents(this.options.db, CLAIM_MAX, this.leaseMs).finally(() => this.claiming--);
        // A full claim, or events committed while claiming: ask for another claim beside this one.
        if (events.length === CLAIM_MAX || this.again) this.trigger();
        if (events.length) await this.publish(events);
        if ((events.length < CLAIM_MAX && !this.again) || this.stopped || Date.now() < this.pausedUntil) return;
      }
    } catch (err) {
      // The database itself failed (e.g. it is restarting): back off as for an SNS outage.
      this.options.logger.warn({ err: { message: (err as Error).message } }, "outbox relay: database unavailable; will retry");
      this.pause();
    }
  }

  private async publish(events: ClaimedEvent[]): Promise<void> {
    const batches: ClaimedEvent[][] = [];
    for (let i = 0; i < events.length; i += PUBLISH_BATCH_MAX) batches.push(events.slice(i, i + PUBLISH_BATCH_MAX));
    const results = await Promise.allSettled(batches.map((batch) => this.options.publisher.publishBatch(batch)));
    const failed = results.flatMap((result, i) =>
      result.status === "fulfilled" ? result.value.failed : batches[i].map((e) => ({ id: e.id, reason: (result.reason as Error).message })),
    );
    if (results.some((result) => result.status === "rejected")) this.pause();
    else this.outageDelayMs = this.backoff.initialMs;
    const failedIds = new Set(failed.map((f) => f.id));
    await markPublished(this.options.db, events.filter((e) => !failedIds.has(e.id)).map((e) => e.id));
    if (failed.length === 0) return;
    const attempts = new Map(events.map((e) => [e.id, e.attempts]));
    const retries = failed.map((f) => ({ id: f.id, error: f.reason, delayMs: this.delayAfter(attempts.get(f.id) ?? 1) }));
    this.options.logger.warn({ failed: retries.map(({ id, error }) => ({ eventId: id, error })) }, "outbox relay: events not accepted; will retry");
    await scheduleRetries(this.options.db, retries);
    this.wakeAfter(Math.min(...retries.map((r) => r.delayMs)));
  }

  /** Backoff of an event after its n-th failed attempt, jittered so tasks spread their retries. */
  private delayAfter(attempts: number): number {
    const delay = Math.min(this.backoff.initialMs * 2 ** (attempts - 1), this.backoff.maxMs);
    return delay * (0.5 + Math.random() / 2);
  }

  /** SNS (or the database) is down: no new batch until the relay's own backoff has passed. */
  private pause(): void {
    const delay = this.outageDelayMs * (0.5 + Math.random() / 2);
    this.outageDelayMs = Math.min(this.outageDelayMs * 2, this.backoff.maxMs);
    this.pausedUntil = Date.now() + delay;
    this.wakeAfter(delay);
  }

  /** Triggers in `ms`, unless a wake-up is already due sooner. */
  private wakeAfter(ms: number): void {
    const at = Date.now() + ms;
    if (this.stopped || (this.wakeTimer && this.wakeAt <= at)) return;
    clearTimeout(this.wakeTimer);
    this.wakeAt = at;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = undefined;
      this.trigger();
    }, ms + 1);
    this.wakeTimer.unref();
  }
}
