/**
 * The load generator of the registration benchmark, in a process of its own so its CPU is not
 * the measured server's: autocannon sends POST /customer-registration at `connections`, first a
 * warm-up, then the measured run. Driven over IPC by bench/registration.ts: it receives a
 * LoadRun and reports `measuring` when the measured run starts and `done` with its figures.
 */
import autocannon from "autocannon";
import { aBenchRegistration } from "./registration-body";

export interface LoadRun {
  url: string;
  connections: number;
  warmupS: number;
  durationS: number;
}

export interface LoadFigures {
  /** Answers of any status during the measured run. */
  answered: number;
  /** 2xx answers. */
  ok: number;
  /** Other answers, connection errors and timeouts. */
  failed: number;
  durationS: number;
  p50Ms: number;
  p99Ms: number;
}

export type LoadProgress = { phase: "measuring" } | { phase: "done"; figures: LoadFigures };

// Each registration from its own client address, as customers behind the load balancer arrive
// (X-Forwarded-For, believed for TRUST_PROXY_HOPS=1): the rate limits see as many keys as in production.
let clients = 0;
const nextClientAddress = () => {
  const n = ++clients;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
};

async function load(url: string, connections: number, duration: number) {
  return autocannon({
    url,
    connections,
    duration,
    requests: [
      {
        method: "POST",
        path: "/customer-registration",
        setupRequest: (request) => ({
          ...request,
          headers: { "content-type": "application/json", "x-forwarded-for": nextClientAddress() },
          body: JSON.stringify(aBenchRegistration()),
        }),
      },
    ],
  });
}

async function runLoad(run: LoadRun, report: (progress: LoadProgress) => void): Promise<void> {
  await load(run.url, run.connections, run.warmupS);
  report({ phase: "measuring" });
  const result = await load(run.url, run.connections, run.durationS);
  const failed = result.non2xx + result.errors + result.timeouts;
  report({
    phase: "done",
    figures: {
      answered: result["2xx"] + result.non2xx,
      ok: result["2xx"],
      failed,
      durationS: result.duration,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
    },
  });
}

if (require.main === module) {
  process.once("message", (run: LoadRun) => {
    runLoad(run, (progress) => process.send!(progress)).then(
      () => process.disconnect(),
      (err) => {
        process.stderr.write(`load generator failed: ${err instanceof Error ? err.stack : String(err)}\n`);
        process.exit(1);
      },
    );
  });
}
