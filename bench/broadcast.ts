/**
 * A broadcast to 50,000 local customers (consent confirmed, seeded with SQL) with SES paced at
 * 1,000 emails a second (`SES_MAX_SEND_RATE` and the local SES's quota; SES answering in 50 ms),
 * while a light steady load registers customers (10 a second). Three processes are measured apart:
 * the platform as `npm start` composes it (its own process, bench/serve-platform.ts), the local SES
 * (this file, forked in its `ses` role: it keeps every email it receives, as the mailbox does), and
 * this driver; PostgreSQL's server processes are added up by their proportional memory (PSS).
 * Printed: time to finish against the pacing's lower bound (target within 10%), emails per second,
 * registration p99 before and during the broadcast, peak memory and CPU time of each process.
 * `BROADCAST_CUSTOMERS=n` and `BROADCAST_RATE=n` change the size and the pacing.
 * Run alone with `npx tsx bench/broadcast.ts`; `npm run bench` runs it with the others.
 */
/* eslint-disable no-console -- a benchmark prints its figures */
import { closeSync, openSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import knex, { Knex } from "knex";
import { aBroadcast, launchedBody, manyConsentingCustomers } from "../campaign/test/support/broadcast-fixture";
import { startLoad } from "../api/test/faults/support/load";
import { register, RegistrationAnswer } from "../api/test/faults/support/registrations";
import { LocalQueues } from "../local/aws/queues";
import { startSesEndpoint } from "../local/aws/ses-endpoint";
import { BROADCAST_QUEUE, broadcastQueues } from "../local/broadcast-queue";
import { localQueueSettings } from "../local/welcome-queue";
import { percentile } from "./percentile";
import { benchPlatformEnv } from "./platform-env";
import { startPlatformProcess } from "./platform-process";
import { exited, nextMessage, startChild } from "./processes";
import { aBenchRegistration } from "./registration-body";

const CUSTOMERS = Number(process.env.BROADCAST_CUSTOMERS ?? 50_000);
const RATE = Number(process.env.BROADCAST_RATE ?? 1_000);
const SES_LATENCY_MS = 50;
const REGISTRATIONS_PER_SECOND = 10;
const TARGET_WITHIN = 0.1;
const TIME_SCALE = 10; // the platform's default LOCAL_TIME_SCALE

interface SesSample {
  rss: number;
  throttled: number;
}

export interface BroadcastFigures {
  customers: number;
  rate: number;
  finishSeconds: number;
  lowerBoundSeconds: number;
  emailsPerSecond: number;
  /** Between the first and the last email recorded. */
  steadyEmailsPerSecond: number;
  registrationP99Ms: { before: number; during: number };
  welcomeP95Ms: number;
  peakMb: { platform: number; ses: number; driver: number; postgres: number };
  cpuSeconds: { platform: number; ses: number; driver: number; postgres: number };
  throttled: number;
  deadLettered: number;
  loadAverage: { before: number[]; after: number[] };
}

export async function benchBroadcast(): Promise<BroadcastFigures> {
  const loadBefore = os.loadavg();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "ecom-bench-broadcast-"));
  const logFile = path.join(os.tmpdir(), `ecom-bench-broadcast-${Date.now()}.log`);
  const logFd = openSync(logFile, "w");
  const ses = startChild("broadcast.ts", { BENCH_BROADCAST_ROLE: "ses", RATE: String(RATE), LATENCY_MS: String(SES_LATENCY_MS) });
  const sesAnswer = <T>(request: string) => {
    const answer = nextMessage<T>(ses);
    ses.send(request);
    return answer;
  };
  try {
    const { url: sesUrl } = await nextMessage<{ url: string }>(ses);
    const platform = await startPlatformProcess(
      benchPlatformEnv({ SES_MAX_SEND_RATE: String(RATE), AWS_ENDPOINT_URL_SES: sesUrl, LOCAL_TIME_SCALE: String(TIME_SCALE) }),
      dataDir,
      logFd,
    );
    const db = knex({ client: "pg", connection: platform.databaseUrl, pool: { min: 0, max: 2 } });
    try {
      await manyConsentingCustomers(db, CUSTOMERS, "Ontario");
      await db.raw("VACUUM ANALYZE customers");
      for (let i = 0; i < 20; i++) await register(platform.apiUrl, aBenchRegistration()); // a warm API

      const answeredAt = new Map<string, number>();
      const load = startLoad({ concurrency: 2, perSecond: REGISTRATIONS_PER_SECOND }, async (): Promise<RegistrationAnswer & { at: number }> => {
        const answer = await register(platform.apiUrl, aBenchRegistration());
        if (answer.status === 201) answeredAt.set(answer.id!, Date.now());
        return { ...answer, at: Date.now() };
      });
      await sleep(5_000); // registrations alone, for comparison

      const processes = await pidsOf(dataDir);
      // PostgreSQL's server processes are looked for among all processes, and their memory read,
      // every tenth and fifth sample: both cost the kernel time, counted as this driver's.
      let postgres = await postgresPids(processes.postmaster);
      let samples = 0;
      const cpuBefore = { platform: await cpuOf([processes.platform]), ses: await cpuOf([ses.pid!]), postgres: await cpuOf(postgres) };
      const driverCpuBefore = process.cpuUsage();
      const peak = { platform: 0, ses: 0, driver: 0, postgres: 0 };
      const sample = async () => {
        if (++samples % 10 === 0) postgres = await postgresPids(processes.postmaster);
        const [p, s, pg] = await Promise.all([platform.sample(), sesAnswer<SesSample>("sample"), samples % 5 === 1 ? pssOf(postgres) : 0]);
        peak.platform = Math.max(peak.platform, p.rss);
        peak.ses = Math.max(peak.ses, s.rss);
        peak.postgres = Math.max(peak.postgres, pg);
        peak.driver = Math.max(peak.driver, process.memoryUsage().rss);
      };

      const { now: launchedAt } = (await db.raw("SELECT clock_timestamp() AS now")).rows[0] as { now: Date };
      const launchedAtMs = Date.now();
      const broadcast = await aBroadcast(db, { segment: { provinces: ["Ontario"] } });
      const queues = await LocalQueues.open(db, broadcastQueues(localQueueSettings(TIME_SCALE)));
      await queues.send(BROADCAST_QUEUE, [{ body: launchedBody(broadcast.id) }]);
      let finishedAt: Date | null = null;
      while (!finishedAt) {
        await sleep(1_000);
        await sample();
        finishedAt = (await db("broadcasts").where({ id: broadcast.id }).first()).finished_at;
        if (Date.now() - launchedAtMs > 30 * 60_000) throw new Error("the broadcast did not finish in 30 minutes");
      }
      const answers = await load.stop();
      const cpuAfter = { platform: await cpuOf([processes.platform]), ses: await cpuOf([ses.pid!]), postgres: await cpuOf(postgres) };
      const driverCpu = process.cpuUsage(driverCpuBefore);

      const counts = await db("broadcast_deliveries").where({ broadcast_id: broadcast.id }).groupBy("status").select("status", db.raw("count(*)::int AS n"));
      const sent = counts.find((c) => c.status === "sent")?.n ?? 0;
      if (sent !== CUSTOMERS) throw new Error(`the broadcast finished with ${JSON.stringify(counts)}`);
      const { first, last } = await db("broadcast_deliveries").where({ broadcast_id: broadcast.id }).first(db.raw("min(updated_at) AS first"), db.raw("max(updated_at) AS last"));
      const finishSeconds = (finishedAt.getTime() - launchedAt.getTime()) / 1000;
      const p99 = (list: RegistrationAnswer[]) => percentile(list.map((a) => a.ms).sort((a, b) => a - b), 99);
      const finishedAtMs = launchedAtMs + finishSeconds * 1000;
      const sesSample = await sesAnswer<SesSample>("sample");
      const figures: BroadcastFigures = {
        customers: CUSTOMERS,
        rate: RATE,
        finishSeconds,
        lowerBoundSeconds: CUSTOMERS / RATE,
        emailsPerSecond: CUSTOMERS / finishSeconds,
        steadyEmailsPerSecond: (CUSTOMERS - 1) / ((last.getTime() - first.getTime()) / 1000),
        registrationP99Ms: { before: p99(answers.filter((a) => a.at < launchedAtMs)), during: p99(answers.filter((a) => a.at >= launchedAtMs && a.at <= finishedAtMs)) },
        welcomeP95Ms: await welcomeP95(db, answeredAt),
        peakMb: { platform: mb(peak.platform), ses: mb(peak.ses), driver: mb(peak.driver), postgres: mb(peak.postgres) },
        cpuSeconds: {
          platform: cpuAfter.platform - cpuBefore.platform,
          ses: cpuAfter.ses - cpuBefore.ses,
          driver: (driverCpu.user + driverCpu.system) / 1e6,
          postgres: cpuAfter.postgres - cpuBefore.postgres,
        },
        throttled: sesSample.throttled,
        deadLettered: await queues.depth(`${BROADCAST_QUEUE}-dlq`),
        loadAverage: { before: loadBefore, after: os.loadavg() },
      };
      printFigures(figures, logFile);
      return figures;
    } finally {
      await db.destroy();
      await platform.stop();
    }
  } finally {
    await sesAnswer("stop").catch(() => undefined);
    await exited(ses);
    closeSync(logFd);
    await rm(dataDir, { recursive: true, force: true });
  }
}

