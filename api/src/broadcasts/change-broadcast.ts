import { AppError } from "../../../shared/src/app-error";
import { announce, BroadcastDependencies, requireOpenCampaign } from "./launch-broadcast";
import { Broadcast, findBroadcast, markCancelled, markRelaunched } from "./repository";

export function broadcastNotFound(id: string): AppError {
  return new AppError("not-found", `No broadcast with id ${id}`, { status: 404 });
}

/**
 * Stops a sending broadcast: the broadcast function checks the status before each send, so nothing
 * more is sent once this commits (a send already under way may still complete). Its queued
 * deliveries are left for the function, which marks each `skipped` as it drains their messages;
 * progress counts them as skipped from now on.
 */
export async function cancelBroadcast(deps: BroadcastDependencies, id: string): Promise<Broadcast> {
  return deps.db.transaction(async (trx) => {
    const current = await findBroadcast(trx, id, { forUpdate: true });
    if (!current) throw broadcastNotFound(id);
    if (current.status !== "sending") {
      throw new AppError(`broadcast-${current.status}`, `The broadcast is already ${current.status}`, { status: 409 });
    }
    return markCancelled(trx, id);
  });
}

/**
 * Announces the broadcast again: its recipients are enumerated from the start, reaching whoever
 * joined the audience since, while the deliveries' primary key keeps it at most once per customer.
 * For a broadcast still sending (its enumeration lost, say) or finished; a cancelled one stays so,
 * and a campaign that has ended is not announced again.
 */
export async function relaunchBroadcast(deps: BroadcastDependencies, id: string): Promise<Broadcast> {
  const at = new Date();
  const broadcast = await deps.db.transaction(async (trx) => {
    const current = await findBroadcast(trx, id, { forUpdate: true });
    if (!current) throw broadcastNotFound(id);
    if (current.status === "cancelled") {
      throw new AppError("broadcast-cancelled", "The broadcast was cancelled; launch a new one instead", { status: 409 });
    }
    await requireOpenCampaign(trx, current.campaign_id, at);
    const relaunched = await markRelaunched(trx, id);
    await announce(trx, id, at);
    return relaunched;
  });
  deps.onEventCommitted();
  return broadcast;
}
