import { SESClient } from "@aws-sdk/client-ses";
import { Knex } from "knex";
import { isDatabaseUnavailable } from "../../../shared/src/database";
import { Logger } from "../../../shared/src/logger";
import { renderBroadcastEmail } from "../email/broadcast-email";
import { SendRateLimiter } from "../email/send-rate-limiter";
import { sendEmail } from "../email/ses-sender";
import { signedLink } from "../email/signed-link";
import { untilDatabaseAnswers } from "../database-retry";
import { InvocationTime } from "../invocation-time";
import { maskEmails } from "../queue-handler";
import { claimDeliveries, DeliveryOutcome, lockTimeoutsAndStatus, recordDeliveries, storeSentDeliveries } from "./delivery-claims";
import { BroadcastToSend } from "./repository";

export interface BroadcastEmailDependencies {
  db: Knex;
  ses: SESClient;
  /** Paces sends to the account's SES quota, welcome emails first. */
  sendRate: SendRateLimiter;
  senderEmail: string;
  /** Where the API answers the emails' unsubscribe links, without a trailing slash. */
  publicBaseUrl: string;
  unsubscribeSigningKey: string;
  logger: Logger;
}

export interface SendCounts {
  sent: number;
  suppressed: number;
  skipped: number;
  failed: number;
}

export type SendOutcome =
  /** Every customer of the message is done with (or was already). */
  | { status: "done"; counts: SendCounts }
  /** The broadcast is no longer sending (cancelled, finished): nothing more is sent. */
  | { status: "stopped"; counts: SendCounts }
  /** SES (or the network to it) failed: the customers it failed for are still queued; the message must come back. */
  | { status: "retry"; counts: SendCounts }
  /** Time ran out before `remaining` could be sent: they go back to the queue in a new message. */
  | { status: "deferred"; remaining: string[]; counts: SendCounts };

/**
 * Sends a `send` message's broadcast emails, a chunk at a time: as many customers as the rate
 * limiter grants (welcome emails first), then one transaction that checks the broadcast is still
 * sending, claims the chunk's queued deliveries, checks each customer is still in the audience,
 * sends through SES and records the outcomes. No chunk starts after `time.startBy`, and `time.cutoff`
 * aborts SES calls still under way (see invocation-time.ts).
 */
export async function sendBroadcastEmails(deps: BroadcastEmailDependencies, broadcast: BroadcastToSend, customerIds: string[], time: InvocationTime): Promise<SendOutcome> {
  const counts: SendCounts = { sent: 0, suppressed: 0, skipped: 0, failed: 0 };
  const remaining = [...customerIds];
  while (remaining.length) {
    // Before the transaction, so no connection is held while waiting for the quota.
    const granted = Date.now() < time.startBy ? await deps.sendRate.acquireForBroadcast(remaining.length, time.startBy) : 0;
    if (granted === 0) return { status: "deferred", remaining, counts };
    const chunk = remaining.splice(0, granted);
    const result = await sendChunk(deps, broadcast, chunk, time.cutoff);
    if (result === "stopped") return { status: "stopped", counts };
    for (const outcome of result.outcomes) counts[outcome.status]++;
    if (result.retry) return { status: "retry", counts };
    if (time.cutoff.aborted) {
      // Cut off by the invocation's time, not failed: what was not recorded goes back with the rest.
      // When the cut-off fell while the last sends were answered, nothing is left: the message is done.
      const recorded = new Set(result.outcomes.map((o) => o.customerId));
      const left = [...chunk.filter((id) => !recorded.has(id)), ...remaining];
      if (left.length) return { status: "deferred", remaining: left, counts };
    }
  }
  return { status: "done", counts };
}

async function sendChunk(deps: BroadcastEmailDependencies, broadcast: BroadcastToSend, chunk: string[], cutoff: AbortSignal): Promise<"stopped" | { outcomes: DeliveryOutcome[]; retry: boolean }> {
  const accepted: { customerId: string; sesMessageId: string }[] = [];
  let retry = false;
  try {
    return await deps.db.transaction(async (trx) => {
      // As of now, not as of the message: a cancel committed before this chunk stops it.
      if ((await lockTimeoutsAndStatus(trx, broadcast.id)) !== "sending") return "stopped" as const;
      const recipients = await claimDeliveries(trx, broadcast, chunk);
      const outcomes = (
        await Promise.all(
          recipients.map(async (recipient): Promise<DeliveryOutcome | undefined> => {
            if (!recipient.eligible) return { customerId: recipient.id, status: recipient.suppressed ? "suppressed" : "skipped" };
            try {
              const sesMessageId = await sendOne(deps, broadcast, recipient, cutoff);
              accepted.push({ customerId: recipient.id, sesMessageId });
              return { customerId: recipient.id, status: "sent", sesMessageId };
            } catch (err) {
              const permanent = isRefusedForThisAddress(err);
              if (cutoff.aborted && !permanent) return undefined; // left queued, and deferred below
              retry ||= !permanent;
              deps.logger.warn(
                { broadcastId: broadcast.id, customerId: recipient.id, err: { name: (err as Error)?.name, message: maskEmails(String((err as Error)?.message ?? err)) } },
                permanent ? "SES refused a broadcast email for this address; recorded as failed" : "a broadcast email failed; its message will be delivered again",
              );
              return permanent ? { customerId: recipient.id, status: "failed" } : undefined; // left queued
            }
          }),
        )
      ).filter((o): o is DeliveryOutcome => o !== undefined);
      await recordDeliveries(trx, broadcast.id, outcomes);
      return { outcomes, retry };
    });
  } catch (err) {
    if (!accepted.length || !isDatabaseUnavailable(err)) throw err;
    // The claims were lost with the transaction; without a record now, the retry would send these again.
    await untilDatabaseAnswers(() => storeSentDeliveries(deps.db, broadcast.id, accepted));
    return { outcomes: accepted.map((a) => ({ ...a, status: "sent" as const })), retry: true };
  }
}

function sendOne(deps: BroadcastEmailDependencies, broadcast: BroadcastToSend, recipient: { id: string; email: string; first_name: string }, cutoff: AbortSignal): Promise<string> {
  const unsubscribeUrl = signedLink(deps.publicBaseUrl, "unsubscribe", recipient.id, deps.unsubscribeSigningKey);
  const content = renderBroadcastEmail({ firstName: recipient.first_name, campaign: broadcast.campaign, unsubscribeUrl });
  return sendEmail(deps.ses, { ...content, from: deps.senderEmail, to: recipient.email, unsubscribeUrl }, cutoff);
}

/**
 * SES refuses this one address (`MessageRejected`: e.g. not verified while in the sandbox, or on
 * the account's suppression list; `InvalidParameterValue`: not an address SES can send to).
 * Retrying would only meet the same answer for an hour; throttling, outages and account-wide
 * problems are retried instead.
 */
function isRefusedForThisAddress(err: unknown): boolean {
  const name = (err as { name?: string } | null)?.name;
  return name === "MessageRejected" || name === "InvalidParameterValue";
}
