/**
 * Registration throughput, with the API run as the Docker image runs it: the built `dist/` entry
 * (`node dist/api/src/main.js`, NODE_ENV=production, APP_ENV=prod), its outbox relay publishing
 * with the real SNS client to the local SNS endpoint answering in 20 ms, behind one trusted proxy
 * hop (TRUST_PROXY_HOPS=1, each request from its own client address) with the production rate
 * limits. In one run, at 50 connections each (bench/registration-subjects.ts):
 * - the API at LOG_LEVEL=info (production's level) and at warn;
 * - the framework's floor: bare Express 5, `express.json()` and the same one-statement insert;
 * - the ceiling: a bare `pg` Pool sending that statement at the same concurrency.
 * The load generator runs in a process of its own; it, PostgreSQL and the measured process share
 * the machine's cores. Targets: the API at info ≥ 40% of the ceiling and ≥ 80% of the floor,
 * p99 < 45 ms, peak RSS < 200 MB.
 * Run alone with `npx tsx bench/registration.ts`; `--rounds n` runs the four n times, interleaved,
 * and prints each figure's median (the peak RSS: the highest), which other work on the machine
 * disturbs less; `--db-latency-ms n`: PostgreSQL n ms away in each direction, as RDS is
 * (bench/database-latency.ts); `--node <path>`: the Node that runs the API and the floor (the
 * image's major version, say; docs/benchmarks.md says how to get it); `--profile`:
 * bench/registration-profile.ts. `npm run bench` runs one round.
 */
/* eslint-disable no-console -- a benchmark prints its figures */
import { execFileSync } from "node:child_process";
import os from "node:os";
import { parseArgs } from "node:util";
import { TaskCommand } from "./built-api";
import { profileRegistration } from "./registration-profile";
import {
  ApiActivity,
  CONNECTIONS,
  DURATION_S,
  Figures,
  measureApi,
  measureCeiling,
  measureFloor,
  POOL_MAX,
  WARMUP_S,
  withPlatform,
} from "./registration-subjects";

const TARGETS = { ofCeiling: 0.4, ofFloor: 0.8, p99Ms: 45, peakRssMb: 200 };

export interface RegistrationFigures {
  apiInfo: Figures & ApiActivity;
  apiWarn: Figures & ApiActivity;
  floor: Figures;
  ceiling: Figures;
  /** The 1-minute load average when the run started and ended (other work shares the machine). */
  loadAverage: { before: number; after: number };
}

export interface RegistrationOptions {
  rounds?: number;
  dbLatencyMs?: number;
  /** The Node binary that runs the API and the floor; this process's by default. */
  node?: string;
}

export async function benchRegistration({ rounds = 1, dbLatencyMs = 0, node }: RegistrationOptions = {}): Promise<RegistrationFigures> {
  const before = os.loadavg()[0];
  return withPlatform(async (platform) => {
    const runs: Omit<RegistrationFigures, "loadAverage">[] = [];
    for (let round = 1; round <= rounds; round++) {
      runs.push({
        ceiling: await measureCeiling(platform, `bench_raw_${round}`),
        floor: await measureFloor(platform, `bench_express_${round}`),
        apiInfo: await measureApi(platform, `bench_api_info_${round}`, "info"),
        apiWarn: await measureApi(platform, `bench_api_warn_${round}`, "warn"),
      });
    }
    const of = <K extends keyof (typeof runs)[number]>(key: K) => medianOf(runs.map((r) => r[key]));
    const figures = { ceiling: of("ceiling"), floor: of("floor"), apiInfo: of("apiInfo"), apiWarn: of("apiWarn"), loadAverage: { before, after: os.loadavg()[0] } };
    printFigures(figures, rounds, dbLatencyMs, platform.command);
    return figures;
  }, { dbLatencyMs, node });
}

/** Each numeric figure's median over the rounds; the peak RSS is the highest, failures add up. */
function medianOf<T extends Figures>(runs: T[]): T {
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
  const result = { ...runs[0] };
  for (const key of Object.keys(result) as (keyof T)[]) {
    if (typeof result[key] === "number") result[key] = median(runs.map((r) => r[key] as number)) as T[keyof T];
  }
  return { ...result, peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)), failed: runs.reduce((n, r) => n + r.failed, 0) };
}

