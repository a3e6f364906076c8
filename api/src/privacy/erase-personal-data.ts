import { Knex } from "knex";
import { personalDataStores } from "./personal-data";
import { findDataSubject, insertErasureTombstone } from "./repository";
import { DataSubjectQuery } from "./schema";

/**
 * Erases the customer's personal data from every store in one transaction, leaving an unlinkable
 * tombstone so counts stay right; false when nobody matches, which is also what a repeated
 * erasure finds (nothing is left to link it to the first). The customer row is locked first, so a
 * concurrent erasure of the same customer waits, then finds nobody.
 */
export async function erasePersonalData(db: Knex, query: DataSubjectQuery): Promise<boolean> {
  return db.transaction(async (trx) => {
    const subject = await findDataSubject(trx, query, { forUpdate: true });
    if (!subject) return false;
    await insertErasureTombstone(trx, subject);
    for (const store of [...personalDataStores].reverse()) await store.erase(trx, subject);
    return true;
  });
}
