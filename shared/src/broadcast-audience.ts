/**
 * Who may receive a broadcast: the one definition the API (preview, enumeration) and the
 * broadcast function (the check right before each send) share. An active customer matching the
 * segment, whose marketing consent is confirmed (double opt-in) and whose address is not
 * suppressed (a permanent bounce or a complaint).
 */
import { Knex } from "knex";

/** Every field narrows the audience; an empty segment is every consenting customer. */
export interface Segment {
  /** Province names, compared without regard to letter case. */
  provinces?: string[];
  cities?: string[];
  /** Registered at or after this instant (ISO 8601). */
  registered_after?: string;
  /** Registered before this instant (ISO 8601). */
  registered_before?: string;
}

// Place names compare in PostgreSQL's lower case, with the Greek final sigma (ς) read as σ: lower()
// turns Σ into σ wherever it stands, so ΑΘΗΝΑΣ and Αθηνας would otherwise differ by their last letter.
const folded = (column: string) => `translate(lower(${column}), 'ς', 'σ')`;
const ANY_FOLDED = `ANY (SELECT ${folded("name")} FROM unnest(?::text[]) AS name)`;

/** Restricts a query on `customers` to the segment's audience. */
export function whereInAudience<T extends Knex.QueryBuilder>(query: T, segment: Segment): T {
  query
    .where("customers.is_active", true)
    .where("customers.marketing_consent_confirmed", true)
    .whereNotExists((suppressed) =>
      suppressed.select(1).from("suppressions").whereRaw("suppressions.email_hash = customers.email_hash").whereNull("suppressions.lifted_at"),
    );
  // Both sides folded by PostgreSQL: JavaScript's toLowerCase() disagrees with lower() on some
  // letters (İ, a final Σ), which made a segment miss customers whose place it spelt exactly.
  if (segment.provinces?.length) query.whereRaw(`${folded("customers.province")} = ${ANY_FOLDED}`, [segment.provinces]);
  if (segment.cities?.length) query.whereRaw(`${folded("customers.city")} = ${ANY_FOLDED}`, [segment.cities]);
  if (segment.registered_after) query.where("customers.created_at", ">=", segment.registered_after);
  if (segment.registered_before) query.where("customers.created_at", "<", segment.registered_before);
  return query;
}
