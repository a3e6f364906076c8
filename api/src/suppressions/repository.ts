import { Knex } from "knex";

export interface Suppression {
  email_hash: string;
  reason: "bounce" | "complaint";
  detail: string | null;
  created_at: Date;
  lifted_at: Date | null;
}

export interface SesEvent {
  id: string;
  event_type: string;
  email_hash: string;
  detail: string | null;
  occurred_at: Date;
  received_at: Date;
}

/** SES events shown with a suppression: the latest, enough to see why, bounded for addresses SES reports often. */
export const SES_EVENTS_SHOWN = 100;

export async function findSuppression(db: Knex, emailHash: string): Promise<Suppression | undefined> {
  return db<Suppression>("suppressions").where({ email_hash: emailHash }).first();
}

export async function latestSesEvents(db: Knex, emailHash: string): Promise<SesEvent[]> {
  return db<SesEvent>("ses_events").where({ email_hash: emailHash }).orderBy([{ column: "occurred_at", order: "desc" }, { column: "id" }]).limit(SES_EVENTS_SHOWN);
}

/** Lifts an active suppression; a lifted one keeps the time it was first lifted. Undefined when there is none. */
export async function liftSuppression(db: Knex, emailHash: string): Promise<Suppression | undefined> {
  const [lifted] = await db<Suppression>("suppressions")
    .where({ email_hash: emailHash })
    .update({ lifted_at: db.raw("coalesce(lifted_at, now())") as unknown as Date })
    .returning("*");
  return lifted;
}
