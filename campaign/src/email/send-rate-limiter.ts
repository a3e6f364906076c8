/**
 * Paces sending to the account's SES quota across every instance of every function: each email
 * takes a token from a bucket kept in PostgreSQL (`send_rate_limits`), refilled at the quota's
 * rate. Without it each instance would send as fast as SES answers, and a burst of registrations
 * would meet SES's `Throttling` instead of a short wait.
 *
 * Welcome emails come first. A welcome sender takes any token there is, and when it has to wait it
 * says so in the row (`welcome_waited_at`). A broadcast sender takes tokens only while no welcome
 * sender waited in the last second, and never the bucket's last few (the reserve): a lone welcome
 * email finds a token at once, a burst of them gets the whole quota, and a broadcast only ever uses
 * what welcome emails leave.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { Knex } from "knex";

export interface SendRateLimiter {
  /** Resolves true when one more welcome email may be sent, false when none could be before `deadline` (epoch ms). */
  acquire(deadline: number): Promise<boolean>;
  /**
   * Resolves with how many broadcast emails (1 to `max`) may be sent now, or 0 when none could be
   * granted before `deadline` (epoch ms).
   */
  acquireForBroadcast(max: number, deadline: number): Promise<number>;
}

export interface SendRateOptions {
  /** Emails per second: the account's SES maximum send rate. */
  ratePerSecond: number;
  /** The bucket's name; senders sharing a quota share a name. */
  name?: string;
}

/** How long broadcasts stand back after a welcome sender had to wait. */
const WELCOME_PRIORITY_SECONDS = 1;

export function databaseSendRateLimiter(db: Knex, options: SendRateOptions): SendRateLimiter {
  const name = options.name ?? "ses";
  const rate = options.ratePerSecond;
  // Half a second's worth saved up at most: a burst starts at once, yet stays under SES's own bucket.
  const burst = Math.max(1, rate / 2);
  // A fifth of that is left to welcome emails (none when the bucket holds a single token).
  const reserve = Math.min(burst - 1, burst / 5);
  // A broadcast grant is taken whole, so it must fit above the reserve.
  const largestGrant = Math.max(1, Math.floor(burst - reserve));
  const ensureBucket = () => db("send_rate_limits").insert({ name, tokens: burst, refilled_at: db.fn.now() }).onConflict("name").ignore();

  const takeForWelcome = async (): Promise<{ granted: boolean; wait_seconds: number } | undefined> => {
    const { rows } = await db.raw(
      `UPDATE send_rate_limits l
       SET tokens = s.available - CASE WHEN s.available >= 1 THEN 1 ELSE 0 END, refilled_at = s.at,
           welcome_waited_at = CASE WHEN s.available >= 1 THEN l.welcome_waited_at ELSE s.at END
       FROM (SELECT least(?::float8, tokens + ?::float8 * extract(epoch FROM clock_timestamp() - refilled_at)) AS available,
                    clock_timestamp() AS at
             FROM send_rate_limits WHERE name = ? FOR UPDATE) s
       WHERE l.name = ?
       RETURNING s.available >= 1 AS granted, (1 - s.available) / ?::float8 AS wait_seconds`,
      [burst, rate, name, name, rate],
    );
    return rows[0];
  };

  const takeForBroadcast = async (want: number): Promise<{ granted: number; wait_seconds: number } | undefined> => {
    const { rows } = await db.raw(
      `UPDATE send_rate_limits l
       SET tokens = s.available - s.granted, refilled_at = s.at
       FROM (SELECT available, at, paused_until,
                    CASE WHEN paused_until > at OR available - ?::float8 < ? THEN 0 ELSE ? END AS granted
             FROM (SELECT least(?::float8, tokens + ?::float8 * extract(epoch FROM clock_timestamp() - refilled_at)) AS available,
                          clock_timestamp() AS at,
                          coalesce(welcome_waited_at + ? * interval '1 second', '-infinity') AS paused_until
                   FROM send_rate_limits WHERE name = ? FOR UPDATE) x) s
       WHERE l.name = ?
       RETURNING s.granted,
                 CASE WHEN s.paused_until > s.at THEN extract(epoch FROM s.paused_until - s.at)
                      ELSE (?::float8 + ? - s.available) / ?::float8 END AS wait_seconds`,
      [reserve, want, want, burst, rate, WELCOME_PRIORITY_SECONDS, name, name, reserve, want, rate],
    );
    return rows[0];
  };

  return {
    async acquire(deadline) {
      for (;;) {
        const answer = await takeForWelcome();
        if (!answer) {
          await ensureBucket();
          continue;
        }
        if (answer.granted) return true;
        const waitMs = Math.max(1, answer.wait_seconds * 1000);
        if (Date.now() + waitMs > deadline) return false;
        await sleep(waitMs);
      }
    },
    async acquireForBroadcast(max, deadline) {
      const want = Math.max(1, Math.min(max, largestGrant));
      for (;;) {
        const answer = await takeForBroadcast(want);
        if (!answer) {
          await ensureBucket();
          continue;
        }
        if (answer.granted > 0) return answer.granted;
        const waitMs = Math.max(1, Number(answer.wait_seconds) * 1000);
        if (Date.now() + waitMs > deadline) return 0;
        await sleep(waitMs);
      }
    },
  };
}
