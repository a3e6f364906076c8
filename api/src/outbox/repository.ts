import { Knex } from "knex";
import { OutboxMessage } from "./publisher";

export interface ClaimedEvent extends OutboxMessage {
  /** Publication attempts, this one included. */
  attempts: number;
}

/**
 * Claims up to `limit` events due for publication, for `leaseMs`: until then no other relay takes
 * them, and if this one dies they become due again. SKIP LOCKED lets relays in several tasks claim
 * side by side, each event going to exactly one of them.
 */
export async function claimDueEvents(db: Knex, limit: number, leaseMs: number): Promise<ClaimedEvent[]> {
  const { rows } = await db.raw<{ rows: { id: string; event_type: string; payload: string; attempts: number }[] }>(
    `UPDATE outbox o
     SET available_at = clock_timestamp() + ? * interval '1 millisecond', attempts = o.attempts + 1
     FROM (SELECT id FROM outbox WHERE published_at IS NULL AND available_at <= clock_timestamp()
           ORDER BY available_at LIMIT ? FOR UPDATE SKIP LOCKED) due
     WHERE o.id = due.id
     RETURNING o.id, o.event_type, o.payload, o.attempts`,
    [leaseMs, limit],
  );
  return rows.map((r) => ({ id: r.id, eventType: r.event_type, body: r.payload, attempts: r.attempts }));
}

export async function markPublished(db: Knex, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db("outbox").whereIn("id", ids).update({ published_at: db.fn.now(), last_error: null });
}

/** Makes failed events due again after their own backoff; the others are not held back. */
export async function scheduleRetries(db: Knex, failures: { id: string; error: string; delayMs: number }[]): Promise<void> {
  if (failures.length === 0) return;
  await db.raw(
    `UPDATE outbox o SET available_at = clock_timestamp() + f.delay_ms * interval '1 millisecond', last_error = f.error
     FROM unnest(?::uuid[], ?::int[], ?::text[]) AS f(id, delay_ms, error)
     WHERE o.id = f.id AND o.published_at IS NULL`,
    [failures.map((f) => f.id), failures.map((f) => Math.round(f.delayMs)), failures.map((f) => f.error.slice(0, 1000))],
  );
}

/** Unpublished events and the age of the oldest, for the backlog metric and the tests. */
export async function outboxBacklog(db: Knex): Promise<{ pending: number; oldestAgeSeconds: number | null }> {
  const row = await db("outbox")
    .whereNull("published_at")
    .first(db.raw("count(*)::int AS pending"), db.raw("extract(epoch FROM now() - min(created_at))::float AS oldest"));
  return { pending: row?.pending ?? 0, oldestAgeSeconds: row?.oldest ?? null };
}