function printFigures(f: BroadcastFigures, logFile: string): void {
  const within = f.finishSeconds / f.lowerBoundSeconds - 1;
  const cpu = f.cpuSeconds;
  const load = (l: number[]) => l.map((n) => n.toFixed(2)).join(", ");
  console.log(
    `\nBroadcast: ${f.customers.toLocaleString("en")} customers, SES paced at ${f.rate}/s (SES ${SES_LATENCY_MS} ms), ${REGISTRATIONS_PER_SECOND} registrations/s meanwhile, ${os.cpus().length} CPUs\n` +
      `  finished in ${f.finishSeconds.toFixed(1)} s; lower bound ${f.lowerBoundSeconds.toFixed(1)} s ` +
      `(${(within * 100).toFixed(0)}% above it; target within ${TARGET_WITHIN * 100}%: ${within <= TARGET_WITHIN ? "met" : "MISSED"})\n` +
      `  ${f.emailsPerSecond.toFixed(0)} emails/s overall, ${f.steadyEmailsPerSecond.toFixed(0)} emails/s first to last email; throttled by SES ${f.throttled}; dead-lettered ${f.deadLettered}\n` +
      `  registration p99 ${f.registrationP99Ms.before.toFixed(0)} ms before the broadcast, ${f.registrationP99Ms.during.toFixed(0)} ms during it; welcome email p95 ${f.welcomeP95Ms.toFixed(0)} ms after the 201\n` +
      `  peak memory: platform ${f.peakMb.platform} MB RSS, local SES ${f.peakMb.ses} MB RSS (keeps every email), driver ${f.peakMb.driver} MB RSS, PostgreSQL ${f.peakMb.postgres} MB PSS\n` +
      `  CPU during the broadcast: platform ${cpu.platform.toFixed(0)} s, local SES ${cpu.ses.toFixed(0)} s, PostgreSQL ${cpu.postgres.toFixed(0)} s, driver ${cpu.driver.toFixed(0)} s ` +
      `(${((cpu.platform + cpu.ses + cpu.postgres + cpu.driver) / f.finishSeconds).toFixed(2)} cores)\n` +
      `  load average ${load(f.loadAverage.before)} before, ${load(f.loadAverage.after)} after; platform log ${logFile}\n`,
  );
}

