import { Knex } from "knex";
import { personalDataStores } from "./personal-data";
import { findDataSubject } from "./repository";
import { DataSubjectQuery } from "./schema";

export interface PersonalDataExport {
  customer_id: string;
  exported_at: string;
  /** The rows held about the customer, by table, as stored. */
  data: Record<string, Record<string, unknown>[]>;
}

/**
 * Everything held about one customer (GDPR articles 15 and 20, PIPEDA's access principle), read
 * from one snapshot so the tables agree with each other; undefined when nobody matches.
 */
export async function exportPersonalData(db: Knex, query: DataSubjectQuery): Promise<PersonalDataExport | undefined> {
  return db.transaction(
    async (trx) => {
      const subject = await findDataSubject(trx, query);
      if (!subject) return undefined;
      const data: PersonalDataExport["data"] = {};
      for (const store of personalDataStores) data[store.table] = await store.exportRows(trx, subject);
      return { customer_id: subject.id, exported_at: new Date().toISOString(), data };
    },
    { isolationLevel: "repeatable read", readOnly: true },
  );
}
