import { setTimeout as sleep } from "node:timers/promises";
import { isDatabaseUnavailable } from "../../shared/src/database";

/**
 * How long the record of emails SES accepted is kept trying when the database went away before the
 * commit: a restart or a Multi-AZ failover is over by then, and the Lambda (30 s) still runs.
 */
const RECORD_RETRY_MS = 10_000;
const RECORD_RETRY_INTERVAL_MS = 250;

/** Runs `work` until the database answers it, for at most RECORD_RETRY_MS; other errors are thrown at once. */
export async function untilDatabaseAnswers<T>(work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + RECORD_RETRY_MS;
  for (;;) {
    try {
      return await work();
    } catch (err) {
      if (!isDatabaseUnavailable(err) || Date.now() > deadline) throw err;
      await sleep(RECORD_RETRY_INTERVAL_MS);
    }
  }
}
