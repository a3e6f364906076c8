/**
 * A customer's consent to campaign offers by email, as both services read it (double opt-in):
 * `none` (never given, or withdrawn), `pending` (given at registration, the address's owner has not
 * confirmed it yet) or `confirmed`. Broadcasts reach `confirmed` customers only; in SQL that is the
 * generated column `customers.marketing_consent_confirmed`.
 */
export type MarketingConsent = "none" | "pending" | "confirmed";

/** The columns of `customers` the consent is read from. */
export const MARKETING_CONSENT_COLUMNS = ["marketing_opt_in", "marketing_consent_confirmed_at"] as const;

export function marketingConsentOf(row: { marketing_opt_in: boolean; marketing_consent_confirmed_at: Date | null }): MarketingConsent {
  if (!row.marketing_opt_in) return "none";
  return row.marketing_consent_confirmed_at ? "confirmed" : "pending";
}