function printFigures({ apiInfo: info, apiWarn, floor, ceiling, loadAverage }: RegistrationFigures, rounds: number, dbLatencyMs: number, command: TaskCommand): void {
  const pct = (a: number, b: number) => `${((a / b) * 100).toFixed(0)}%`;
  const row = (name: string, f: Figures) =>
    `  ${name.padEnd(36)}${f.perSecond.toFixed(0).padStart(7)}${f.p50Ms.toFixed(1).padStart(8)}${f.p99Ms.toFixed(1).padStart(8)}` +
    `${f.peakRssMb.toFixed(0).padStart(8)} MB${f.cpuMsPerRequest.toFixed(3).padStart(11)}${pct(f.perSecond, ceiling.perSecond).padStart(9)}${String(f.failed).padStart(8)}`;
  const activity = (level: string, a: ApiActivity) =>
    `  API at ${level}: ${a.statementsPerRegistration.toFixed(2)} statements committed per registration, ` +
    `${a.eventsPerPublish.toFixed(1)} events per PublishBatch, ${a.logLinesPerRegistration.toFixed(2)} log lines per registration, ` +
    `${a.unpublishedAtStop} events unpublished at its stop`;
  const verdict = (met: boolean) => (met ? "met" : "MISSED");
  console.log(`
Registration: ${CONNECTIONS} connections, ${DURATION_S} s after a ${WARMUP_S} s warm-up, pool of ${POOL_MAX}${rounds > 1 ? `, medians of ${rounds} rounds` : ""}${dbLatencyMs ? `, PostgreSQL ${dbLatencyMs} ms away each way` : ""}; ${os.cpus().length} CPUs shared by the
measured process, PostgreSQL and the load generator (autocannon, a process of its own); load average ${loadAverage.before.toFixed(2)} before, ${loadAverage.after.toFixed(2)} after;
the API and the floor on Node ${execFileSync(command.node, ["--version"], { encoding: "utf8" }).trim()} with ${command.nodeOptions.join(" ")} (the image's options, the prod task's heap)
  ${"".padEnd(36)}${"req/s".padStart(7)}${"p50 ms".padStart(8)}${"p99 ms".padStart(8)}${"peak RSS".padStart(11)}${"CPU ms/req".padStart(11)}${"of ceil.".padStart(9)}${"failed".padStart(8)}
${row("API (built), LOG_LEVEL=info", info)}
${row("API (built), LOG_LEVEL=warn", apiWarn)}
${row("floor: bare Express 5 + the insert", floor)}
${row("ceiling: bare pg, the insert", ceiling)}
  API at info: ${pct(info.perSecond, ceiling.perSecond)} of the ceiling (target ≥ ${TARGETS.ofCeiling * 100}%: ${verdict(info.perSecond >= TARGETS.ofCeiling * ceiling.perSecond)}), ` +
    `${pct(info.perSecond, floor.perSecond)} of the floor (target ≥ ${TARGETS.ofFloor * 100}%: ${verdict(info.perSecond >= TARGETS.ofFloor * floor.perSecond)}), ` +
    `p99 ${info.p99Ms.toFixed(1)} ms (target < ${TARGETS.p99Ms}: ${verdict(info.p99Ms < TARGETS.p99Ms)}), ` +
    `peak RSS ${info.peakRssMb.toFixed(0)} MB (target < ${TARGETS.peakRssMb}: ${verdict(info.peakRssMb < TARGETS.peakRssMb)})
${activity("info", info)}
${activity("warn", apiWarn)}
`);
}

if (require.main === module) {
  // strict: a mistyped option stops the run instead of measuring something else than asked
  const { values } = parseArgs({
    options: { rounds: { type: "string", default: "1" }, "db-latency-ms": { type: "string", default: "0" }, node: { type: "string" }, profile: { type: "boolean" } },
    strict: true,
  });
  const [rounds, dbLatencyMs, node] = [Number(values.rounds), Number(values["db-latency-ms"]), values.node];
  if (!(Number.isInteger(rounds) && rounds > 0 && dbLatencyMs >= 0)) throw new Error("--rounds takes a whole number above 0, --db-latency-ms a number of milliseconds");
  (values.profile ? profileRegistration(node) : benchRegistration({ rounds, dbLatencyMs, node })).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
