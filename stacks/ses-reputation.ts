/**
 * SES's reputation metrics: the bounce and complaint rates SES computes over a representative
 * volume of the account's recent email, as fractions (0.05 = 5 %). SES publishes them for the
 * account (no dimension) and, for a configuration set with reputation metrics on, per set.
 */
export const SES_NAMESPACE = "AWS/SES";
export const CONFIGURATION_SET_DIMENSION = "ses:configuration-set";

export const REPUTATION_METRICS = { bounceRate: "Reputation.BounceRate", complaintRate: "Reputation.ComplaintRate" } as const;
export type ReputationRate = keyof typeof REPUTATION_METRICS;

/** Where SES places an account under review (its enforcement thresholds, about 5 % and 0.1 %). */
export const SES_REVIEW_THRESHOLDS: Record<ReputationRate, number> = { bounceRate: 0.05, complaintRate: 0.001 };

/** Where the account stack's alarms fire: at half of SES's thresholds, with time to act before a review. */
export const REPUTATION_ALARM_THRESHOLDS: Record<ReputationRate, number> = { bounceRate: 0.025, complaintRate: 0.0005 };
