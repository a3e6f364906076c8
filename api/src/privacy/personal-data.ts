/**
 * Every place the platform keeps a customer's personal data, in one list: what an export reads,
 * what an erasure deletes, and what retention removes once it is no longer needed. A new table
 * holding personal data is added here, and the export, the erasure and the retention job cover
 * it; the erasure test fails until it is.
 */
import { Knex } from "knex";
import { emailHash } from "../../../shared/src/email-hash";

/** The customer a privacy request is about, as found in `customers`. */
export interface DataSubject {
  id: string;
  email: string;
  created_at: Date;
}

export interface PersonalDataStore {
  /** The table, also the key of its rows in an export. */
  table: string;
  exportRows(db: Knex, subject: DataSubject): Promise<Record<string, unknown>[]>;
  erase(trx: Knex.Transaction, subject: DataSubject): Promise<void>;
  /**
   * Deletes at most `limit` rows kept past `retentionDays`, returning how many it deleted. Absent
   * when rows are needed for as long as the customer exists.
   */
  deleteExpired?(db: Knex, retentionDays: number, limit: number): Promise<number>;
}

const byCustomerId = (table: string, orderBy: string): PersonalDataStore => ({
  table,
  exportRows: (db, subject) => db(table).where({ customer_id: subject.id }).orderBy(orderBy),
  erase: async (trx, subject) => {
    await trx(table).where({ customer_id: subject.id }).delete();
  },
});

/**
 * Events whose payload is about the customer. The text match narrows the scan cheaply (the outbox
 * holds only a few days of events); the JSON containment makes it exact.
 */
const customerEvents = (db: Knex, subject: DataSubject) =>
  db("outbox")
    .whereLike("payload", `%${subject.id}%`)
    .whereRaw("payload::jsonb @> ?::jsonb", [JSON.stringify({ customer: { id: subject.id } })]);

/** In erasure order is reversed: the customer row goes last, the others reference it. */
export const personalDataStores: PersonalDataStore[] = [
  {
    table: "customers",
    exportRows: (db, subject) => db("customers").where({ id: subject.id }),
    erase: async (trx, subject) => {
      await trx("customers").where({ id: subject.id }).delete();
    },
  },
  // The record of consent: kept while the customer exists, as proof of what they agreed to and when.
  byCustomerId("marketing_consent_events", "occurred_at"),
  {
    table: "outbox",
    exportRows: async (db, subject) =>
      (await customerEvents(db, subject).orderBy("seq")).map((row) => ({ ...row, payload: JSON.parse(row.payload) })),
    erase: async (trx, subject) => {
      await customerEvents(trx, subject).delete();
    },
    // Once published, an event's copy of the email and name serves nobody: unpublished ones are kept
    // whatever their age, or a long SNS outage would lose them.
    deleteExpired: async (db, retentionDays, limit) =>
      db("outbox")
        .whereIn(
          "id",
          db("outbox")
            .select("id")
            .where("published_at", "<", db.raw("now() - make_interval(days => ?)", [retentionDays]))
            .orderBy("published_at")
            .limit(limit)
            .forUpdate()
            .skipLocked(),
        )
        .delete(),
  },
  // Proof that the welcome email went out, what makes it go out once: kept while the customer
  // exists (a redelivery from the dead-letter queue weeks later must not send it again). It holds
  // no contact details, only ids and the time.
  byCustomerId("welcome_emails", "sent_at"),
  // Which broadcasts reached the customer and how (ids, status, SES message id; no contact
  // details): what keeps each broadcast at most once per customer, so kept while the customer exists.
  byCustomerId("broadcast_deliveries", "updated_at"),
  // What SES reported about emails to the customer's address, keyed by its hash: needed for a
  // while to see why an address bounces, then pruned.
  {
    table: "ses_events",
    exportRows: (db, subject) => db("ses_events").where({ email_hash: emailHash(subject.email) }).orderBy("occurred_at"),
    erase: async (trx, subject) => {
      await trx("ses_events").where({ email_hash: emailHash(subject.email) }).delete();
    },
    // No row locks: old events are never updated, and only one task prunes at a time (the job's
    // advisory lock); locking them would also need UPDATE, which the API's role has no use for.
    deleteExpired: async (db, retentionDays, limit) =>
      db("ses_events")
        .whereIn(
          "id",
          db("ses_events")
            .select("id")
            .where("received_at", "<", db.raw("now() - make_interval(days => ?)", [retentionDays]))
            .orderBy("received_at")
            .limit(limit),
        )
        .delete(),
  },
  // Exported, but never erased: it holds no readable address (only its hash, the reason and
  // when), and an address that bounced or complained must stay suppressed if it registers again.
  {
    table: "suppressions",
    exportRows: (db, subject) => db("suppressions").where({ email_hash: emailHash(subject.email) }),
    erase: async () => undefined,
  },
];
