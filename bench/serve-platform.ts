/**
 * The local platform in a process of its own, for the soak (bench/soak.ts): started by
 * `startLocalPlatform` as `npm start` starts it, so its memory and connection pool are measured
 * apart from the load generator and the mailbox (whose store keeps every email it receives).
 * Run with --expose-gc. Driven over IPC, one answer per request (see PlatformRequest).
 */
import { startLocalPlatform } from "../local/platform";
import { deliveryCounter } from "../api/test/faults/support/delivery-counter";

export type PlatformRequest =
  | { kind: "start"; env: Record<string, string>; dataDir: string }
  /** With `gc`, after a full garbage collection (a pause: only at the start and end of the load). */
  | { kind: "sample"; gc?: boolean }
  | { kind: "drain" }
  | { kind: "stop" };

export interface PlatformSample {
  /** In bytes. */
  heapUsed: number;
  rss: number;
  /** The API's connection pool (tarn). */
  pool: { used: number; free: number; pendingAcquires: number };
  /** Events the campaign function has handled so far. */
  delivered: number;
}

export interface PlatformDrained {
  deadLetters: number;
  /** Successful campaign-handler invocations per event id. */
  deliveries: [string, number][];
}

async function main(): Promise<void> {
  const request = await nextRequest();
  if (request.kind !== "start") throw new Error(`expected start, got ${request.kind}`);
  const deliveries = deliveryCounter();
  const platform = await startLocalPlatform({ env: request.env, dataDir: request.dataDir, wrapFunction: deliveries.wrap });
  process.send!({ apiUrl: platform.api.url, databaseUrl: platform.env.DATABASE_URL });

  for (;;) {
    const next = await nextRequest();
    if (next.kind === "sample") {
      if (next.gc) global.gc!();
      const pool = platform.api.db.client.pool;
      const { heapUsed, rss } = process.memoryUsage();
      const sample: PlatformSample = {
        heapUsed,
        rss,
        pool: { used: pool.numUsed(), free: pool.numFree(), pendingAcquires: pool.numPendingAcquires() },
        delivered: deliveries.succeeded.size,
      };
      process.send!(sample);
    } else if (next.kind === "drain") {
      while ((await platform.queueDepths()).welcome > 0) await new Promise((resolve) => setTimeout(resolve, 100));
      const drained: PlatformDrained = { deadLetters: (await platform.queueDepths()).deadLetters, deliveries: [...deliveries.succeeded] };
      process.send!(drained);
    } else {
      await platform.stop();
      process.send!({ stopped: true }, () => process.disconnect());
      return;
    }
  }
}

function nextRequest(): Promise<PlatformRequest> {
  return new Promise((resolve) => process.once("message", resolve));
}

main().catch((err) => {
  process.stderr.write(`soak platform failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