async function welcomeP95(db: Knex, answeredAt: Map<string, number>): Promise<number> {
  await sleep(2_000); // the last registrations' emails
  const sent: { customer_id: string; sent_at: Date }[] = await db("welcome_emails").whereIn("customer_id", [...answeredAt.keys()]).whereNotNull("sent_at").select("customer_id", "sent_at");
  return percentile(sent.map((s) => s.sent_at.getTime() - answeredAt.get(s.customer_id)!).sort((a, b) => a - b), 95);
}

const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

/** The postmaster (its pid file) and the platform process that started it. */
async function pidsOf(dataDir: string): Promise<{ postmaster: number; platform: number }> {
  const postmaster = Number((await readFile(path.join(dataDir, "postgres", "postmaster.pid"), "utf8")).split("\n")[0]);
  return { postmaster, platform: Number((await stat(postmaster))[1]) };
}

/** /proc/<pid>/stat after the command name: state, ppid, … (utime and stime are the 12th and 13th). */
async function stat(pid: number): Promise<string[]> {
  const text = await readFile(`/proc/${pid}/stat`, "utf8");
  return text.slice(text.lastIndexOf(")") + 2).split(" ");
}

async function postgresPids(postmaster: number): Promise<number[]> {
  const children: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = await stat(Number(entry)).catch(() => undefined);
    if (fields && Number(fields[1]) === postmaster) children.push(Number(entry));
  }
  return [postmaster, ...children];
}

/** CPU seconds used by these processes (and, for the first, the children it has reaped). */
async function cpuOf(pids: number[]): Promise<number> {
  let ticks = 0;
  for (const [i, pid] of pids.entries()) {
    const f = await stat(pid).catch(() => undefined);
    if (f) ticks += Number(f[11]) + Number(f[12]) + (i === 0 ? Number(f[13]) + Number(f[14]) : 0);
  }
  return ticks / 100; // USER_HZ
}

async function pssOf(pids: number[]): Promise<number> {
  let kb = 0;
  for (const pid of pids) {
    const rollup = await readFile(`/proc/${pid}/smaps_rollup`, "utf8").catch(() => "");
    kb += Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0);
  }
  return kb * 1024;
}

/** The `ses` role: the local SES with the quota, in a process of its own, answering samples over IPC. */
async function serveSes(): Promise<void> {
  const endpoint = await startSesEndpoint({ maxSendRate: Number(process.env.RATE), latencyMs: Number(process.env.LATENCY_MS) });
  process.send!({ url: endpoint.url });
  process.on("message", async (request) => {
    if (request === "sample") {
      process.send!({ rss: process.memoryUsage().rss, throttled: endpoint.throttled() } satisfies SesSample);
    } else {
      await endpoint.stop();
      process.send!({ stopped: true }, () => process.exit(0));
    }
  });
}

if (process.env.BENCH_BROADCAST_ROLE === "ses") {
  serveSes().catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else if (require.main === module) {
  benchBroadcast().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
