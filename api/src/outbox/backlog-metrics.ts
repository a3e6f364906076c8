/**
 * Reports the outbox backlog (events not yet accepted by SNS, and the age of the oldest) as a
 * CloudWatch metric: one embedded-metric-format log line a minute, which CloudWatch Logs turns
 * into the metrics the stacks alarm on. A backlog that grows means SNS or the relay is failing.
 */
import { Knex } from "knex";
import { ENVIRONMENT_DIMENSION, METRICS_NAMESPACE, OUTBOX_METRICS } from "../../../shared/src/metrics";
import { Logger } from "../../../shared/src/logger";
import { outboxBacklog } from "./repository";

export function reportBacklogMetrics(deps: { db: Knex; logger: Logger; appEnv: string; intervalMs?: number }): () => void {
  const report = async () => {
    try {
      const { pending, oldestAgeSeconds } = await outboxBacklog(deps.db);
      deps.logger.info(
        {
          _aws: {
            Timestamp: Date.now(),
            CloudWatchMetrics: [
              {
                Namespace: METRICS_NAMESPACE,
                Dimensions: [[ENVIRONMENT_DIMENSION]],
                Metrics: [
                  { Name: OUTBOX_METRICS.pending, Unit: "Count" },
                  { Name: OUTBOX_METRICS.oldestAgeSeconds, Unit: "Seconds" },
                ],
              },
            ],
          },
          [ENVIRONMENT_DIMENSION]: deps.appEnv,
          [OUTBOX_METRICS.pending]: pending,
          [OUTBOX_METRICS.oldestAgeSeconds]: oldestAgeSeconds ?? 0,
        },
        "outbox backlog",
      );
    } catch (err) {
      deps.logger.warn({ err: { message: (err as Error).message } }, "outbox backlog could not be measured");
    }
  };
  const timer = setInterval(report, deps.intervalMs ?? 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
