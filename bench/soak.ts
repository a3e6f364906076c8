/**
 * `npm run soak`: a sustained mixed load on the local platform, then the fault tests' invariants.
 * The platform runs as `npm start` composes it (`startLocalPlatform`, embedded PostgreSQL in a
 * fresh temporary folder) in a process of its own (bench/serve-platform.ts), so its memory is
 * measured without the load generator's or the mailbox's, which keeps every email. Every request
 * comes from this one address, so the per-client rate limits are raised for the run.
 *
 * SOAK_SECONDS (default 180); requests per second of each kind: SOAK_REGISTRATIONS_PER_SECOND (100),
 * SOAK_VERIFICATIONS_PER_SECOND (200), SOAK_CAMPAIGN_READS_PER_SECOND (20): about half of what a
 * 2-core machine sustains, so backlogs stay flat; 0 means as fast as the platform answers (the
 * emails then fall behind the registrations, and the heap holds their events until the drain).
 * Exits non-zero if an invariant fails or the heap grew beyond the bound.
 */
/* eslint-disable no-console -- a benchmark prints its figures */
import { closeSync, openSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import knex from "knex";
import { expectNothingLost } from "../api/test/faults/support/invariants";
import { startLoad } from "../api/test/faults/support/load";
import { register } from "../api/test/faults/support/registrations";
import { eventually } from "../api/test/support/eventually";
import { outboxBacklog } from "../api/src/outbox/repository";
import { startSesEndpoint } from "../local/aws/ses-endpoint";
import { startPlatformProcess } from "./platform-process";
import { aBenchRegistration } from "./registration-body";
import { HEAP_GROWTH_LIMIT_MB, printSoakReport, SoakFigures, Timed } from "./soak-report";

const SECONDS = Number(process.env.SOAK_SECONDS ?? 180);
const rate = (name: string, fallback: number) => Number(process.env[name] ?? fallback) || undefined;
const RATES = {
  registrations: rate("SOAK_REGISTRATIONS_PER_SECOND", 100),
  verifications: rate("SOAK_VERIFICATIONS_PER_SECOND", 200),
  campaignReads: rate("SOAK_CAMPAIGN_READS_PER_SECOND", 20),
};
/** JIT, pools and caches settle first; memory is compared from then on. */
const WARMUP_SECONDS = Math.min(15, Math.ceil(SECONDS / 10));
const SAMPLE_EVERY_MS = 1_000;
const DRAIN_TIMEOUT_MS = 180_000;
const ADMIN_API_KEY = "soak-admin-key-0123456789abcdef";

async function soak(): Promise<boolean> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "ecom-soak-"));
  const logFile = path.join(os.tmpdir(), `ecom-soak-${Date.now()}.log`);
  const logFd = openSync(logFile, "w");
  const mailbox = await startSesEndpoint(); // no quota: the soak measures the platform, not SES
  const platform = await startPlatformProcess(
    {
      PORT: "0",
      LOG_LEVEL: "warn",
      SNS_TOPIC_ARN: "arn:aws:sns:us-east-1:000000000000:ecom-soak",
      SENDER_EMAIL: "welcome@e-com.local",
      PUBLIC_BASE_URL: "http://localhost:3000",
      ADMIN_API_KEY,
      UNSUBSCRIBE_SIGNING_KEY: "soak-unsubscribe-signing-key-0123456789abcdef",
      AWS_ENDPOINT_URL_SES: mailbox.url,
      SES_MAX_SEND_RATE: "10000",
      RATE_LIMIT_PER_CLIENT: "1000000000",
      RATE_LIMIT_VERIFY_PER_CLIENT: "1000000000",
      RATE_LIMIT_REGISTRATIONS_PER_CLIENT: "1000000000",
    },
    dataDir,
    logFd,
  );
  const db = knex({ client: "pg", connection: platform.databaseUrl, pool: { min: 0, max: 2 } });
  try {
    const { apiUrl } = platform;
    const known: string[] = [];
    const registrations = startLoad({ concurrency: 16, perSecond: RATES.registrations }, async () => {
      const answer = await register(apiUrl, aBenchRegistration());
      if (answer.status === 201) known.push(answer.email);
      return answer;
    });
    const verifications = startLoad({ concurrency: 16, perSecond: RATES.verifications }, () => {
      // One in four asks about an address nobody registered.
      const email = known.length && Math.random() < 0.75 ? known[Math.floor(Math.random() * known.length)] : aBenchRegistration().email_id;
      return timed(() => fetch(`${apiUrl}/verify-registration`, post({ email_id: email })));
    });
    const campaignReads = startLoad({ concurrency: 8, perSecond: RATES.campaignReads }, () =>
      timed(() => fetch(`${apiUrl}/campaigns?status=ongoing`, { headers: { "x-api-key": ADMIN_API_KEY } })),
    );
    const started = performance.now();

    await sleep(WARMUP_SECONDS * 1000);
    const memoryAtStart = await platform.sample({ gc: true });
    const samples: SoakFigures["samples"] = [];
    while (performance.now() - started < SECONDS * 1000) {
      await sleep(SAMPLE_EVERY_MS);
      const [{ pool, delivered }, backlog] = await Promise.all([platform.sample(), outboxBacklog(db)]);
      samples.push({ atSeconds: (performance.now() - started) / 1000, pool, backlog, emailsBehind: known.length - delivered });
    }
    const memoryAtEnd = await platform.sample({ gc: true });
    const emailsBehindAtEnd = known.length - memoryAtEnd.delivered;
    const [answers, verified, read] = await Promise.all([registrations.stop(), verifications.stop(), campaignReads.stop()]);
    const loadSeconds = (performance.now() - started) / 1000;

    const drainStarted = performance.now();
    await eventually(async () => (await outboxBacklog(db)).pending === 0, DRAIN_TIMEOUT_MS, "the outbox drained");
    const drained = await platform.drain();
    const drainSeconds = (performance.now() - drainStarted) / 1000;
    const memoryAfterDrain = await platform.sample({ gc: true });
    const invariants = await expectNothingLost(answers, {
      db,
      emails: await mailbox.emailsSince(0), // this process's mailbox received nothing else
      deliveries: new Map(drained.deliveries),
      deadLetters: drained.deadLetters,
    }).catch((err: Error) => err);

    const figures: SoakFigures = {
      loadSeconds,
      warmupSeconds: WARMUP_SECONDS,
      drainSeconds,
      kinds: { "POST /customer-registration": answers, "POST /verify-registration": verified, "GET /campaigns?status=ongoing": read },
      memory: { atStart: memoryAtStart, atEnd: memoryAtEnd, afterDrain: memoryAfterDrain, emailsBehindAtEnd },
      samples,
      invariants,
      logFile,
    };
    return printSoakReport(figures);
  } finally {
    await db.destroy();
    await platform.stop();
    await mailbox.stop();
    closeSync(logFd);
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function timed(send: () => Promise<Response>): Promise<Timed> {
  const started = performance.now();
  try {
    const res = await send();
    await res.arrayBuffer();
    return { status: res.status, ms: performance.now() - started };
  } catch {
    return { status: 0, ms: performance.now() - started };
  }
}

function post(body: unknown): RequestInit {
  return { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}

console.log(
  `Soak: ${SECONDS} s of mixed load (${WARMUP_SECONDS} s warm-up) at ` +
    `${RATES.registrations ?? "max"} registrations, ${RATES.verifications ?? "max"} verifications, ${RATES.campaignReads ?? "max"} campaign reads per second; ` +
    `heap growth bound ${HEAP_GROWTH_LIMIT_MB} MB`,
);
soak().then(
  (passed) => process.exit(passed ? 0 : 1),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
