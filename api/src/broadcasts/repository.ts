import { Knex } from "knex";
import { Segment, whereInAudience } from "../../../shared/src/broadcast-audience";
import { OutboxMessage } from "../outbox/publisher";
import { BroadcastListFilter, BroadcastStatus } from "./schema";

export interface Broadcast {
  id: string;
  campaign_id: string;
  segment: Segment;
  status: BroadcastStatus;
  /** Recipients the broadcast function has enumerated so far. */
  targeted: number;
  /** True once the function has walked the whole audience. */
  enumerated: boolean;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  cancelled_at: Date | null;
}

export type DeliveryStatus = "queued" | "sending" | "sent" | "suppressed" | "skipped" | "failed";
export type DeliveryCounts = Record<DeliveryStatus, number>;

/** Customers a broadcast to `segment` would reach now. */
export async function countAudience(db: Knex, segment: Segment): Promise<number> {
  const row = await whereInAudience(db("customers"), segment).first(db.raw("count(*)::int AS n"));
  return row.n;
}

/**
 * Customers the broadcast would reach now and has no delivery for yet: those its enumeration has
 * still to come to (it walks the audience from the start again after a relaunch).
 */
export async function countNotYetEnumerated(db: Knex, broadcast: Broadcast): Promise<number> {
  const row = await whereInAudience(db("customers"), broadcast.segment)
    .whereNotExists((delivery) =>
      delivery.select(1).from("broadcast_deliveries").where("broadcast_deliveries.broadcast_id", broadcast.id).whereRaw("broadcast_deliveries.customer_id = customers.id"),
    )
    .first(db.raw("count(*)::int AS n"));
  return row.n;
}

/** Deliveries by status, read from the `(broadcast_id, status)` index. */
export async function countDeliveries(db: Knex, broadcastId: string): Promise<DeliveryCounts> {
  const rows: { status: DeliveryStatus; n: number }[] = await db("broadcast_deliveries")
    .where({ broadcast_id: broadcastId })
    .groupBy("status")
    .select("status", db.raw("count(*)::int AS n"));
  const counts: DeliveryCounts = { queued: 0, sending: 0, sent: 0, suppressed: 0, skipped: 0, failed: 0 };
  for (const { status, n } of rows) counts[status] = n;
  return counts;
}

export async function insertBroadcast(trx: Knex.Transaction, fields: { id: string; campaign_id: string; segment: Segment; at: Date }): Promise<Broadcast> {
  const [broadcast] = await trx<Broadcast>("broadcasts")
    .insert({
      id: fields.id,
      campaign_id: fields.campaign_id,
      segment: JSON.stringify(fields.segment) as unknown as Segment,
      status: "sending",
      created_at: fields.at,
      started_at: fields.at,
    })
    .returning("*");
  return broadcast;
}

/** Writes an event for the relay to publish; committed (or not) with the change it announces. */
export async function insertOutboxEvent(trx: Knex.Transaction, event: OutboxMessage): Promise<void> {
  await trx("outbox").insert({ id: event.id, event_type: event.eventType, payload: event.body });
}

/**
 * With `forUpdate`, the row is locked FOR NO KEY UPDATE: status changes wait for each other, while
 * the broadcast function keeps inserting deliveries (their foreign key only takes KEY SHARE).
 */
export async function findBroadcast(db: Knex, id: string, options: { forUpdate?: boolean } = {}): Promise<Broadcast | undefined> {
  const query = db<Broadcast>("broadcasts").where({ id }).first();
  return (options.forUpdate ? query.forNoKeyUpdate() : query) as Promise<Broadcast | undefined>;
}

export async function listBroadcasts(db: Knex, filter: BroadcastListFilter): Promise<Broadcast[]> {
  const query = db<Broadcast>("broadcasts").select("*").orderBy([{ column: "created_at", order: "desc" }, { column: "id" }]);
  if (filter.campaign_id) query.where({ campaign_id: filter.campaign_id });
  if (filter.status) query.where({ status: filter.status });
  return query.limit(filter.limit).offset(filter.offset);
}

export async function markCancelled(trx: Knex.Transaction, id: string): Promise<Broadcast> {
  const [broadcast] = await trx<Broadcast>("broadcasts")
    .where({ id })
    .update({ status: "cancelled", cancelled_at: trx.fn.now() as unknown as Date })
    .returning("*");
  return broadcast;
}

/** Makes the broadcast sending again, its enumeration to be walked from the start. */
export async function markRelaunched(trx: Knex.Transaction, id: string): Promise<Broadcast> {
  const [broadcast] = await trx<Broadcast>("broadcasts")
    .where({ id })
    .update({ status: "sending", enumerated: false, finished_at: null })
    .returning("*");
  return broadcast;
}
