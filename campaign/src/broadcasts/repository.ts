/**
 * The broadcast function's SQL. Deliveries are worked on in sets (a page of up to 1,000, a chunk of
 * up to 25) with one statement per step, never one per customer: the per-email cost is SES's.
 */
import { Knex } from "knex";
import { Segment, whereInAudience } from "../../../shared/src/broadcast-audience";
import { OngoingCampaign } from "../campaigns/ongoing-campaigns";

export type BroadcastStatus = "sending" | "cancelled" | "finished";

export interface BroadcastToSend {
  id: string;
  status: BroadcastStatus;
  segment: Segment;
  campaign: OngoingCampaign;
}

export async function findBroadcast(db: Knex, id: string): Promise<BroadcastToSend | undefined> {
  const row = await db("broadcasts as b")
    .join("campaigns as c", "c.id", "b.campaign_id")
    .where("b.id", id)
    .first("b.id", "b.status", "b.segment", "c.name", "c.offer", "c.discount_code", "c.ends_at");
  if (!row) return undefined;
  const { name, offer, discount_code, ends_at } = row;
  return { id: row.id, status: row.status, segment: row.segment, campaign: { name, offer, discount_code, ends_at } };
}

/**
 * A launch (the first, or a relaunch) enumerates from the beginning: until its last page, the
 * broadcast cannot be taken for finished.
 */
export async function startEnumeration(db: Knex, id: string): Promise<boolean> {
  const updated = await db("broadcasts")
    .where({ id, status: "sending" })
    .update({ enumerated: false, started_at: db.raw("coalesce(started_at, clock_timestamp())") });
  return updated === 1;
}

export interface EnumeratedPage {
  /** How many customers of the audience the page held (PAGE_SIZE unless it is the last). */
  size: number;
  /** The last customer id of the page: where the next page starts. */
  last: string | null;
  /** The page's recipients whose delivery is queued, new or left from an earlier launch, in id order. */
  queued: string[];
}

/**
 * The next keyset page of the audience after `after`: its deliveries are inserted (queued; a
 * customer already a recipient of this broadcast keeps their row) and the new ones counted in
 * `targeted`, in one statement, so a repeated page inserts and counts nothing twice.
 */
export async function enumeratePage(db: Knex, broadcast: BroadcastToSend, after: string | null, pageSize: number): Promise<EnumeratedPage> {
  const page = whereInAudience(db("customers").select("customers.id AS customer_id").orderBy("customers.id").limit(pageSize), broadcast.segment);
  if (after) page.where("customers.id", ">", after);
  const { rows } = await db.raw<{ rows: { customer_id: string; queued: boolean }[] }>(
    `WITH page AS ?,
     inserted AS (
       INSERT INTO broadcast_deliveries (broadcast_id, customer_id) SELECT ?, customer_id FROM page
       ON CONFLICT (broadcast_id, customer_id) DO NOTHING RETURNING customer_id
     ),
     counted AS (UPDATE broadcasts SET targeted = targeted + (SELECT count(*) FROM inserted) WHERE id = ?)
     SELECT page.customer_id, (i.customer_id IS NOT NULL OR d.status = 'queued') AS queued
     FROM page
     LEFT JOIN inserted i ON i.customer_id = page.customer_id
     LEFT JOIN broadcast_deliveries d ON d.broadcast_id = ? AND d.customer_id = page.customer_id
     ORDER BY page.customer_id`,
    [page, broadcast.id, broadcast.id, broadcast.id],
  );
  return {
    size: rows.length,
    last: rows.at(-1)?.customer_id ?? null,
    queued: rows.filter((r) => r.queued).map((r) => r.customer_id),
  };
}

// Correlated with the broadcast's row: looked at only once the cheaper conditions hold.
const NOTHING_LEFT = "NOT EXISTS (SELECT 1 FROM broadcast_deliveries d WHERE d.broadcast_id = b.id AND d.status IN ('queued', 'sending'))";

/**
 * The enumeration is complete; the broadcast is finished at once when nothing is left to send.
 * One statement, so it cannot miss a send that finished meanwhile (see `finishIfDone`).
 */
export async function markEnumerated(db: Knex, id: string): Promise<void> {
  await db.raw(
    `UPDATE broadcasts b SET enumerated = true,
       status = CASE WHEN ${NOTHING_LEFT} THEN 'finished' ELSE b.status END,
       finished_at = CASE WHEN ${NOTHING_LEFT} THEN clock_timestamp() ELSE b.finished_at END
     WHERE b.id = ? AND b.status = 'sending'`,
    [id],
  );
}

/**
 * A broadcast is finished once enumerated with no delivery queued or being sent. Every sender runs
 * this after its own commit, and the enumeration's end runs it too, so the last to commit sees
 * everything the others committed.
 */
export async function finishIfDone(db: Knex, id: string): Promise<void> {
  await db.raw(
    `UPDATE broadcasts b SET status = 'finished', finished_at = clock_timestamp()
     WHERE b.id = ? AND b.status = 'sending' AND b.enumerated AND ${NOTHING_LEFT}`,
    [id],
  );
}
