import { Knex } from "knex";
import { OutboxMessage } from "./publisher";

export interface PendingEvent extends OutboxMessage {
  seq: string;
}

/**
 * Locks the oldest unpublished events for this transaction. SKIP LOCKED lets several relays (one per
 * API task) work side by side: each row is taken by exactly one of them.
 */
export async function lockPendingEvents(trx: Knex.Transaction, limit: number): Promise<PendingEvent[]> {
  const rows: { id: string; seq: string; event_type: string; payload: string }[] = await trx("outbox")
    .select("id", "seq", "event_type", "payload")
    .whereNull("published_at")
    .orderBy("seq")
    .limit(limit)
    .forUpdate()
    .skipLocked();
  return rows.map((r) => ({ id: r.id, seq: r.seq, eventType: r.event_type, body: r.payload }));
}

export async function markPublished(trx: Knex.Transaction, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await trx("outbox")
    .whereIn("id", ids)
    .update({ published_at: trx.fn.now(), attempts: trx.raw("attempts + 1"), last_error: null });
}

export async function recordFailedAttempt(trx: Knex.Transaction, id: string, error: string): Promise<void> {
  await trx("outbox")
    .where({ id })
    .update({ attempts: trx.raw("attempts + 1"), last_error: error.slice(0, 1000) });
}

/** Unpublished events and the age of the oldest, for health reporting and the soak test. */
export async function outboxBacklog(db: Knex): Promise<{ pending: number; oldestAgeSeconds: number | null }> {
  const row = await db("outbox")
    .whereNull("published_at")
    .first(db.raw("count(*)::int AS pending"), db.raw("extract(epoch FROM now() - min(created_at))::float AS oldest"));
  return { pending: row?.pending ?? 0, oldestAgeSeconds: row?.oldest ?? null };
}
