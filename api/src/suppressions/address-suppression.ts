import { Knex } from "knex";
import { AppError } from "../../../shared/src/app-error";
import { emailHash } from "../../../shared/src/email-hash";
import { findSuppression, latestSesEvents, liftSuppression, SesEvent, Suppression } from "./repository";

/** What is known about an address's deliverability: its suppression, if any, and what SES reported. */
export interface AddressSuppression {
  email_hash: string;
  suppression: {
    reason: Suppression["reason"];
    detail: string | null;
    since: string;
    lifted_at: string | null;
    active: boolean;
  } | null;
  ses_events: { type: string; detail: string | null; occurred_at: string; received_at: string }[];
}

async function describe(db: Knex, hash: string, suppression: Suppression | undefined): Promise<AddressSuppression> {
  const events = await latestSesEvents(db, hash);
  return {
    email_hash: hash,
    suppression: suppression
      ? {
          reason: suppression.reason,
          detail: suppression.detail,
          since: suppression.created_at.toISOString(),
          lifted_at: suppression.lifted_at?.toISOString() ?? null,
          active: suppression.lifted_at === null,
        }
      : null,
    ses_events: events.map((e: SesEvent) => ({
      type: e.event_type,
      detail: e.detail,
      occurred_at: e.occurred_at.toISOString(),
      received_at: e.received_at.toISOString(),
    })),
  };
}

const nothingFor = (what: string) => new AppError("not-found", `No ${what} for this address`, { status: 404 });

/** Why an address is (or was) not emailed; not-found when SES never reported anything about it. */
export async function lookUpSuppression(db: Knex, email: string): Promise<AddressSuppression> {
  const hash = emailHash(email);
  const found = await describe(db, hash, await findSuppression(db, hash));
  if (!found.suppression && found.ses_events.length === 0) throw nothingFor("suppression or SES event");
  return found;
}

/**
 * Lets the address be emailed again (a mailbox that bounced is fixed, a complaint was a mistake).
 * Lifting changes no consent: a complaint turned the customer's marketing consent off, and only
 * the customer can give it again (resubscribing from an email's link). Lifting twice is harmless.
 */
export async function liftAddressSuppression(db: Knex, email: string): Promise<AddressSuppression> {
  const hash = emailHash(email);
  const lifted = await liftSuppression(db, hash);
  if (!lifted) throw nothingFor("suppression");
  return describe(db, hash, lifted);
}
