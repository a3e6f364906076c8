/**
 * A burst of registrations against SES's quota: N customers register at once (16 clients, as fast
 * as the API answers) on the platform as `npm start` composes it, with SNS answering in 20 ms and
 * SES in 50 ms at a quota of 14 emails a second. Printed: how long until the last welcome email,
 * against the quota's lower bound (N / 14 s), the send rate, and what was throttled or
 * dead-lettered (target: nothing dead-lettered, at least 90% of the quota).
 * `BURST_REGISTRATIONS=n` changes N (default 1,000). Run alone with `npx tsx bench/welcome-burst.ts`.
 */
/* eslint-disable no-console -- a benchmark prints its figures */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { countStatus, startRegistrationLoad } from "../api/test/faults/support/registrations";
import { eventually } from "../api/test/support/eventually";
import { startLocalPlatform } from "../local/platform";
import { benchPlatformEnv } from "./platform-env";

const QUOTA = 14;

export interface BurstFigures {
  registrations: number;
  lastEmailSeconds: number;
  lowerBoundSeconds: number;
  emailsPerSecond: number;
  throttled: number;
  deadLettered: number;
}

export async function benchWelcomeBurst(registrations = Number(process.env.BURST_REGISTRATIONS ?? 1000)): Promise<BurstFigures> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "ecom-bench-burst-"));
  const platform = await startLocalPlatform({
    dataDir,
    env: benchPlatformEnv({ SES_MAX_SEND_RATE: String(QUOTA) }),
    local: { snsLatencyMs: 20, sesLatencyMs: 50, sesMaxSendRate: QUOTA },
  });
  try {
    const started = performance.now();
    const load = startRegistrationLoad(platform.api.url, { concurrency: 16 });
    await eventually(() => countStatus(load.answers, 201) >= registrations, 120_000, "registrations");
    const answers = await load.stop();
    const registered = countStatus(answers, 201);
    const db = platform.api.db;
    await eventually(async () => Number((await db("welcome_emails").whereNotNull("ses_message_id").count({ n: "*" }))[0].n) >= registered, 600_000, "every welcome email sent");
    const lastEmailSeconds = (performance.now() - started) / 1000;
    const { first, last } = await db("welcome_emails").first(db.raw("min(sent_at) AS first"), db.raw("max(sent_at) AS last"));
    const figures: BurstFigures = {
      registrations: registered,
      lastEmailSeconds,
      lowerBoundSeconds: registered / QUOTA,
      emailsPerSecond: (registered - 1) / ((last.getTime() - first.getTime()) / 1000),
      throttled: platform.ses!.throttled(),
      deadLettered: (await platform.queueDepths()).deadLetters,
    };
    console.log(
      `\nWelcome burst: ${figures.registrations} registrations at once, SES quota ${QUOTA}/s (SNS 20 ms, SES 50 ms)\n` +
        `  last email after ${figures.lastEmailSeconds.toFixed(1)} s; lower bound ${figures.lowerBoundSeconds.toFixed(1)} s\n` +
        `  ${figures.emailsPerSecond.toFixed(1)} emails/s = ${((figures.emailsPerSecond / QUOTA) * 100).toFixed(0)}% of the quota ` +
        `(target ≥ 90%: ${figures.emailsPerSecond >= 0.9 * QUOTA ? "met" : "MISSED"}); throttled by SES ${figures.throttled}; dead-lettered ${figures.deadLettered}\n`,
    );
    return figures;
  } finally {
    await platform.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchWelcomeBurst().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
