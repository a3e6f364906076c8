/**
 * Every place the platform keeps a customer's personal data, in one list: what an export reads,
 * what an erasure deletes, and what retention removes once it is no longer needed. A new table
 * holding personal data (broadcast deliveries, suppressions, SES events) is added here, and the
 * export, the erasure and the retention job cover it; the erasure test fails until it is.
 */
import { Knex } from "knex";

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
];
