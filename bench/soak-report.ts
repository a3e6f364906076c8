/* eslint-disable no-console -- a benchmark prints its figures */
import { InvariantSummary } from "../api/test/faults/support/invariants";
import { percentile } from "./percentile";
import { PlatformSample } from "./serve-platform";

/**
 * The platform's heap, after a full GC, may grow this much from the end of the warm-up to the end
 * of the load. It includes the soak's delivery counter (about 100 bytes per event); a leak of a
 * kilobyte per request exceeds it within a few minutes at the default rates.
 */
export const HEAP_GROWTH_LIMIT_MB = 16;

export interface Timed {
  status: number;
  ms: number;
}

export interface SoakFigures {
  loadSeconds: number;
  warmupSeconds: number;
  drainSeconds: number;
  kinds: Record<string, Timed[]>;
  /** `emailsBehindAtEnd`: registrations whose email was still to be sent when the load ended (their events are held in memory). */
  memory: { atStart: PlatformSample; atEnd: PlatformSample; afterDrain: PlatformSample; emailsBehindAtEnd: number };
  samples: {
    atSeconds: number;
    pool: PlatformSample["pool"];
    backlog: { pending: number; oldestAgeSeconds: number | null };
    /** Registrations answered 201 whose event the campaign handler has not handled yet. */
    emailsBehind: number;
  }[];
  invariants: InvariantSummary | Error;
  logFile: string;
}

const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

/** Prints the figures; true when the invariants held and the heap stayed within its bound. */
export function printSoakReport(f: SoakFigures): boolean {
  console.log(`\nLoad: ${f.loadSeconds.toFixed(0)} s; drained in ${f.drainSeconds.toFixed(1)} s after it\n`);
  console.log(`  ${"".padEnd(32)}${"answers".padStart(9)}${"req/s".padStart(8)}${"p50 ms".padStart(9)}${"p99 ms".padStart(9)}  errors by status`);
  for (const [kind, answers] of Object.entries(f.kinds)) {
    const sorted = answers.map((a) => a.ms).sort((a, b) => a - b);
    const errors = new Map<number, number>();
    for (const a of answers) if (a.status < 200 || a.status >= 300) errors.set(a.status, (errors.get(a.status) ?? 0) + 1);
    const errorText = [...errors].map(([status, n]) => `${status || "no answer"}: ${n}`).join(", ") || "none";
    console.log(
      `  ${kind.padEnd(32)}${String(answers.length).padStart(9)}${(answers.length / f.loadSeconds).toFixed(1).padStart(8)}` +
        `${percentile(sorted, 50).toFixed(1).padStart(9)}${percentile(sorted, 99).toFixed(1).padStart(9)}  ${errorText}`,
    );
  }

  const { atStart, atEnd, afterDrain, emailsBehindAtEnd } = f.memory;
  const growthMb = (atEnd.heapUsed - atStart.heapUsed) / 2 ** 20;
  const memoryOk = growthMb <= HEAP_GROWTH_LIMIT_MB;
  console.log(`\nPlatform process memory after a full GC (heap used / RSS, MB):`);
  console.log(`  after the ${f.warmupSeconds} s warm-up ${mb(atStart.heapUsed)} / ${mb(atStart.rss)}`);
  console.log(`  at the end of the load   ${mb(atEnd.heapUsed)} / ${mb(atEnd.rss)}   (${emailsBehindAtEnd} emails still to send)`);
  console.log(`  after the drain          ${mb(afterDrain.heapUsed)} / ${mb(afterDrain.rss)}`);
  console.log(`  heap growth ${growthMb.toFixed(1)} MB (bound ${HEAP_GROWTH_LIMIT_MB} MB): ${memoryOk ? "ok" : "EXCEEDED"}`);

  const max = (pick: (s: SoakFigures["samples"][number]) => number) => Math.max(0, ...f.samples.map(pick));
  console.log(`\nAPI pool and outbox, sampled every second (${f.samples.length} samples):`);
  console.log(
    `  pool used max ${max((s) => s.pool.used)}, pending acquires max ${max((s) => s.pool.pendingAcquires)}; ` +
      `outbox backlog max ${max((s) => s.backlog.pending)} events, oldest max ${max((s) => s.backlog.oldestAgeSeconds ?? 0).toFixed(1)} s; ` +
      `emails behind max ${max((s) => s.emailsBehind)}`,
  );
  const every = Math.ceil(f.samples.length / 10);
  console.log(`  ${"at s".padStart(6)}${"pool used".padStart(11)}${"free".padStart(6)}${"waiting".padStart(9)}${"outbox".padStart(8)}${"oldest s".padStart(10)}${"emails behind".padStart(15)}`);
  for (const s of f.samples.filter((_, i) => i % every === every - 1)) {
    console.log(
      `  ${s.atSeconds.toFixed(0).padStart(6)}${String(s.pool.used).padStart(11)}${String(s.pool.free).padStart(6)}${String(s.pool.pendingAcquires).padStart(9)}` +
        `${String(s.backlog.pending).padStart(8)}${(s.backlog.oldestAgeSeconds ?? 0).toFixed(1).padStart(10)}${String(s.emailsBehind).padStart(15)}`,
    );
  }

  const inv = f.invariants;
  console.log(`\nInvariants: ${inv instanceof Error ? `FAILED\n${inv.message}` : `held for ${inv.customers} customers, ${inv.emails} emails, ${inv.redelivered} redeliveries, no dead letters`}`);
  console.log(`Platform log (warnings and errors): ${f.logFile}\n`);
  return memoryOk && !(inv instanceof Error);
}
