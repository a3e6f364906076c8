/**
 * Who may receive a broadcast: the one definition the API (preview, enumeration) and the
 * broadcast function (the check right before each send) share. An active customer matching the
 * segment, whose marketing consent is confirmed (double opt-in) and whose address is not
 * suppressed (a permanent bounce or a complaint).
 */
import { Knex } from "knex";

/** Every field narrows the audience; an empty segment is every consenting customer. */
export interface Segment {
  /** Province names, compared without regard to case. */
  provinces?: string[];
  cities?: string[];
  /** Registered at or after this instant (ISO 8601). */
  registered_after?: string;
  /** Registered before this instant (ISO 8601). */
  registered_before?: string;
}

const ANY_LOWERED = "ANY (SELECT lower(name) FROM unnest(?::text[]) AS name)";

/** Restricts a query on `customers` to the segment's audience. */
export function whereInAudience<T extends Knex.QueryBuilder>(query: T, segment: Segment): T {
  query
    .where("customers.is_active", true)
    .where("customers.marketing_consent_confirmed", true)
    .whereNotExists((suppressed) =>
      suppressed.select(1).from("suppressions").whereRaw("suppressions.email_hash = customers.email_hash").whereNull("suppressions.lifted_at"),
    );
  // Both sides lower-cased by PostgreSQL: JavaScript's toLowerCase() disagrees with lower() on some
  // letters (`İ`, a final `Σ`), and a segment must match the places exactly as customers typed them.
  if (segment.provinces?.length) query.whereRaw(`lower(customers.province) = ${ANY_LOWERED}`, [segment.provinces]);
  if (segment.cities?.length) query.whereRaw(`lower(customers.city) = ${ANY_LOWERED}`, [segment.cities]);
  if (segment.registered_after) query.where("customers.created_at", ">=", segment.registered_after);
  if (segment.registered_before) query.where("customers.created_at", "<", segment.registered_before);
  return query;
}
