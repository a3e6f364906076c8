/**
 * The platform's own CloudWatch metrics, written as embedded metric format (EMF) log lines: the
 * services log them and CloudWatch Logs extracts the metrics; the stacks alarm on the same names.
 */
export const METRICS_NAMESPACE = "e_com";

/** Each metric carries the environment as its one dimension, so dev and prod never mix. */
export const ENVIRONMENT_DIMENSION = "Environment";

export const OUTBOX_METRICS = {
  /** Committed events not yet accepted by SNS. */
  pending: "OutboxPendingEvents",
  /** Age of the oldest of them, in seconds (0 when none). */
  oldestAgeSeconds: "OutboxOldestEventAgeSeconds",
} as const;
