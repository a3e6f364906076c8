import { createHash } from "node:crypto";

/**
 * The key of an address in `suppressions` and `ses_events`: hex SHA-256 of the address trimmed and
 * lower-cased, as registration stores it (and as `customers.email_hash` computes it in SQL).
 */
export function emailHash(email: string): string {
  return createHash("sha256").update(email.trim().toLowerCase(), "utf8").digest("hex");
}
