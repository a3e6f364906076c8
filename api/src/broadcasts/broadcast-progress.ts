import { Knex } from "knex";
import { Segment } from "../../../shared/src/broadcast-audience";
import { Broadcast, countDeliveries, countNotYetEnumerated, DeliveryCounts, findBroadcast } from "./repository";
import { BroadcastStatus } from "./schema";

/** A broadcast as lists show it: what it is and where it stands, without counting its deliveries. */
export interface BroadcastSummary {
  id: string;
  campaign_id: string;
  segment: Segment;
  status: BroadcastStatus;
  targeted: number;
  enumerated: boolean;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  cancelled_at: string | null;
}

/** A broadcast with its progress. */
export interface BroadcastProgress extends BroadcastSummary {
  sent: number;
  suppressed: number;
  skipped: number;
  failed: number;
  remaining: number;
}

export function toBroadcastSummary(broadcast: Broadcast): BroadcastSummary {
  return {
    id: broadcast.id,
    campaign_id: broadcast.campaign_id,
    segment: broadcast.segment,
    status: broadcast.status,
    targeted: broadcast.targeted,
    enumerated: broadcast.enumerated,
    created_at: broadcast.created_at.toISOString(),
    started_at: broadcast.started_at?.toISOString() ?? null,
    finished_at: broadcast.finished_at?.toISOString() ?? null,
    cancelled_at: broadcast.cancelled_at?.toISOString() ?? null,
  };
}

/**
 * Progress from the deliveries. `remaining` is what may still be sent: deliveries queued or being
 * sent, plus, while the enumeration is under way, the customers of the audience it has still to
 * come to. A cancelled broadcast sends nothing more: its queued deliveries count as skipped (the
 * function marks them so as it drains them), and only sends already under way remain.
 */
export function toBroadcastProgress(broadcast: Broadcast, counts: DeliveryCounts, notYetEnumerated: number): BroadcastProgress {
  const cancelled = broadcast.status === "cancelled";
  return {
    ...toBroadcastSummary(broadcast),
    sent: counts.sent,
    suppressed: counts.suppressed,
    skipped: counts.skipped + (cancelled ? counts.queued : 0),
    failed: counts.failed,
    remaining: counts.sending + (cancelled ? 0 : counts.queued + notYetEnumerated),
  };
}

/**
 * The broadcast and its counts, read from one snapshot (no customer is counted both queued and not
 * yet enumerated); undefined when there is no such broadcast.
 */
export async function readBroadcastProgress(db: Knex, id: string): Promise<BroadcastProgress | undefined> {
  return db.transaction(
    async (trx) => {
      const broadcast = await findBroadcast(trx, id);
      if (!broadcast) return undefined;
      const counts = await countDeliveries(trx, id);
      const enumerating = broadcast.status === "sending" && !broadcast.enumerated;
      return toBroadcastProgress(broadcast, counts, enumerating ? await countNotYetEnumerated(trx, broadcast) : 0);
    },
    { isolationLevel: "repeatable read", readOnly: true },
  );
}
