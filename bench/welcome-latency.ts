/**
 * How long a new customer waits for the welcome email: from the API's 201 to the email in the
 * local mailbox, over registrations arriving at a steady 10 a second, on the platform as
 * `npm start` composes it (`startLocalPlatform`, embedded PostgreSQL in a fresh folder), with SNS
 * answering in 20 ms and SES in 50 ms at a quota of 14 a second.
 * The arrival is read from `welcome_emails.sent_at`, written right after SES (the mailbox) stored
 * the email: comparing clocks costs the platform nothing, where polling the mailbox would compete
 * with it for the CPU. Target: p95 under 1 s. Run alone with `npx tsx bench/welcome-latency.ts`.
 */
/* eslint-disable no-console -- a benchmark prints its figures */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startLoad } from "../api/test/faults/support/load";
import { register, RegistrationAnswer } from "../api/test/faults/support/registrations";
import { eventually } from "../api/test/support/eventually";
import { outboxBacklog } from "../api/src/outbox/repository";
import { startLocalPlatform } from "../local/platform";
import { percentile } from "./percentile";
import { benchPlatformEnv } from "./platform-env";
import { aBenchRegistration } from "./registration-body";

const WARMUP = 20;
const REGISTRATIONS = 200;
const PER_SECOND = 10;
const TARGET_P95_MS = 1_000;

export interface WelcomeLatencyFigures {
  registrations: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export async function benchWelcomeLatency(): Promise<WelcomeLatencyFigures> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "ecom-bench-welcome-"));
  const platform = await startLocalPlatform({
    dataDir,
    env: benchPlatformEnv({ SES_MAX_SEND_RATE: "14" }),
    local: { snsLatencyMs: 20, sesLatencyMs: 50, sesMaxSendRate: 14 },
  });
  try {
    const { api } = platform;
    for (let i = 0; i < WARMUP; i++) await register(api.url, aBenchRegistration());
    const answeredAt = new Map<string, number>(); // customer id → when the 201 arrived (epoch ms)
    const load = startLoad({ concurrency: 4, perSecond: PER_SECOND }, async (): Promise<RegistrationAnswer> => {
      const answer = await register(api.url, aBenchRegistration());
      if (answer.status === 201) answeredAt.set(answer.id!, Date.now());
      return answer;
    });
    await eventually(() => load.answers.length >= REGISTRATIONS, 60_000, "registrations sent");
    const answers = await load.stop();
    if (answeredAt.size !== answers.length) throw new Error(`${answers.length - answeredAt.size} registrations did not answer 201`);

    await eventually(async () => (await outboxBacklog(api.db)).pending === 0, 30_000, "every event published");
    await eventually(async () => (await platform.queueDepths()).welcome === 0, 30_000, "the welcome queue drained");
    const sent: { customer_id: string; sent_at: Date; ses_message_id: string }[] = await api.db("welcome_emails")
      .whereIn("customer_id", [...answeredAt.keys()])
      .select("customer_id", "sent_at", "ses_message_id");
    const inMailbox = new Set((await platform.ses!.emails()).map((e) => e.messageId));
    if (sent.length !== answeredAt.size || !sent.every((s) => inMailbox.has(s.ses_message_id))) {
      throw new Error(`${answeredAt.size} registrations, but ${sent.length} welcome emails recorded, not all of them in the mailbox`);
    }
    const latencies = sent.map((s) => Math.max(0, s.sent_at.getTime() - answeredAt.get(s.customer_id)!)).sort((a, b) => a - b);
    const figures = { registrations: latencies.length, p50Ms: percentile(latencies, 50), p95Ms: percentile(latencies, 95), maxMs: latencies.at(-1)! };
    console.log(
      `\nWelcome email latency (201 → email in the local mailbox), ${figures.registrations} registrations at ${PER_SECOND}/s, SNS 20 ms, SES 50 ms:\n` +
        `  p50 ${figures.p50Ms.toFixed(0)} ms, p95 ${figures.p95Ms.toFixed(0)} ms, max ${figures.maxMs.toFixed(0)} ms ` +
        `(target p95 < ${TARGET_P95_MS} ms: ${figures.p95Ms < TARGET_P95_MS ? "met" : "MISSED"})\n`,
    );
    return figures;
  } finally {
    await platform.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchWelcomeLatency().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
