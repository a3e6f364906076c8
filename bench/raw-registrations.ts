/**
 * The ceiling for the registration benchmark: the API's one registration statement sent by a bare
 * `pg` Pool, no HTTP, no validation, no Knex. Runs in a process of its own, driven over IPC by
 * bench/registration.ts: it receives a RawRun, says when the measured part starts, answers with
 * its figures, and ends on "stop" (so its CPU and memory can be read before it exits).
 */
import { Pool } from "pg";
import { LoadFigures, LoadProgress } from "./registration-load";
import { percentile } from "./percentile";
import { aBenchRegistration } from "./registration-body";
import { insertRegistration } from "./registration-statement";

export interface RawRun {
  databaseUrl: string;
  poolMax: number;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
}

/** `concurrency` loops share the pool, as the API's 50 connections share its pool; latency includes the wait for a connection. */
async function drive(pool: Pool, concurrency: number, durationMs: number): Promise<number[]> {
  const latencies: number[] = [];
  const end = Date.now() + durationMs;
  const loop = async () => {
    while (Date.now() < end) {
      const start = process.hrtime.bigint();
      await insertRegistration(pool, aBenchRegistration());
      latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  return latencies;
}

async function runRaw(run: RawRun, report: (progress: LoadProgress) => void): Promise<Pool> {
  const pool = new Pool({ connectionString: run.databaseUrl, max: run.poolMax });
  await drive(pool, run.concurrency, run.warmupMs);
  report({ phase: "measuring" });
  const latencies = (await drive(pool, run.concurrency, run.durationMs)).sort((a, b) => a - b);
  const figures: LoadFigures = {
    answered: latencies.length,
    ok: latencies.length,
    failed: 0,
    durationS: run.durationMs / 1000,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
  report({ phase: "done", figures });
  return pool;
}

if (require.main === module) {
  process.once("message", (run: RawRun) => {
    runRaw(run, (progress) => process.send!(progress)).then(
      (pool) => process.once("message", () => pool.end().then(() => process.disconnect())),
      (err) => {
        process.stderr.write(`raw benchmark failed: ${err instanceof Error ? err.stack : String(err)}\n`);
        process.exit(1);
      },
    );
  });
}
