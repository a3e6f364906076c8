/**
 * Deletes personal data kept past its retention (`PERSONAL_DATA_RETENTION_DAYS`), every store of
 * `personal-data.ts` that has a retention. It runs in every API task on an interval; a PostgreSQL
 * advisory lock lets one task at a time do the work, and the others skip that round. Rows go in
 * small batches, each its own short statement, so no lock is held for long and registrations
 * (which insert into the same tables) never wait on it.
 */
import { Knex } from "knex";
import { Logger } from "../../../shared/src/logger";
import { personalDataStores } from "./personal-data";

/** Arbitrary, fixed: every task must use the same key (migrations use 4_210_001). */
export const RETENTION_LOCK_KEY = 4_210_002;

export interface RetentionJobOptions {
  db: Knex;
  logger: Logger;
  retentionDays: number;
  /** How often a round runs; default hourly. */
  intervalMs?: number;
  /** Rows deleted per statement; default 500. */
  batchSize?: number;
}

export class RetentionJob {
  private readonly intervalMs: number;
  private readonly batchSize: number;
  private interval?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = false;

  constructor(private readonly options: RetentionJobOptions) {
    this.intervalMs = options.intervalMs ?? 60 * 60 * 1000;
    this.batchSize = options.batchSize ?? 500;
  }

  start(): void {
    const round = () => {
      if (this.stopped) return;
      this.running ??= this.runOnce()
        .catch((err) => this.options.logger.warn({ err: { message: (err as Error).message } }, "personal data retention failed; next round retries"))
        .finally(() => (this.running = undefined));
    };
    this.interval = setInterval(round, this.intervalMs);
    this.interval.unref();
    round();
  }

  /** Waits for the round under way, if any; no new one starts. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.interval);
    await this.running;
  }

  /** One round: rows deleted per table, or undefined when another task holds the lock. */
  async runOnce(): Promise<Record<string, number> | undefined> {
    const { db } = this.options;
    // A session lock lives on one connection: take one from the pool for the round, lock and unlock on it.
    const connection = await db.client.acquireConnection();
    try {
      const { rows } = await db.raw("SELECT pg_try_advisory_lock(?) AS locked", [RETENTION_LOCK_KEY]).connection(connection);
      if (!rows[0].locked) return undefined;
      try {
        return await this.deleteExpired();
      } finally {
        await db.raw("SELECT pg_advisory_unlock(?)", [RETENTION_LOCK_KEY]).connection(connection);
      }
    } finally {
      await db.client.releaseConnection(connection);
    }
  }

  private async deleteExpired(): Promise<Record<string, number>> {
    const { db, retentionDays, logger } = this.options;
    const deleted: Record<string, number> = {};
    for (const store of personalDataStores) {
      if (!store.deleteExpired) continue;
      deleted[store.table] = 0;
      for (;;) {
        const count = await store.deleteExpired(db, retentionDays, this.batchSize);
        deleted[store.table] += count;
        if (count < this.batchSize || this.stopped) break;
      }
    }
    if (Object.values(deleted).some((n) => n > 0)) logger.info({ deleted, retentionDays }, "personal data past retention deleted");
    return deleted;
  }
}
