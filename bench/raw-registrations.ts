/**
 * The ceiling for the registration benchmark: the API's insert transaction sent by a bare `pg`
 * Pool, no HTTP, no validation, no Knex. Runs in a process of its own, driven over IPC by
 * bench/registration.ts: it receives a RawRun, answers with RawFigures.
 */
import { randomUUID } from "node:crypto";
import { Pool } from "pg";
import { newCustomerRegisteredEvent } from "../shared/src/events/customer-registered";
import { percentile } from "./percentile";
import { aBenchRegistration } from "./registration-body";

export interface RawRun {
  databaseUrl: string;
  poolMax: number;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
}

export interface RawFigures {
  requests: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxRssKb: number;
}

/**
 * One registration, statement for statement what the API writes (customers/repository.ts
 * `insertCustomerWithEvent`): the customer and its outbox event in one atomic statement.
 * When the API writes more per registration, add it here.
 */
async function registerOnce(pool: Pool): Promise<void> {
  const body = aBenchRegistration();
  const customer = { id: randomUUID(), email: body.email_id, first_name: body.first_name, marketing_opt_in: body.marketing_opt_in, created_at: new Date() };
  const event = newCustomerRegisteredEvent(customer);
  await pool.query(
    `WITH customer AS (
       INSERT INTO customers (id, first_name, last_name, email, phone, province, city, postal_code,
                              marketing_opt_in, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
       RETURNING id
     )
     INSERT INTO outbox (id, event_type, payload) SELECT $11, $12, $13 FROM customer`,
    [customer.id, body.first_name, body.last_name, body.email_id, "+14165550100", body.province, body.city, body.postalcode,
      body.marketing_opt_in, customer.created_at, event.event_id, event.event_type, JSON.stringify(event)],
  );
}

/** `concurrency` loops share the pool, as the API's 50 connections share its pool; latency includes the wait for a connection. */
async function drive(pool: Pool, concurrency: number, durationMs: number): Promise<number[]> {
  const latencies: number[] = [];
  const end = Date.now() + durationMs;
  const loop = async () => {
    while (Date.now() < end) {
      const start = process.hrtime.bigint();
      await registerOnce(pool);
      latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  return latencies;
}


async function runRaw(run: RawRun): Promise<RawFigures> {
  const pool = new Pool({ connectionString: run.databaseUrl, max: run.poolMax });
  try {
    await drive(pool, run.concurrency, run.warmupMs);
    const latencies = (await drive(pool, run.concurrency, run.durationMs)).sort((a, b) => a - b);
    return {
      requests: latencies.length,
      perSecond: latencies.length / (run.durationMs / 1000),
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      maxRssKb: process.resourceUsage().maxRSS,
    };
  } finally {
    await pool.end();
  }
}

if (require.main === module) {
  process.once("message", (run: RawRun) => {
    runRaw(run).then(
      (figures) => process.send!(figures, () => process.disconnect()),
      (err) => {
        process.stderr.write(`raw benchmark failed: ${err instanceof Error ? err.stack : String(err)}\n`);
        process.exit(1);
      },
    );
  });
}
