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

/** Restricts a query on `customers` to the segment's audience. */
export function whereInAudience<T extends Knex.QueryBuilder>(query: T, segment: Segment): T {
  query
    .where("customers.is_active", true)
    .where("customers.marketing_consent_confirmed", true)
    .whereNotExists((suppressed) =>
      suppressed.select(1).from("suppressions").whereRaw("suppressions.email_hash = customers.email_hash").whereNull("suppressions.lifted_at"),
    );
  if (segment.provinces?.length) query.whereRaw("lower(customers.province) = ANY(?)", [segment.provinces.map((p) => p.toLowerCase())]);
  if (segment.cities?.length) query.whereRaw("lower(customers.city) = ANY(?)", [segment.cities.map((c) => c.toLowerCase())]);
  if (segment.registered_after) query.where("customers.created_at", ">=", segment.registered_after);
  if (segment.registered_before) query.where("customers.created_at", "<", segment.registered_before);
  return query;
}
