import { randomUUID } from "node:crypto";
import { Knex } from "knex";
import { AppError } from "../../../shared/src/app-error";
import { newBroadcastLaunchedEvent } from "../../../shared/src/events/broadcast-launched";
import { statusAt } from "../campaigns/campaign-response";
import { findCampaign } from "../campaigns/repository";
import { Broadcast, countAudience, insertBroadcast, insertOutboxEvent } from "./repository";
import { BroadcastRequest } from "./schema";

export interface BroadcastDependencies {
  db: Knex;
  /** Called after the commit, so the relay publishes the new event without waiting for its sweep. */
  onEventCommitted: () => void;
}

/** A broadcast announces a campaign that is ongoing or upcoming; anything else is refused. */
export async function requireOpenCampaign(db: Knex, campaignId: string, at: Date, options: { forUpdate?: boolean } = {}): Promise<void> {
  const campaign = await findCampaign(db, campaignId, options);
  if (!campaign) {
    throw new AppError("not-found", `No campaign with id ${campaignId}`, {
      status: 404,
      details: [{ field: "campaign_id", message: "campaign_id names no campaign" }],
    });
  }
  if (statusAt(campaign, at) === "ended") {
    throw new AppError("campaign-ended", "The campaign has ended: there is nothing left to announce", {
      status: 409,
      details: [{ field: "campaign_id", message: "the campaign has ended" }],
    });
  }
}

/** How many customers a launch of this request would target now; refused as the launch would be. */
export async function previewBroadcast(db: Knex, request: BroadcastRequest): Promise<number> {
  await requireOpenCampaign(db, request.campaign_id, new Date());
  return countAudience(db, request.segment);
}

/** Writes a `broadcast.launched` event for the broadcast, in the caller's transaction. */
export async function announce(trx: Knex.Transaction, broadcastId: string, at: Date): Promise<void> {
  const event = newBroadcastLaunchedEvent(broadcastId, at);
  await insertOutboxEvent(trx, { id: event.event_id, eventType: event.event_type, body: JSON.stringify(event) });
}

/**
 * Records the broadcast (sending) and its `broadcast.launched` event in one transaction: both exist
 * or neither does. The broadcast function enumerates and sends once the relay has published it.
 */
export async function launchBroadcast(deps: BroadcastDependencies, request: BroadcastRequest): Promise<Broadcast> {
  const at = new Date();
  const broadcast = await deps.db.transaction(async (trx) => {
    // Locked, so the campaign cannot end or go between the check and the commit.
    await requireOpenCampaign(trx, request.campaign_id, at, { forUpdate: true });
    const created = await insertBroadcast(trx, { id: randomUUID(), campaign_id: request.campaign_id, segment: request.segment, at });
    await announce(trx, created.id, at);
    return created;
  });
  deps.onEventCommitted();
  return broadcast;
}
