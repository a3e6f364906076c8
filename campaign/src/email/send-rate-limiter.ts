/**
 * Paces sending to the account's SES quota across every instance of the function: each email
 * takes a token from a bucket kept in PostgreSQL (`send_rate_limits`), refilled at the quota's
 * rate. Without it each instance would send as fast as SES answers, and a burst of registrations
 * would meet SES's `Throttling` instead of a short wait.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { Knex } from "knex";

export interface SendRateLimiter {
  /** Resolves when one more email may be sent. */
  acquire(): Promise<void>;
}

export interface SendRateOptions {
  /** Emails per second: the account's SES maximum send rate. */
  ratePerSecond: number;
  /** The bucket's name; senders sharing a quota share a name. */
  name?: string;
}

export function databaseSendRateLimiter(db: Knex, options: SendRateOptions): SendRateLimiter {
  const name = options.name ?? "ses";
  const rate = options.ratePerSecond;
  // Half a second's worth saved up at most: a burst starts at once, yet stays under SES's own bucket.
  const burst = Math.max(1, rate / 2);
  const take = async (): Promise<{ granted: boolean; wait_seconds: number } | undefined> => {
    const { rows } = await db.raw(
      `UPDATE send_rate_limits l
       SET tokens = s.available - CASE WHEN s.available >= 1 THEN 1 ELSE 0 END, refilled_at = s.at
       FROM (SELECT least(?::float8, tokens + ?::float8 * extract(epoch FROM clock_timestamp() - refilled_at)) AS available,
                    clock_timestamp() AS at
             FROM send_rate_limits WHERE name = ? FOR UPDATE) s
       WHERE l.name = ?
       RETURNING s.available >= 1 AS granted, (1 - s.available) / ?::float8 AS wait_seconds`,
      [burst, rate, name, name, rate],
    );
    return rows[0];
  };
  return {
    async acquire() {
      for (;;) {
        const answer = await take();
        if (!answer) {
          await db("send_rate_limits").insert({ name, tokens: burst, refilled_at: db.fn.now() }).onConflict("name").ignore();
          continue;
        }
        if (answer.granted) return;
        await sleep(Math.max(1, answer.wait_seconds * 1000));
      }
    },
  };
}
