import { Knex } from "knex";
import { DataSubject } from "./personal-data";
import { DataSubjectQuery } from "./schema";

export async function findDataSubject(db: Knex, query: DataSubjectQuery, options: { forUpdate?: boolean } = {}): Promise<DataSubject | undefined> {
  const where = "customer_id" in query ? { id: query.customer_id } : { email: query.email_id };
  const select = db("customers").where(where).first("id", "email", "created_at");
  return options.forUpdate ? select.forUpdate() : select;
}

/** What remains of an erased customer: when they registered (the month, UTC) and when they were erased; nothing that links back. */
export async function insertErasureTombstone(trx: Knex.Transaction, subject: DataSubject): Promise<void> {
  await trx("erased_customers").insert({
    registered_month: trx.raw("date_trunc('month', ?::timestamptz AT TIME ZONE 'UTC')::date", [subject.created_at]),
  });
}
